"""What every benchmark shares: arguments, the machine line, databases, timing, tables."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ENV = "COACH_TEST_POSTGRES_URL"
PEPPER = "benchmark-pepper-not-a-secret"
#: The clock of every in-process benchmark (the HTTP one needs the real time).
NOW = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
#: Settings the developer's shell must not leak into a benchmark's skill.
SKILL_ENV_KEYS = ("ALEXA_SKILL_ID", "AUTO_MIGRATE", "COACH_DATA_DIR", "DATABASE_URL")

#: Exit status of a benchmark that ran but missed a deterministic target (timing targets are
#: reported, never enforced: a busy machine must not fail a build).
TARGET_MISSED = 3

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


# -- arguments and results ---------------------------------------------------------------


def parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark script takes."""
    args = argparse.ArgumentParser(description=description)
    args.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run in seconds")
    args.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get(POSTGRES_ENV) or None,
        help=f"PostgreSQL server to create a throwaway schema on (default: ${POSTGRES_ENV})",
    )
    args.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args.add_argument("--json", metavar="PATH", help="also write the checks as JSON (for run.py)")
    return args


def backends(options: argparse.Namespace) -> list[str]:
    """The databases to run on: SQLite always, PostgreSQL when a server is given."""
    if options.postgres and not options.no_postgres:
        return ["sqlite", "postgresql"]
    return ["sqlite"]


def postgres_note(options: argparse.Namespace) -> str | None:
    """Why PostgreSQL is left out, when it is."""
    if options.no_postgres:
        return "PostgreSQL: skipped (--no-postgres)"
    if not options.postgres:
        return f"PostgreSQL: skipped ({POSTGRES_ENV} is not set and --postgres was not given)"
    return None


@dataclass(frozen=True)
class Check:
    """One figure held against its target (`met` None: reported, no target)."""

    benchmark: str
    name: str
    figure: str
    target: str
    met: bool | None


def ratio(value: float, baseline: float) -> float:
    """value / baseline, safe for a zero baseline."""
    return value / baseline if baseline > 0 else math.inf


def times(value: float) -> str:
    """A ratio as 2.31×."""
    return f"{value:.2f}×"


def verdict(met: bool | None) -> str:
    """met / MISSED / -."""
    return "-" if met is None else ("met" if met else "MISSED")


def finish(options: argparse.Namespace, checks: Sequence[Check]) -> None:
    """Print the targets and write them as JSON when asked."""
    rows = [[c.name, c.figure, c.target or "-", verdict(c.met)] for c in checks]
    if rows:
        print()
        print(table(["target", "figure", "wanted", "result"], rows))
    if options.json:
        Path(options.json).write_text(json.dumps([asdict(c) for c in checks], indent=1))


# -- the machine ------------------------------------------------------------------------


def version_of(package: str) -> str:
    """An installed distribution's version, or '?'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def postgres_version(url: str) -> str:
    """The server's version, or why it could not be read."""
    from sqlalchemy import create_engine, text

    from skill.db.engine import normalize_url

    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar()).split()[0]
    except Exception as exc:  # the header still prints; the benchmark then fails loudly
        return f"unreachable ({type(exc).__name__})"
    finally:
        engine.dispose()


def machine(options: argparse.Namespace | None = None) -> str:
    """One line naming what the figures were measured on."""
    parts = [
        f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})",
        f"{platform.system()} {platform.machine()}",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    url = options.postgres if options is not None and not options.no_postgres else None
    if url:
        parts.append(f"PostgreSQL {postgres_version(url)}")
    parts += [
        f"ask-sdk-core {version_of('ask-sdk-core')}",
        f"SQLAlchemy {version_of('SQLAlchemy')}",
    ]
    return "machine: " + ", ".join(parts)


def header(title: str, options: argparse.Namespace) -> None:
    """The benchmark's title, the machine, and what is left out."""
    mode = " (quick: tiny sizes, figures are not meaningful)" if options.quick else ""
    print(f"== {title}{mode}")
    print(machine(options))
    note = postgres_note(options)
    if note:
        print(note)
    sys.stdout.flush()


# -- tables and statistics ----------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (pasteable into the README), columns padded to line up."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def percentile(samples: Sequence[float], q: float) -> float:
    """The nearest-rank percentile q (0-100) of the samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def micros(seconds: float) -> str:
    """Seconds as whole microseconds."""
    return f"{seconds * 1e6:,.0f}"


def millis(seconds: float) -> str:
    """Seconds as milliseconds with one decimal."""
    return f"{seconds * 1e3:,.1f}"


# -- timing -----------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed request."""

    subject: str
    kind: str
    seconds: float


def interleaved(
    subjects: Mapping[str, tuple[Handler, Callable[[int], list[tuple[str, dict[str, Any]]]]]],
    rounds: int,
    warmup: int,
) -> list[Sample]:
    """Time each subject's requests round by round, alternating which subject goes first.

    `subjects` maps a name to its handler and to a function giving round r's requests as
    (kind, event) pairs; the events are built before the clock starts. The first `warmup`
    rounds are run but not kept.
    """
    names = list(subjects)
    samples: list[Sample] = []
    gc.collect()
    for r in range(warmup + rounds):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            handler, requests_of = subjects[name]
            batch = requests_of(r)
            for kind, event in batch:
                started = time.perf_counter()
                handler(event, None)
                elapsed = time.perf_counter() - started
                if r >= warmup:
                    samples.append(Sample(name, kind, elapsed))
    return samples


def of(samples: Sequence[Sample], subject: str, kind: str | None = None) -> list[float]:
    """The seconds of one subject's samples (of one kind)."""
    return [s.seconds for s in samples if s.subject == subject and kind in (None, s.kind)]


# -- environment and databases -------------------------------------------------------------


@contextlib.contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Set (or with None, remove) environment variables for the block."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def scratch_dir(prefix: str = "coach-bench-") -> Iterator[Path]:
    """A temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


@contextlib.contextmanager
def database(kind: str, options: argparse.Namespace, folder: Path) -> Iterator[str]:
    """A throwaway database: an SQLite file in `folder`, or a schema on the PostgreSQL
    server (dropped afterwards). Yields its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    from tests.databases import private_schema

    with private_schema(options.postgres, prefix="bench") as url:
        yield url


def label(kind: str) -> str:
    """SQLite / PostgreSQL."""
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]


# -- the skill under test ---------------------------------------------------------------


class CoachLambda:
    """lambda/handler.py imported afresh and built on one database (so several can coexist)."""

    def __init__(self, url: str, data_dir: Path) -> None:
        from tests.alexa import load_lambda_handler

        self.url = url
        self._engine: Any = None
        self.module = load_lambda_handler()
        settings: dict[str, str | None] = dict.fromkeys(SKILL_ENV_KEYS)
        settings.update(DATABASE_URL=url, USER_ID_PEPPER=PEPPER, COACH_DATA_DIR=str(data_dir))
        with environment(**settings):
            self.module.handler(session_ended_event(), None)  # builds the skill, migrates
        if self.module._skill is None:
            raise RuntimeError("the skill could not be built (see the log above)")
        self.handler: Handler = self.module.handler

    @property
    def database(self) -> Any:
        """The skill's database (the driver connections its requests use)."""
        return self.module._skill.database

    @property
    def engine(self) -> Any:
        """A SQLAlchemy engine on the skill's database, for seeding (requests don't use it)."""
        if self._engine is None:
            from skill.db.engine import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    def close(self) -> None:
        """Release the database connections."""
        self.module._skill.close()
        if self._engine is not None:
            self._engine.dispose()


def session_ended_event(user_id: str = "amzn1.ask.account.BENCHWARMUP") -> dict[str, Any]:
    """A request that touches no table: it only makes the skill build and migrate."""
    from tests.alexa import Alexa

    return Alexa(lambda event, context: {}, user_id=user_id, now=NOW).envelope(
        {"type": "SessionEndedRequest", "reason": "USER_INITIATED"}
    )
