"""In-process latency: the realistic mix through lambda/handler.py vs a bare ask-sdk-core skill.

Both handlers get the same envelopes (built before the clock starts), round by round,
alternating which goes first; p50 and p99 per database, with the ratio to the bare skill.
Targets: p50 ≤ 2.5×, p99 ≤ 4×.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bare_skill
from benchmarks.common import (
    Check,
    CoachLambda,
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
from benchmarks.workload import MIX, Device, rounds_of, seed_pool

P50_TARGET = 2.5
P99_TARGET = 4.0
BENCH = "latency"
BARE = "bare SDK"
COACH = "Comeback Coach"
ROUND_TRIP = "one round trip"


def round_trip(database: Any) -> Any:
    """A 'handler' that only sends SELECT 1 on a pooled connection of the skill's database:
    the floor under any request that reads PostgreSQL at all."""

    def handler(_event: Any, _context: Any) -> None:
        connection = database.checkout()
        try:
            database.execute(connection, "SELECT 1").fetchone()
        finally:
            database.checkin(connection)

    return handler


class Sizes:
    """How much to measure: full figures, or tiny ones for the smoke test."""

    def __init__(self, quick: bool) -> None:
        self.users, self.days = (4, 10) if quick else (20, 45)
        self.rounds, self.warmup = (12, 3) if quick else (400, 40)


def measure(
    kind: str, options: argparse.Namespace, folder: Path, sizes: Sizes
) -> tuple[list[list[object]], list[list[object]], list[Check]]:
    """The totals rows, the per-request rows and the checks for one database."""
    with database(kind, options, folder) as url:
        coach = CoachLambda(url, folder)
        try:
            ids = seed_pool(coach.handler, coach.engine, "latency", sizes.users, sizes.days)
            ours = [Device(coach.handler, user_id=who) for who in ids]
            theirs = [Device(bare_skill.handler, user_id=who) for who in ids]
            subjects = {
                BARE: (bare_skill.handler, rounds_of(theirs)),
                COACH: (coach.handler, rounds_of(ours)),
            }
            if kind == "postgresql":
                pings = [(ROUND_TRIP, {})] * len(MIX)
                subjects[ROUND_TRIP] = (round_trip(coach.database), lambda _r: pings)
            samples = interleaved(subjects, sizes.rounds, sizes.warmup)
        finally:
            coach.close()
    name = label(kind)
    bare, coach_samples = of(samples, BARE), of(samples, COACH)
    b50, b99 = percentile(bare, 50), percentile(bare, 99)
    o50, o99 = percentile(coach_samples, 50), percentile(coach_samples, 99)
    totals: list[list[object]] = [
        [name, "bare ask-sdk-core", len(bare), micros(b50), micros(b99), "1.00×", "1.00×"],
        [
            name,
            COACH,
            len(coach_samples),
            micros(o50),
            micros(o99),
            times(ratio(o50, b50)),
            times(ratio(o99, b99)),
        ],
    ]
    trips = of(samples, ROUND_TRIP)
    if trips:
        t50, t99 = percentile(trips, 50), percentile(trips, 99)
        totals.append(
            [
                name,
                "SELECT 1 alone (the floor)",
                len(trips),
                micros(t50),
                micros(t99),
                times(ratio(t50, b50)),
                times(ratio(t99, b99)),
            ]
        )
    per_request: list[list[object]] = []
    for kind_of_request in MIX:
        found = of(samples, COACH, kind_of_request)
        p50 = percentile(found, 50)
        per_request.append(
            [
                name,
                kind_of_request,
                micros(p50),
                micros(percentile(found, 99)),
                times(ratio(p50, b50)),
            ]
        )
    checks = [
        Check(
            BENCH,
            f"latency p50, {name}",
            times(ratio(o50, b50)),
            f"≤ {P50_TARGET}×",
            ratio(o50, b50) <= P50_TARGET,
        ),
        Check(
            BENCH,
            f"latency p99, {name}",
            times(ratio(o99, b99)),
            f"≤ {P99_TARGET}×",
            ratio(o99, b99) <= P99_TARGET,
        ),
    ]
    return totals, per_request, checks


def main(argv: list[str] | None = None) -> int:
    options = parser(__doc__.splitlines()[0]).parse_args(argv)
    header(
        "In-process latency: the request mix, Comeback Coach vs a bare ask-sdk-core skill", options
    )
    sizes = Sizes(options.quick)
    print(
        f"mix: {', '.join(MIX)}, each a one-shot session, for {sizes.users} users with "
        f"{sizes.days} days of daily logs; {sizes.rounds} rounds after {sizes.warmup} of "
        "warm-up. No apiAccessToken, so no Settings API call (see statements.py for that path)."
    )
    totals: list[list[object]] = []
    per_request: list[list[object]] = []
    checks: list[Check] = []
    with scratch_dir() as folder:
        for kind in backends(options):
            found_totals, found_per_request, found_checks = measure(kind, options, folder, sizes)
            totals += found_totals
            per_request += found_per_request
            checks += found_checks
    print()
    print(
        table(
            ["database", "skill", "requests", "p50 µs", "p99 µs", "p50 ratio", "p99 ratio"], totals
        )
    )
    print()
    print("Comeback Coach by request (p50 ratio to the bare skill's p50 over the whole mix):")
    print(table(["database", "request", "p50 µs", "p99 µs", "p50 ratio"], per_request))
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
