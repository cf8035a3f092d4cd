"""Run the benchmarks (each in its own process) and print one summary of every target.

    python benchmarks/run.py                      # everything, full sizes (a few minutes)
    python benchmarks/run.py --quick              # tiny sizes: a smoke run in seconds
    python benchmarks/run.py --only latency --only http

Exits 1 when a benchmark could not run. Targets are reported (PASS / MISS), never enforced:
they are timings, and a busy machine must not fail a build.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, header, parser, table, verdict

BENCHMARKS = {
    "latency": "latency.py",
    "cold_start": "cold_start.py",
    "http": "http_throughput.py",
}


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHMARKS),
        help="run only this benchmark (repeatable)",
    )
    options = args.parse_args(argv)
    header("Comeback Coach benchmarks", options)
    chosen = options.only or list(BENCHMARKS)
    passthrough = ["--quick"] if options.quick else []
    summary: list[list[object]] = []
    everything: list[dict[str, object]] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="coach-bench-run-") as folder:
        for name in chosen:
            results = Path(folder) / f"{name}.json"
            print(f"\n### {name}\n", flush=True)
            started = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / BENCHMARKS[name]),
                    *passthrough,
                    "--json",
                    str(results),
                ],
                cwd=ROOT,
                check=False,
            )
            print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
            if done.returncode != 0:
                failed.append(name)
            if results.exists():
                for check in json.loads(results.read_text()):
                    everything.append(check)
                    summary.append(
                        [
                            check["name"],
                            check["figure"],
                            check["target"],
                            verdict(check["met"]),
                        ]
                    )
    print("\n### summary\n")
    print(table(["target", "figure", "wanted", "result"], summary))
    if options.json:
        Path(options.json).write_text(json.dumps(everything, indent=1))
    if failed:
        print(f"\nfailed to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
