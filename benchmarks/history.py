"""History independence: the request mix for a user with 1 day vs 3 years of daily logs
(target ≤ 1.1×), and on a database of 10 thousand vs 1 million users (target ≤ 1.2×).

Both sides of a comparison are timed round by round in the same process, alternating
which goes first. The long histories are driven through the real handler day by day (so the
running totals are the skill's own) and cloned; the other users are bulk-inserted
(executemany in one transaction on SQLite, COPY on PostgreSQL), each with a few day logs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    Check,
    CoachLambda,
    Handler,
    backends,
    database,
    finish,
    header,
    interleaved,
    label,
    micros,
    of,
    parser,
    percentile,
    ratio,
    scratch_dir,
    table,
    times,
)
from benchmarks.workload import Device, rounds_of, seed_filler_users, seed_pool
from skill.domain import rules

BENCH = "history"
HISTORY_TARGET = 1.1
USERS_TARGET = 1.2
YEARS_3 = 3 * 365


class Sizes:
    """What to build: full figures, or tiny ones for the smoke test."""

    def __init__(self, quick: bool) -> None:
        self.short_days = 1
        self.window_days = rules.HISTORY_WINDOW_DAYS + 1
        self.long_days = 30 if quick else YEARS_3
        self.pool = 3 if quick else 8
        self.small_db = 100 if quick else 10_000
        self.large_db = 1_000 if quick else 1_000_000
        self.filler_days = 2
        self.pool_days = 10 if quick else 45
        self.rounds, self.warmup = (9, 3) if quick else (300, 30)


def users_label(n: int) -> str:
    """10 thousand, 1 million."""
    if n >= 1_000_000:
        return f"{n // 1_000_000:,} million"
    if n >= 1_000:
        return f"{n // 1_000:,} thousand"
    return str(n)


def compare(
    subjects: dict[str, tuple[Handler, list[Device]]], sizes: Sizes
) -> dict[str, tuple[float, float]]:
    """p50 and p99 of the mix for each subject (handler, its users), interleaved."""
    runs = {name: (handler, rounds_of(devices)) for name, (handler, devices) in subjects.items()}
    samples = interleaved(runs, sizes.rounds, sizes.warmup)
    return {
        name: (percentile(of(samples, name), 50), percentile(of(samples, name), 99))
        for name in subjects
    }


def by_history(
    kind: str, options: argparse.Namespace, folder: Path, sizes: Sizes
) -> tuple[list[list[object]], list[Check]]:
    """1 day vs 3 years of daily logs (and, for reference, a full request window), on one
    database."""
    pools = {
        f"{sizes.short_days} day of logs": ("oneday", sizes.short_days),
        f"{sizes.window_days} days of logs (a full window)": ("window", sizes.window_days),
        f"{sizes.long_days:,} days of logs": ("years", sizes.long_days),
    }
    with database(kind, options, folder) as url:
        coach = CoachLambda(url, folder)
        try:
            started = time.perf_counter()
            subjects: dict[str, tuple[Handler, list[Device]]] = {}
            for name, (prefix, days) in pools.items():
                ids = seed_pool(coach.handler, coach.engine, prefix, sizes.pool, days)
                subjects[name] = (coach.handler, [Device(coach.handler, user_id=u) for u in ids])
            seeded = time.perf_counter() - started
            found = compare(subjects, sizes)
        finally:
            coach.close()
    names = list(pools)
    rows = table_rows(kind, names, found, seeded)
    checks = [
        check(kind, "history", names[2], names[0], found, HISTORY_TARGET),
        check(kind, "history", names[2], names[1], found, None),
    ]
    return rows, checks


def by_users(
    kind: str, options: argparse.Namespace, folder: Path, sizes: Sizes
) -> tuple[list[list[object]], list[Check]]:
    """A database of 10 thousand vs 1 million users (the same measured users in both)."""
    names = [
        f"{users_label(sizes.small_db)} users",
        f"{users_label(sizes.large_db)} users",
    ]
    with (
        database(kind, options, folder) as small_url,
        database(kind, options, folder) as large_url,
    ):
        small = CoachLambda(small_url, folder)
        large = CoachLambda(large_url, folder)
        try:
            seeded = 0.0
            subjects: dict[str, tuple[Handler, list[Device]]] = {}
            for name, coach, count in (
                (names[0], small, sizes.small_db),
                (names[1], large, sizes.large_db),
            ):
                seeded += seed_filler_users(coach.url, count, sizes.filler_days)
                ids = seed_pool(coach.handler, coach.engine, "scale", sizes.pool, sizes.pool_days)
                subjects[name] = (coach.handler, [Device(coach.handler, user_id=u) for u in ids])
            found = compare(subjects, sizes)
        finally:
            small.close()
            large.close()
    rows = table_rows(kind, names, found, seeded)
    return rows, [check(kind, "database size", names[1], names[0], found, USERS_TARGET)]


def table_rows(
    kind: str, names: list[str], found: dict[str, tuple[float, float]], seeded: float
) -> list[list[object]]:
    """One row per subject, with its ratios to the first."""
    b50, b99 = found[names[0]]
    rows: list[list[object]] = []
    for n, name in enumerate(names):
        p50, p99 = found[name]
        rows.append(
            [
                label(kind),
                name,
                micros(p50),
                micros(p99),
                times(ratio(p50, b50)),
                times(ratio(p99, b99)),
                f"{seeded:.1f}" if n == 0 else "",
            ]
        )
    return rows


def check(
    kind: str,
    what: str,
    subject: str,
    baseline: str,
    found: dict[str, tuple[float, float]],
    target: float | None,
) -> Check:
    """The p50 of one subject against another (with no target: reported only)."""
    value = ratio(found[subject][0], found[baseline][0])
    return Check(
        BENCH,
        f"{what}: {subject} vs {baseline}, p50, {label(kind)}",
        times(value),
        f"≤ {target}×" if target is not None else "",
        value <= target if target is not None else None,
    )


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument("--only", choices=("history", "users"), help="run one of the two parts")
    options = args.parse_args(argv)
    header("History independence: long histories and large databases", options)
    sizes = Sizes(options.quick)
    print(
        f"history: {sizes.pool} users each with {sizes.short_days} day, {sizes.window_days} days "
        f"(the widest window a request reads) and {sizes.long_days:,} days of daily logs "
        "(driven day by day through the handler, then cloned).\n"
        f"database size: the same {sizes.pool} users ({sizes.pool_days} days of logs) among "
        f"{sizes.small_db:,} vs {sizes.large_db:,} other users with {sizes.filler_days} day logs "
        f"each. The mix as in latency.py, {sizes.rounds} rounds after {sizes.warmup} of warm-up."
    )
    rows: list[list[object]] = []
    checks: list[Check] = []
    with scratch_dir() as folder:
        for kind in backends(options):
            parts = [by_history, by_users]
            if options.only:
                parts = [by_history if options.only == "history" else by_users]
            for part in parts:
                found_rows, found_checks = part(kind, options, folder, sizes)
                rows += found_rows
                checks += found_checks
                sys.stdout.flush()
    print()
    print(
        table(
            ["database", "the mix for", "p50 µs", "p99 µs", "p50 ratio", "p99 ratio", "seeding s"],
            rows,
        )
    )
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
