"""Cold start: a fresh `python` importing lambda/handler.py and answering one LaunchRequest,
vs a fresh `python` doing the same for a bare ask-sdk-core skill. Target: median ≤ 1.5×.

Each repetition starts both processes (alternating which goes first) against a database the
parent has already migrated and put a returning user in. The figure is the time from spawning
the process to its answer: interpreter start-up included, as in Lambda's INIT + first invoke;
the interpreter's exit not, as Lambda freezes a process instead. Before measuring, skill/ and
lambda/ are compiled to checked-hash bytecode for this Python, as the Lambda bundle carries
them (scripts/compile-bytecode); the children never write bytecode (PYTHONDONTWRITEBYTECODE=1),
so no run warms the next. On
PostgreSQL a third process shows the floor under any skill that uses it: the bare skill, also
importing psycopg2, connecting and running one SELECT. One more run under `python -X importtime`
names the heaviest imports.
"""

from __future__ import annotations

import argparse
import json
import os
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
    PEPPER,
    ROOT,
    SKILL_ENV_KEYS,
    Check,
    CoachLambda,
    backends,
    database,
    finish,
    header,
    label,
    millis,
    parser,
    ratio,
    scratch_dir,
    table,
    times,
)
from benchmarks.workload import Device, seed_journey, user_id

BENCH = "cold start"
TARGET = 1.5
HANDLERS = {
    "Comeback Coach": ROOT / "lambda" / "handler.py",
    "bare ask-sdk-core": ROOT / "benchmarks" / "bare_skill.py",
}
#: What the child process runs: import the handler by path (lambda/ is a keyword), answer.
CHILD = """
import importlib.util, json, sys, time
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("cold_handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
imported = time.perf_counter()
with open(sys.argv[2], encoding="utf-8") as f:
    event = json.load(f)
answer = module.handler(event, None)
answered = time.perf_counter()
assert answer["response"]["outputSpeech"]["ssml"]
print(json.dumps({"import": imported - started, "answer": answered - imported}), flush=True)
"""
#: The floor under any PostgreSQL-backed skill: the bare skill, whose handler first imports
#: the driver, connects and runs one query.
DRIVER_FLOOR = """
import importlib.util
import os

spec = importlib.util.spec_from_file_location("bare_skill", {bare!r})
bare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bare)


def handler(event, context):
    import psycopg2

    url = "postgresql://" + os.environ["DATABASE_URL"].split("://", 1)[1]
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    connection.close()
    return bare.handler(event, context)
"""
FLOOR = "bare skill + psycopg2: import, connect, SELECT 1"
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def child_env(url: str, folder: Path) -> dict[str, str]:
    """The Lambda's environment, without the developer's own skill settings."""
    env = {k: v for k, v in os.environ.items() if k not in SKILL_ENV_KEYS}
    env.update(
        DATABASE_URL=url,
        USER_ID_PEPPER=PEPPER,
        COACH_DATA_DIR=str(folder),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def compile_skill() -> str:
    """Compile skill/ and lambda/ as the Lambda bundle has them (its site-packages were
    compiled by pip already); what was done, for the output."""
    import compileall
    import py_compile

    for folder in ("skill", "lambda"):
        compiled = compileall.compile_dir(
            ROOT / folder,
            quiet=1,
            invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
        )
        if not compiled:
            raise RuntimeError(f"{folder}/ does not compile")
    tag = sys.implementation.cache_tag
    return f"skill/ and lambda/ compiled to {tag} bytecode first, as in the Lambda bundle"


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


def measure(
    kind: str, options: argparse.Namespace, folder: Path, reps: int
) -> tuple[list[list[object]], list[Check], str]:
    """Rows, the check and one -X importtime log of the coach, on one database."""
    with database(kind, options, folder) as url:
        coach = CoachLambda(url, folder)
        try:
            who = user_id("coldstart", 0)
            seed_journey(coach.handler, who, 5)
            event = Device(coach.handler, user_id=who).one_shot({"type": "LaunchRequest"})
        finally:
            coach.close()
        event_file = folder / f"launch-{kind}.json"
        event_file.write_text(json.dumps(event), encoding="utf-8")
        env = child_env(url, folder)
        handlers = dict(HANDLERS)
        if kind == "postgresql":
            floor = folder / "driver_floor.py"
            bare_skill = str(HANDLERS["bare ask-sdk-core"])
            floor.write_text(DRIVER_FLOOR.format(bare=bare_skill), encoding="utf-8")
            handlers[FLOOR] = floor
        walls: dict[str, list[float]] = {name: [] for name in handlers}
        inside: dict[str, list[tuple[float, float]]] = {name: [] for name in handlers}
        names = list(handlers)
        for rep in range(reps + 1):  # the first round warms the page cache and is dropped
            for name in names if rep % 2 else names[::-1]:
                wall, timings, _ = run_child(handlers[name], event_file, env, folder)
                if rep:
                    walls[name].append(wall)
                    inside[name].append((timings["import"], timings["answer"]))
        _, _, importtime = run_child(
            HANDLERS["Comeback Coach"], event_file, env, folder, "-X", "importtime"
        )
    bare = statistics.median(walls["bare ask-sdk-core"])
    rows: list[list[object]] = []
    for name in ("bare ask-sdk-core", "Comeback Coach", FLOOR):
        if name not in walls:
            continue
        wall = statistics.median(walls[name])
        imported = statistics.median(t[0] for t in inside[name])
        answered = statistics.median(t[1] for t in inside[name])
        rows.append(
            [
                label(kind),
                name,
                millis(wall),
                millis(imported),
                millis(answered),
                times(ratio(wall, bare)),
            ]
        )
    coach_wall = statistics.median(walls["Comeback Coach"])
    check = Check(
        BENCH,
        f"cold start, median of {reps}, {label(kind)}",
        times(ratio(coach_wall, bare)),
        f"≤ {TARGET}×",
        ratio(coach_wall, bare) <= TARGET,
    )
    return rows, [check], importtime


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument("--reps", type=int, help="repetitions (default 20, quick 1)")
    options = args.parse_args(argv)
    reps = options.reps or (1 if options.quick else 20)
    header("Cold start: a fresh process imports the handler and answers one launch", options)
    print(compile_skill())
    rows: list[list[object]] = []
    checks: list[Check] = []
    importtimes: dict[str, str] = {}
    with scratch_dir() as folder:
        for kind in backends(options):
            found_rows, found_checks, importtimes[kind] = measure(kind, options, folder, reps)
            rows += found_rows
            checks += found_checks
    print()
    print(
        table(
            ["database", "handler", "spawn to answer ms", "import ms", "first answer ms", "ratio"],
            rows,
        )
    )
    for kind, log in importtimes.items():
        print()
        print(f"Heaviest imports of lambda/handler.py (python -X importtime, {label(kind)}):")
        print(table(["package", "self ms", "share"], heaviest_imports(log, 12)))
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
