"""What every benchmark shares: arguments, the machine line, the two skills, timing, tables."""

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEPPER = "benchmark-pepper-not-a-secret"
#: The clock of every benchmark's requests.
NOW = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
#: Settings the developer's shell must not leak into a benchmark's skill.
SKILL_ENV_KEYS = ("ALEXA_SKILL_ID", "AUTO_MIGRATE", "COACH_DATA_DIR", "DATABASE_URL")

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


# -- arguments and results ---------------------------------------------------------------


def parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark script takes."""
    args = argparse.ArgumentParser(description=description)
    args.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run in seconds")
    args.add_argument("--json", metavar="PATH", help="also write the checks as JSON (for run.py)")
    return args


@dataclass(frozen=True)
class Check:
    """One figure held against its target."""

    benchmark: str
    name: str
    figure: str
    target: str
    met: bool


def ratio(value: float, baseline: float) -> float:
    """value / baseline, safe for a zero baseline."""
    return value / baseline if baseline > 0 else math.inf


def times(value: float) -> str:
    """A ratio as 0.81×."""
    return f"{value:.2f}×"


def at_most(benchmark: str, name: str, value: float, target: float) -> Check:
    """A ratio that must not exceed its target."""
    return Check(benchmark, name, times(value), f"≤ {target}×", value <= target)


def verdict(met: bool) -> str:
    """PASS / MISS."""
    return "PASS" if met else "MISS"


def finish(options: argparse.Namespace, checks: Sequence[Check]) -> None:
    """Print the targets and write them as JSON when asked."""
    rows = [[c.name, c.figure, c.target, verdict(c.met)] for c in checks]
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


def machine() -> str:
    """One line naming what the figures were measured on."""
    parts = [
        f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})",
        f"{platform.system()} {platform.machine()}",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
        f"ask-sdk-core {version_of('ask-sdk-core')}",
        f"SQLAlchemy {version_of('SQLAlchemy')}",
    ]
    return "machine: " + ", ".join(parts)


def header(title: str, options: argparse.Namespace) -> None:
    """The benchmark's title and the machine."""
    mode = " (quick: tiny sizes, figures are not meaningful)" if options.quick else ""
    print(f"== {title}{mode}")
    print(machine())
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


# -- the skills under test ----------------------------------------------------------------


@contextlib.contextmanager
def scratch_dir(prefix: str = "coach-bench-") -> Iterator[Path]:
    """A temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def sqlite_url(folder: Path, name: str) -> str:
    """A fresh SQLite file in `folder`."""
    return f"sqlite:///{folder / f'{name}.db'}"


def coach_env(url: str, folder: Path) -> dict[str, str]:
    """The settings our skill reads from the environment, for a benchmark's database."""
    return {"DATABASE_URL": url, "USER_ID_PEPPER": PEPPER, "COACH_DATA_DIR": str(folder)}


def child_env(url: str, folder: Path) -> dict[str, str]:
    """A child process's environment: ours, without the developer's own skill settings."""
    env = {k: v for k, v in os.environ.items() if k not in SKILL_ENV_KEYS}
    env.update(coach_env(url, folder))
    return env


def open_coach(url: str, folder: Path) -> Any:
    """Comeback Coach built on `url` through `skill.app.build_skill` (it migrates on first use)."""
    from skill.app import build_skill
    from skill.config import Settings

    return build_skill(Settings.from_env(coach_env(url, folder)))


def coach_handler(coach: Any) -> Handler:
    """Our skill as a (event, context) handler, the way lambda/handler.py calls it."""
    return lambda event, _context: coach.invoke(event)  # type: ignore[no-any-return]


def open_peer(url: str) -> Any:
    """The textbook peer built on `url`."""
    from benchmarks import peer_skill

    return peer_skill.build(url, PEPPER)
