"""Code that runs in child processes (started with spawn, so it must be importable)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

from skill.app import build_skill
from skill.config import Settings
from tests.skill.helpers import PEPPER

START_TIMEOUT_SECONDS = 120


def answer_together(
    url: str, data_dir: str, events: list[dict[str, Any]], start: Any
) -> list[dict[str, Any]]:
    """Build a skill of our own, wait at `start` (a barrier shared by every process), then
    send every event at once, one thread each; return the answers (or what was raised)."""
    skill = build_skill(Settings(database_url=url, data_dir=Path(data_dir), user_id_pepper=PEPPER))
    answers: list[dict[str, Any]] = [{} for _ in events]
    together = threading.Barrier(len(events))

    def send(index: int) -> None:
        together.wait()
        try:
            answers[index] = skill.invoke(events[index])
        except Exception as exc:  # handed back to the test, which fails on it
            answers[index] = {"raised": type(exc).__name__}

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(events))]
    try:
        start.wait(START_TIMEOUT_SECONDS)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        skill.close()
    return answers


def answer_then_crash(url: str, data_dir: str, events: list[dict[str, Any]], results: Any) -> None:
    """Answer the events one by one, hand the answers over, then die at once (SIGKILL):
    no engine disposal, no interpreter shutdown, nothing flushed on the way out."""
    skill = build_skill(Settings(database_url=url, data_dir=Path(data_dir), user_id_pepper=PEPPER))
    answers = [skill.invoke(event) for event in events]
    results.put(answers)
    results.close()
    results.join_thread()  # the answers are in the pipe: the reply has left the process
    os.kill(os.getpid(), signal.SIGKILL)
