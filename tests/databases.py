"""Throwaway PostgreSQL schemas, for the tests and the benchmarks."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from sqlalchemy import create_engine, text

from skill.db.engine import normalize_url


@contextlib.contextmanager
def private_schema(base_url: str, prefix: str = "t") -> Iterator[str]:
    """A new schema on the server at `base_url`, dropped afterwards; yields a URL whose
    connections use it (through `search_path`)."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
