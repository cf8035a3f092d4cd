"""Each benchmark runs once with tiny sizes, so the scripts cannot rot. No timing is asserted:
the figures of a quick run mean nothing, and a busy machine must not fail the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.common import POSTGRES_ENV, TARGET_MISSED
from benchmarks.run import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]
LIMIT_SECONDS = 120


def run_quick(name: str) -> subprocess.CompletedProcess[str]:
    """`benchmarks/run.py --quick --only NAME` (on PostgreSQL too when POSTGRES_ENV is set)."""
    return subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--only", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_each_benchmark_runs_once_with_tiny_sizes_and_prints_its_targets(name: str) -> None:
    done = run_quick(name)
    output = done.stdout + done.stderr
    # 3: it ran, but a deterministic target (SQL statements per request) was missed; that is
    # the benchmark's finding to report, not rot.
    assert done.returncode in (0, TARGET_MISSED), output
    assert "Traceback" not in output, output
    assert "machine: " in done.stdout
    assert "### summary" in done.stdout
    assert "| target" in done.stdout.split("### summary")[1], output
    if os.environ.get(POSTGRES_ENV):
        assert "PostgreSQL" in done.stdout.split("### summary")[0]
    else:
        assert f"PostgreSQL: skipped ({POSTGRES_ENV} is not set" in done.stdout
