"""In-process latency: the realistic request mix, Comeback Coach vs the textbook peer.

Both skills get the same envelopes (built before the clock starts) for the same users, each
seeded through its own handler with the same days of logs, round by round, alternating which
goes first. Ours is called as lambda/handler.py calls it (`build_skill(...).invoke`), the peer
through its own handler (DefaultSerializer, SkillBuilder's skill, an ORM session per request).
Targets: p50 ≤ 0.8× and p99 ≤ 1.0× the peer's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    at_most,
    coach_handler,
    finish,
    header,
    interleaved,
    micros,
    of,
    open_coach,
    open_peer,
    parser,
    percentile,
    ratio,
    scratch_dir,
    sqlite_url,
    table,
    times,
)
from benchmarks.workload import MIX, check_answers, rounds_of, seed_pool

P50_TARGET = 0.8
P99_TARGET = 1.0
BENCH = "latency"
PEER = "textbook peer"
COACH = "Comeback Coach"


class Sizes:
    """How much to measure: full figures, or tiny ones for the smoke test."""

    def __init__(self, quick: bool) -> None:
        self.users, self.days = (3, 5) if quick else (20, 45)
        self.rounds, self.warmup = (6, 2) if quick else (400, 40)


def main(argv: list[str] | None = None) -> int:
    options = parser(__doc__.splitlines()[0]).parse_args(argv)
    header("In-process latency: the request mix, Comeback Coach vs the textbook peer", options)
    sizes = Sizes(options.quick)
    print(
        f"mix: {', '.join(MIX)}, each a one-shot session, for {sizes.users} users with "
        f"{sizes.days} days of daily logs; {sizes.rounds} rounds after {sizes.warmup} of "
        "warm-up; SQLite, one file per skill. No apiAccessToken, so no Settings API call."
    )
    with scratch_dir() as folder:
        coach = open_coach(sqlite_url(folder, "coach"), folder)
        peer = open_peer(sqlite_url(folder, "peer"))
        try:
            ours = seed_pool(coach_handler(coach), "latency", sizes.users, sizes.days)
            theirs = seed_pool(peer.invoke, "latency", sizes.users, sizes.days)
            check_answers(coach_handler(coach), ours[0])
            check_answers(peer.invoke, theirs[0])
            subjects = {
                PEER: (peer.invoke, rounds_of(theirs)),
                COACH: (coach_handler(coach), rounds_of(ours)),
            }
            samples = interleaved(subjects, sizes.rounds, sizes.warmup)
        finally:
            coach.close()
            peer.close()
    p = {name: (percentile(of(samples, name), 50), percentile(of(samples, name), 99))
         for name in (PEER, COACH)}  # fmt: skip
    (peer50, peer99), (our50, our99) = p[PEER], p[COACH]
    rows = [
        [name, len(of(samples, name)), micros(p50), micros(p99),
         times(ratio(p50, peer50)), times(ratio(p99, peer99))]
        for name, (p50, p99) in p.items()
    ]  # fmt: skip
    print()
    print(table(["skill", "requests", "p50 µs", "p99 µs", "p50 ratio", "p99 ratio"], rows))
    per_request = []
    for kind in MIX:
        mine, theirs_ = of(samples, COACH, kind), of(samples, PEER, kind)
        m50, t50 = percentile(mine, 50), percentile(theirs_, 50)
        per_request.append([kind, micros(m50), micros(t50), times(ratio(m50, t50))])
    print()
    print("By request (p50 of each kind):")
    print(table(["request", "ours µs", "peer µs", "ratio"], per_request))
    finish(
        options,
        [
            at_most(BENCH, "latency p50 vs peer", ratio(our50, peer50), P50_TARGET),
            at_most(BENCH, "latency p99 vs peer", ratio(our99, peer99), P99_TARGET),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
