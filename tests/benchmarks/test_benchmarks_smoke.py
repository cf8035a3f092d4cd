"""Each benchmark runs once with tiny sizes, so the scripts cannot rot. No timing is asserted:
the figures of a quick run mean nothing, and a busy machine must not fail the suite."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]
LIMIT_SECONDS = 120
VERDICT = re.compile(r"\|\s*(PASS|MISS)\s*\|$")
#: The report lines each benchmark must print, whatever its figures.
REPORT_LINES = {
    "latency": ["latency p50 vs peer", "latency p99 vs peer"],
    "cold_start": ["cold start vs peer", "cold start vs bare skill"],
    "http": ["HTTP requests/s vs peer", "HTTP errors (ours, peer)"],
}


def run_quick(name: str) -> subprocess.CompletedProcess[str]:
    """`benchmarks/run.py --quick --only NAME`."""
    return subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--only", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        check=False,
    )


def test_every_benchmark_has_its_report_lines_listed() -> None:
    assert sorted(REPORT_LINES) == sorted(BENCHMARKS)


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_each_benchmark_runs_once_with_tiny_sizes_and_prints_its_targets(name: str) -> None:
    done = run_quick(name)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output, output
    assert "machine: " in done.stdout
    summary = done.stdout.split("### summary")[1]
    assert "| target" in summary, output
    for line in REPORT_LINES[name]:
        # a report line names the target, the figure, what is wanted and PASS or MISS
        assert any(line in row and VERDICT.search(row) for row in summary.splitlines()), output
