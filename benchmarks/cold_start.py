"""Cold start: a fresh `python` importing a handler and answering one LaunchRequest, for
Comeback Coach (lambda/handler.py), the textbook peer (benchmarks/peer_skill.py) and the bare
hello-world skill (benchmarks/bare_skill.py). Targets: median ≤ 0.6× the peer's, ≤ 1.5× the
bare skill's.

Each repetition starts the three processes (rotating which goes first), ours and the peer each
on its own SQLite file that the parent has already created and put a returning user in. The
figure is the time from spawning the process to its answer: interpreter start-up included, as
in Lambda's INIT + first invoke; the interpreter's exit not, as Lambda freezes a process
instead. Before measuring, skill/, lambda/ and benchmarks/ are compiled to checked-hash
bytecode for this Python, as the Lambda bundle carries them (scripts/compile-bytecode); the
children never write bytecode (PYTHONDONTWRITEBYTECODE=1), so no run warms the next. One more
run under `python -X importtime` names the heaviest imports of ours.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    ROOT,
    at_most,
    child_env,
    coach_handler,
    finish,
    header,
    millis,
    open_coach,
    open_peer,
    parser,
    ratio,
    scratch_dir,
    sqlite_url,
    table,
    times,
)
from benchmarks.workload import Device, seed_journey, user_id

BENCH = "cold start"
PEER_TARGET = 0.6
BARE_TARGET = 1.5
COACH, PEER, BARE = "Comeback Coach", "textbook peer", "bare ask-sdk-core"
HANDLERS = {
    COACH: ROOT / "lambda" / "handler.py",
    PEER: ROOT / "benchmarks" / "peer_skill.py",
    BARE: ROOT / "benchmarks" / "bare_skill.py",
}
#: What the child process runs: import the handler by path (lambda/ is a keyword) and
#: register it as an import would (the peer's ORM models resolve their annotations there).
CHILD = """
import importlib.util, json, sys, time
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("cold_handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
imported = time.perf_counter()
with open(sys.argv[2], encoding="utf-8") as f:
    event = json.load(f)
answer = module.handler(event, None)
answered = time.perf_counter()
assert answer["response"]["outputSpeech"]["ssml"]
print(json.dumps({"import": imported - started, "answer": answered - imported}), flush=True)
"""
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def compile_skill() -> str:
    """Compile skill/, lambda/ and benchmarks/ (the peer and the bare skill) as the Lambda
    bundle has them (site-packages were compiled by pip already); what was done, for the
    output."""
    import compileall
    import py_compile

    for folder in ("skill", "lambda", "benchmarks"):
        compiled = compileall.compile_dir(
            ROOT / folder,
            quiet=1,
            invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
        )
        if not compiled:
            raise RuntimeError(f"{folder}/ does not compile")
    tag = sys.implementation.cache_tag
    return f"skill/, lambda/, benchmarks/ compiled to {tag} bytecode first, as in the Lambda bundle"


def run_child(
    handler: Path, event_file: Path, env: dict[str, str], folder: Path, *flags: str
) -> tuple[float, dict[str, Any], str]:
    """Seconds from spawning the process to its answer, the child's own timings, and its
    stderr. The clock stops at the answer, not at exit: Lambda freezes a process after a
    response instead of ending it, so tearing down the interpreter is no part of a cold start."""
    errors = folder / "child-stderr.txt"
    with errors.open("w", encoding="utf-8") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *flags, "-c", CHILD, str(handler), str(event_file)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        answered = time.perf_counter() - started
        process.communicate(timeout=120)
    log = errors.read_text(encoding="utf-8")
    if process.returncode != 0 or not line:
        raise RuntimeError(f"cold-start child failed:\n{log[-3000:]}")
    return answered, json.loads(line), log


def heaviest_imports(stderr: str, top: int) -> list[list[object]]:
    """Self import time summed per top-level package, largest first."""
    per_package: dict[str, int] = defaultdict(int)
    total = 0
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            own = int(match.group(1))
            per_package[match.group(4).split(".")[0]] += own
            total += own
    ranked = sorted(per_package.items(), key=lambda item: -item[1])[:top]
    return [[name, f"{us / 1000:.1f}", f"{us / total:.0%}"] for name, us in ranked]


def prepare(folder: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """A returning user in ours and in the peer's database, their launch event on disk, and
    each handler's environment (the bare skill reads nothing)."""
    who = user_id("coldstart", 0)
    urls = {COACH: sqlite_url(folder, "coach"), PEER: sqlite_url(folder, "peer")}
    coach, peer = open_coach(urls[COACH], folder), open_peer(urls[PEER])
    try:
        seed_journey(coach_handler(coach), who, 5)
        seed_journey(peer.invoke, who, 5)
    finally:
        coach.close()
        peer.close()
    event_file = folder / "launch.json"
    event = Device(peer.invoke, user_id=who).one_shot({"type": "LaunchRequest"})
    event_file.write_text(json.dumps(event), encoding="utf-8")
    envs = {name: child_env(urls.get(name, urls[COACH]), folder) for name in HANDLERS}
    for env in envs.values():
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return event_file, envs


def measure(folder: Path, reps: int) -> tuple[list[list[object]], list[Any], str]:
    """Rows, the checks and one -X importtime log of ours."""
    event_file, envs = prepare(folder)
    walls: dict[str, list[float]] = {name: [] for name in HANDLERS}
    inside: dict[str, list[tuple[float, float]]] = {name: [] for name in HANDLERS}
    names = list(HANDLERS)
    for rep in range(reps + 1):  # the first round warms the page cache and is dropped
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            wall, timings, _ = run_child(HANDLERS[name], event_file, envs[name], folder)
            if rep:
                walls[name].append(wall)
                inside[name].append((timings["import"], timings["answer"]))
    _, _, importtime = run_child(
        HANDLERS[COACH], event_file, envs[COACH], folder, "-X", "importtime"
    )
    median = {name: statistics.median(walls[name]) for name in names}
    rows: list[list[object]] = []
    for name in (BARE, PEER, COACH):
        rows.append(
            [
                name,
                millis(median[name]),
                millis(statistics.median(t[0] for t in inside[name])),
                millis(statistics.median(t[1] for t in inside[name])),
                times(ratio(median[name], median[PEER])),
                times(ratio(median[name], median[BARE])),
            ]
        )
    checks = [
        at_most(BENCH, f"cold start vs peer, median of {reps}",
                ratio(median[COACH], median[PEER]), PEER_TARGET),
        at_most(BENCH, f"cold start vs bare skill, median of {reps}",
                ratio(median[COACH], median[BARE]), BARE_TARGET),
    ]  # fmt: skip
    return rows, checks, importtime


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument("--reps", type=int, help="repetitions (default 20, quick 1)")
    options = args.parse_args(argv)
    reps = options.reps or (1 if options.quick else 20)
    header("Cold start: a fresh process imports the handler and answers one launch", options)
    print(compile_skill())
    with scratch_dir() as folder:
        rows, checks, importtime = measure(folder, reps)
    print()
    print(
        table(
            ["handler", "spawn to answer ms", "import ms", "first answer ms", "vs peer", "vs bare"],
            rows,
        )
    )
    print()
    print("Heaviest imports of lambda/handler.py (python -X importtime):")
    print(table(["package", "self ms", "share"], heaviest_imports(importtime, 12)))
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
