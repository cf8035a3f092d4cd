"""`comeback-coach chat` in a real pseudo-terminal, as a person would use it."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class Terminal:
    """A child process on the slave side of a pseudo-terminal."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = ""
        self.position = 0

    def expect(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` appears after what was already matched; return what came before."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.seen.find(text, self.position)
            if found >= 0:
                before = self.seen[self.position : found]
                self.position = found + len(text)
                return before
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise AssertionError(f"never saw {text!r}; the screen so far:\n{self.seen}")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child has gone and the terminal is closed
            return False
        if not chunk:
            return False
        self.seen += ANSI.sub("", chunk.decode("utf-8", "replace")).replace("\r\n", "\n")
        return True

    def type(self, line: str) -> None:
        """Type a line and press Enter."""
        os.write(self.master, line.encode("utf-8") + b"\n")

    def finish(self, timeout: float = 30.0) -> int:
        """Wait for the child to leave; return its exit status."""
        while self._read(0.5):
            pass
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Terminal]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALEXA_SKILL_ID")}
    env.update(
        COACH_DATA_DIR=str(tmp_path / "data"),
        TERM="dumb",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    argv = [sys.executable, "-m", "skill.cli", "chat", "--user", "pty"]
    argv += ["--date", "2025-03-03", "--time", "08:30", "--tz", "America/New_York"]
    terminal = Terminal(argv, env)
    try:
        yield terminal
    finally:
        terminal.close()


def test_a_new_user_onboards_logs_a_day_moves_a_day_and_asks_for_a_tip_and_streak(
    chat: Terminal,
) -> None:
    chat.expect("Monday 03 March 2025 08:30 America/New_York")
    chat.expect("safe and respected")
    chat.expect("[reprompt]")
    chat.expect("you> ")
    chat.type("yes")
    chat.expect("worth pursuing")
    chat.expect("you> ")
    chat.type("yes")
    chat.expect("day zero")
    chat.expect("you> ")

    chat.type("log my day")
    chat.expect("contact with your ex today")
    chat.expect("[listening for contact]")
    chat.type("no contact")
    chat.expect("[listening for activity]")
    chat.type("I saw my friends")
    chat.expect("[listening for confidence]")
    chat.type("seven")
    chat.expect("today is logged")
    chat.expect("[session ended]")

    chat.type(":next-day")
    chat.expect("[it is now Tuesday 04 March 2025 08:30]")
    chat.type("a tip")
    chat.expect("tip")
    chat.expect("[session ended]")
    chat.type("what's my streak")
    chat.expect("1 day without contact")
    chat.type(":quit")
    assert chat.finish() == 0


def test_ctrl_d_leaves_the_console_cleanly(chat: Terminal) -> None:
    chat.expect("you> ")
    os.write(chat.master, b"\x04")
    assert chat.finish() == 0
