"""HTTP throughput: the Flask app under gunicorn with request verification on, vs a bare Flask
app returning the same JSON under the same gunicorn settings. Target: ≥ 40% of the bare
app's requests per second, and zero errors.

Both run on 127.0.0.1 with `skill.web.gunicorn_options` (workers, gthread threads, keep-alive,
access log). The load is the request mix for a pool of seeded users, signed with a generated
CA chain and stamped with the time of the run; the coach's verifier trusts that chain's root
and has its certificate cache warm (see http_server.py). The load generator is `wrk` when it
is installed (`apt-get install -y wrk`), else a Python client (threads, keep-alive
connections). On each database the bare app and the coach run side by side and take turns
under load, in short alternating slices, so a noisy machine slows both alike.

(Not named http.py: run as a script, benchmarks/ comes first on sys.path, and a file named
http.py there would shadow the standard library's `http` for everything the script imports.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
    parser,
    ratio,
    scratch_dir,
    table,
)
from benchmarks.pki import Pki, make_pki
from benchmarks.workload import Device, mix, seed_pool
from tests.alexa import SKILL_ID

BENCH = "http"
TARGET = 0.40
STARTUP_LIMIT = 60.0
CONNECTIONS = 16
WRK_THREADS = 2
#: Turns each server gets, alternating, within its `--seconds`.
SLICES = 4


@dataclass
class Load:
    """What a load run saw."""

    requests: int = 0
    seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)
    tool: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


# -- servers ------------------------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(app: str, env: dict[str, str], log: Path) -> Iterator[int]:
    """Start benchmarks/http_server.py, wait (bounded) for /healthz, yield the port, stop it."""
    port = free_port()
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "http_server.py"),
        app,
        "--port",
        str(port),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_LIMIT
            while not healthy(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the {app} server did not start:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.1)
            yield port
        finally:
            process.send_signal(signal.SIGINT)  # the measuring is over: a quick shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def healthy(port: int) -> bool:
    """Whether GET /healthz answers 200."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


# -- requests -----------------------------------------------------------------------------


def signed_requests(devices: list[Device], pki: Pki) -> list[tuple[bytes, dict[str, str]]]:
    """The mix for every device, stamped now and signed: (body, headers)."""
    now = datetime.now(UTC).replace(microsecond=0)
    found = []
    for n, device in enumerate(devices):
        device.now = now
        for _, event in mix(device, n):
            body = json.dumps(event, separators=(",", ":")).encode()
            found.append((body, pki.headers(body)))
    return found


# -- load generators ----------------------------------------------------------------------


def python_load(port: int, requests: list[tuple[bytes, dict[str, str]]], seconds: float) -> Load:
    """Threads with keep-alive connections, each cycling through the requests."""
    load = Load(tool=f"Python client, {CONNECTIONS} threads")
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        done, errors = 0, Counter[str]()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = offset
        while time.monotonic() < stop:
            body, headers = requests[i % len(requests)]
            i += 1
            try:
                connection.request("POST", "/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[f"HTTP {response.status}"] += 1
                done += 1
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.close()
        with lock:
            load.requests += done
            load.errors.update(errors)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - started
    return load


WRK_SCRIPT = """
local requests = {}
local n = 0
init = function(args)
%s
  n = math.random(#requests)
end
request = function()
  n = n %% #requests + 1
  return requests[n]
end
"""


def _lua(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_load(
    port: int, requests: list[tuple[bytes, dict[str, str]]], seconds: float, folder: Path
) -> Load:
    """wrk with a Lua script that cycles through the pre-signed requests."""
    lines = []
    for body, headers in requests:
        fields = ", ".join(f"[ {_lua(k)} ] = {_lua(v)}" for k, v in headers.items())
        request = f'wrk.format("POST", "/", {{{fields}}}, {_lua(body.decode())})'
        lines.append(f"  requests[#requests + 1] = {request}")
    script = folder / "requests.lua"
    script.write_text(WRK_SCRIPT % "\n".join(lines), encoding="utf-8")
    done = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Load:
    """Requests, duration and errors from wrk's summary."""
    load = Load(tool=f"wrk, {WRK_THREADS} threads, {CONNECTIONS} connections")
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    if not total:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    load.requests = int(total.group(1))
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}[total.group(3)]
    load.seconds = float(total.group(2)) * scale
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        for name, value in zip(
            ("connect", "read", "write", "timeout"), socket_errors.groups(), strict=True
        ):
            if int(value):
                load.errors[f"socket {name}"] += int(value)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        load.errors["non-2xx"] += int(non_2xx.group(1))
    return load


def run_load(
    port: int,
    requests: list[tuple[bytes, dict[str, str]]],
    seconds: float,
    tool: str,
    folder: Path,
) -> Load:
    """Load the server for `seconds` (warmed up already)."""
    if tool == "wrk":
        return wrk_load(port, requests, seconds, folder)
    return python_load(port, requests, seconds)


def skill_errors(log: Path) -> int:
    """ERROR lines the server logged (the skill logs every apology it had to give)."""
    return sum(1 for line in log.read_text(errors="replace").splitlines() if "[ERROR]" in line)


def check_answers(port: int, requests: list[tuple[bytes, dict[str, str]]]) -> list[str]:
    """A few requests answered one by one: each must be a real answer, not an apology."""
    problems = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for body, headers in requests[:6]:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        if response.status != 200 or "something went wrong" in text:
            problems.append(f"HTTP {response.status}: {text[:200]}")
    connection.close()
    return problems


# -- the benchmark -----------------------------------------------------------------------


def server_environment(
    url: str, folder: Path, roots: Path, chain: Path, canned: Path
) -> dict[str, str]:
    """The servers' environment (the same for both)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SKILL_ENV_KEYS and not k.startswith(("ALEXA_", "GUNICORN_"))
    }
    env.update(
        DATABASE_URL=url,
        USER_ID_PEPPER=PEPPER,
        COACH_DATA_DIR=str(folder),
        ALEXA_SKILL_ID=SKILL_ID,
        ALEXA_TRUSTED_ROOTS=str(roots),
        BENCH_CHAIN_PEM=str(chain),
        BENCH_CANNED_JSON=str(canned),
        XDG_RUNTIME_DIR=str(folder),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def combined(loads: list[Load]) -> Load:
    """Several load runs counted as one."""
    total = Load(tool=loads[0].tool if loads else "")
    for load in loads:
        total.requests += load.requests
        total.seconds += load.seconds
        total.errors.update(load.errors)
    return total


def alternate(
    ports: dict[str, int],
    requests: list[tuple[bytes, dict[str, str]]],
    seconds: float,
    tool: str,
    folder: Path,
) -> dict[str, Load]:
    """Load each server in turn, SLICES times, swapping who goes first: both see the same
    moments of a noisy machine, so their ratio is steadier than one run after the other."""
    for port in ports.values():
        python_load(port, requests, min(1.0, seconds / 3))  # every worker builds its app
    slices: dict[str, list[Load]] = {name: [] for name in ports}
    names = list(ports)
    for n in range(SLICES):
        for name in names if n % 2 == 0 else names[::-1]:
            slices[name].append(run_load(ports[name], requests, seconds / SLICES, tool, folder))
    return {name: combined(loads) for name, loads in slices.items()}


def run(options: argparse.Namespace, folder: Path) -> tuple[list[list[object]], list[Check]]:
    """Seed each database, then load the bare app and the coach on it in alternating slices."""
    seconds = 1.0 if options.quick else options.seconds
    users = 4 if options.quick else 50
    tool = options.client
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    pki = make_pki()
    roots, chain = pki.write(folder)
    canned = folder / "canned.json"
    rows: list[list[object]] = []
    checks = []
    for kind in backends(options):
        with database(kind, options, folder) as url:
            coach = CoachLambda(url, folder)
            try:
                now = datetime.now(UTC)
                days = 10 if options.quick else 45
                ids = seed_pool(coach.handler, coach.engine, "http", users, days, now)
                devices = [Device(coach.handler, user_id=who) for who in ids]
                if not canned.exists():
                    canned.write_text(json.dumps(coach.handler(mix(devices[0])[2][1], None)))
            finally:
                coach.close()
            env = server_environment(url, folder, roots, chain, canned)
            requests = signed_requests(devices, pki)
            log = folder / f"coach-{kind}.log"
            with contextlib.ExitStack() as servers:
                ports = {
                    "bare": servers.enter_context(server("bare", env, folder / f"bare-{kind}.log")),
                    "coach": servers.enter_context(server("coach", env, log)),
                }
                if kind == "postgresql":
                    query_log = folder / f"bare-query-{kind}.log"
                    ports["floor"] = servers.enter_context(server("bare-query", env, query_log))
                loads = alternate(ports, requests, seconds, tool, folder)
                problems = check_answers(ports["coach"], requests)
            if problems:
                raise RuntimeError("the coach did not answer properly:\n" + "\n".join(problems))
        bare, load = loads["bare"], loads["coach"]
        share = ratio(load.per_second, bare.per_second)
        errors = Counter(load.errors)
        logged = skill_errors(log)
        if logged:
            errors["skill errors logged"] += logged
        rows.append(
            [
                label(kind),
                "bare Flask app",
                f"{bare.per_second:,.0f}",
                bare.requests,
                describe(bare.errors),
                "100%",
            ]
        )
        if "floor" in loads:
            floor = loads["floor"]
            rows.append(
                [
                    label(kind),
                    "bare Flask app + SELECT 1 (the floor)",
                    f"{floor.per_second:,.0f}",
                    floor.requests,
                    describe(floor.errors),
                    f"{ratio(floor.per_second, bare.per_second):.0%}",
                ]
            )
        rows.append(
            [
                label(kind),
                "Comeback Coach, verification on",
                f"{load.per_second:,.0f}",
                load.requests,
                describe(errors),
                f"{share:.0%}",
            ]
        )
        checks.append(
            Check(
                BENCH,
                f"HTTP requests/s vs bare Flask, {label(kind)}",
                f"{share:.0%}",
                f"≥ {TARGET:.0%}",
                share >= TARGET,
            )
        )
        checks.append(
            Check(
                BENCH,
                f"HTTP errors, {label(kind)}",
                str(sum(errors.values())),
                "0",
                not errors and not bare.errors,
            )
        )
    print(
        f"load: {tool}, {seconds:g} s per server in {SLICES} alternating slices after a "
        "warm-up; gunicorn with skill.web.gunicorn_options (workers, gthread, keep-alive, "
        "access log)"
    )
    return rows, checks


def describe(errors: Counter[str]) -> str:
    """0, or what went wrong."""
    if not errors:
        return "0"
    return ", ".join(f"{count} {name}" for name, count in errors.most_common())


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument("--seconds", type=float, default=10.0, help="load per server (default 10)")
    args.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    options = args.parse_args(argv)
    header("HTTP throughput: gunicorn + Flask + verification, vs a bare Flask app", options)
    with scratch_dir() as folder:
        rows, checks = run(options, folder)
    print()
    print(table(["database", "server", "requests/s", "requests", "errors", "of bare"], rows))
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
