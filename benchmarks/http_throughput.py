"""HTTP throughput: Comeback Coach's Flask app under gunicorn vs the textbook peer's Flask app
under the same gunicorn settings. Targets: ≥ 1.5× the peer's requests per second, 0 errors.

Both run on 127.0.0.1 with `skill.web.gunicorn_options` (workers, gthread threads, keep-alive,
access log), request verification off, each on its own SQLite file seeded with the same users
and days through its own skill. The load is the request mix for that pool of users. The load
generator is `wrk` when it is installed (`apt-get install -y wrk`), else a Python client
(threads, keep-alive connections); the output says which, and why. The two servers run side
by side and take turns under load, in short alternating slices, so a noisy machine slows both
alike.

(Not named http.py: run as a script, benchmarks/ comes first on sys.path, and a file named
http.py there would shadow the standard library's `http` for everything the script imports.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    ROOT,
    Check,
    child_env,
    coach_handler,
    finish,
    header,
    open_coach,
    open_peer,
    parser,
    ratio,
    scratch_dir,
    sqlite_url,
    table,
    times,
)
from benchmarks.workload import Device, mix, seed_pool

BENCH = "http"
COACH, PEER = "Comeback Coach", "textbook peer"
APPS = {COACH: "coach", PEER: "peer"}
TARGET = 1.5
STARTUP_LIMIT = 60.0
CONNECTIONS = 16
WRK_THREADS = 2
#: Turns each server gets, alternating, within its `--seconds`.
SLICES = 4
HEADERS = {"Content-Type": "application/json"}

Request = tuple[bytes, dict[str, str]]


@dataclass
class Load:
    """What a load run saw."""

    requests: int = 0
    seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


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


def requests_for(devices: list[Device]) -> list[Request]:
    """The mix for every device: (body, headers)."""
    return [
        (json.dumps(event, separators=(",", ":")).encode(), HEADERS)
        for n, device in enumerate(devices)
        for _, event in mix(device, n)
    ]


# -- load generators ----------------------------------------------------------------------


def python_load(port: int, requests: list[Request], seconds: float) -> Load:
    """Threads with keep-alive connections, each cycling through the requests."""
    load = Load()
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


def wrk_load(port: int, requests: list[Request], seconds: float, folder: Path) -> Load:
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
    load = Load()
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
    requests: list[Request],
    seconds: float,
    tool: str,
    folder: Path,
) -> Load:
    """Load the server for `seconds` (warmed up already)."""
    if tool == "wrk":
        return wrk_load(port, requests, seconds, folder)
    return python_load(port, requests, seconds)


def skill_errors(log: Path) -> tuple[int, str]:
    """How many ERROR lines the server logged (each skill logs every apology it had to give),
    and the first of them with what follows it (its traceback), to print."""
    lines = log.read_text(errors="replace").splitlines()
    found = [n for n, line in enumerate(lines) if "[ERROR]" in line]
    first = "\n".join(lines[found[0] : found[0] + 40]) if found else ""
    return len(found), first


def check_answers(port: int, requests: list[Request]) -> list[str]:
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


def combined(loads: list[Load]) -> Load:
    """Several load runs counted as one."""
    total = Load()
    for load in loads:
        total.requests += load.requests
        total.seconds += load.seconds
        total.errors.update(load.errors)
    return total


def alternate(
    ports: dict[str, int],
    requests: list[Request],
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


def run(options: argparse.Namespace, folder: Path) -> tuple[list[list[object]], list[Check], str]:
    """Seed both databases, then load the peer and ours in alternating slices."""
    seconds = 1.0 if options.quick else options.seconds
    users, days = (3, 5) if options.quick else (50, 45)
    tool, why = load_tool(options.client)
    urls = {COACH: sqlite_url(folder, "coach"), PEER: sqlite_url(folder, "peer")}
    coach, peer = open_coach(urls[COACH], folder), open_peer(urls[PEER])
    try:
        devices = seed_pool(coach_handler(coach), "http", users, days)
        seed_pool(peer.invoke, "http", users, days)
    finally:
        coach.close()
        peer.close()
    requests = requests_for(devices)
    logs = {name: folder / f"{name.split()[-1].lower()}.log" for name in urls}
    with contextlib.ExitStack() as servers:
        ports = {
            name: servers.enter_context(
                server(APPS[name], server_env(urls[name], folder), logs[name])
            )
            for name in (PEER, COACH)
        }
        loads = alternate(ports, requests, seconds, tool, folder)
        problems = {name: check_answers(port, requests) for name, port in ports.items()}
    rows: list[list[object]] = []
    errors: dict[str, Counter[str]] = {}
    for name, load in loads.items():
        errors[name] = Counter(load.errors)
        logged, first = skill_errors(logs[name])
        if logged:
            errors[name]["errors logged"] += logged
            print(f"{name} logged {logged} errors; the first:\n{first}\n")
        if problems[name]:
            errors[name]["bad answers"] += len(problems[name])
            print(f"{name} did not answer properly:\n" + "\n".join(problems[name]))
        share = ratio(load.per_second, loads[PEER].per_second)
        rows.append(
            [name, f"{load.per_second:,.0f}", load.requests, describe(errors[name]), times(share)]
        )
    share = ratio(loads[COACH].per_second, loads[PEER].per_second)
    checks = [
        Check(BENCH, "HTTP requests/s vs peer", times(share), f"≥ {TARGET}×", share >= TARGET),
        Check(
            BENCH,
            "HTTP errors (ours, peer)",
            f"{sum(errors[COACH].values())}, {sum(errors[PEER].values())}",
            "0, 0",
            not errors[COACH] and not errors[PEER],
        ),
    ]
    note = (
        f"load: {tool}{why}, {seconds:g} s per server in {SLICES} alternating slices after a "
        f"warm-up, {len(requests)} distinct requests ({users} users with {days} days of logs); "
        "gunicorn with skill.web.gunicorn_options, verification off for both"
    )
    return rows, checks, note


def server_env(url: str, folder: Path) -> dict[str, str]:
    """A server's environment: the benchmark's database, none of the shell's Alexa or gunicorn
    settings."""
    env = {
        k: v for k, v in child_env(url, folder).items() if not k.startswith(("ALEXA_", "GUNICORN_"))
    }
    env["XDG_RUNTIME_DIR"] = str(folder)
    return env


def load_tool(choice: str) -> tuple[str, str]:
    """wrk or python, and a note when wrk was wanted but is missing."""
    found = shutil.which("wrk")
    if choice == "wrk" and not found:
        raise SystemExit("wrk is not installed (apt-get install -y wrk); try --client python")
    if choice == "auto" and not found:
        return "python", " (wrk is NOT installed: apt-get install -y wrk for steadier figures)"
    return ("wrk" if choice != "python" else "python"), ""


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
    header("HTTP throughput: gunicorn + Flask, Comeback Coach vs the textbook peer", options)
    with scratch_dir() as folder:
        rows, checks, note = run(options, folder)
    print(note)
    print()
    print(table(["server", "requests/s", "requests", "errors", "vs peer"], rows))
    finish(options, checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
