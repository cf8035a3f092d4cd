"""`comeback-coach` driven through `main()`: chat, say, converse, serve and db upgrade."""

from __future__ import annotations

import io
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coach_console import cli
from coach_console.session import Skill, ZoneDirectory
from skill.cli import main
from skill.config import Settings

from .conftest import FakeSkill, reply

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"


class Run:
    """The outcome of one `main()` call."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(
    argv: list[str],
    tmp_path: Path,
    *,
    typed: str = "",
    factory: cli.SkillFactory | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(
        argv,
        factory=factory,
        env={"COACH_DATA_DIR": str(tmp_path / "data"), **(env or {})},
        stdin=io.StringIO(typed),
        stdout=stdout,
        stderr=stderr,
    )
    return Run(code, stdout.getvalue(), stderr.getvalue())


def fake_factory(*responses: dict[str, Any]) -> tuple[cli.SkillFactory, FakeSkill]:
    fake = FakeSkill(*responses)

    def factory(settings: Settings, zones: ZoneDirectory) -> Skill:
        return fake

    return factory, fake


AT = ["--date", "2025-03-03", "--time", "09:00", "--tz", "Europe/Paris"]


def after(text: str, *markers: str) -> str:
    """`text` from the last marker on, checking the markers come in that order."""
    position = 0
    for marker in markers:
        found = text.find(marker, position)
        assert found >= 0, f"{marker!r} not found after position {position} in:\n{text}"
        position = found
    return text[position:]


# --------------------------------------------------------------------------- chat


def test_chat_takes_a_new_user_through_onboarding_a_logged_day_a_tip_and_a_streak(
    tmp_path: Path,
) -> None:
    typed = "\n".join(
        [
            "yes",
            "yes",
            "log my day",
            "no contact",
            "I went to the gym",
            "eight",
            ":next-day",
            "give me today's tip",
            "what's my streak",
            ":quit",
        ]
    )
    result = run(["chat", *AT, "--user", "newcomer"], tmp_path, typed=typed)
    assert result.code == 0
    after(
        result.out,
        "Monday 03 March 2025 09:00 Europe/Paris",
        "alexa> Welcome to Comeback Coach",
        "safe and respected",
        "you> yes",
        "worth pursuing",
        "you> yes",
        "day zero",
        "you> log my day",
        "alexa> Did you have any contact",
        "[listening for contact]",
        "you> no contact",
        "[listening for activity]",
        "you> I went to the gym",
        "[listening for confidence]",
        "you> eight",
        "today is logged",
        "[session ended]",
        "[it is now Tuesday 04 March 2025 09:00]",
        "you> give me today's tip",
        "tip",
        "you> what's my streak",
        "1 day without contact",
    )


def test_chat_shows_the_reprompt_the_card_the_sound_and_the_pending_slot_apart(
    tmp_path: Path,
) -> None:
    factory, _ = fake_factory(
        reply(
            'Seven days! <audio src="soundbank://soundlibrary/x"/>',
            reprompt="What next?",
            end=False,
            card={"type": "Simple", "title": "Day 7", "content": "A week."},
            directives=[
                {
                    "type": "Dialog.ElicitSlot",
                    "slotToElicit": "contact",
                    "updatedIntent": {"name": "LogDayIntent", "slots": {}},
                }
            ],
        )
    )
    result = run(["chat", *AT], tmp_path, typed=":quit\n", factory=factory)
    assert "alexa> Seven days!\n" in result.out
    assert "  [sound] soundbank://soundlibrary/x\n" in result.out
    assert "  [reprompt] What next?\n" in result.out
    assert "  [card] Day 7: A week.\n" in result.out
    assert "  [listening for contact]\n" in result.out


def test_chat_commands_move_the_clock_and_explain_themselves(tmp_path: Path) -> None:
    factory, fake = fake_factory()
    typed = ":help\n:date 2025-12-24\n:time 21:30\n:now\n:next-day 2\n:bogus\n:debug\nyes\n"
    result = run(["chat", *AT, "--no-launch"], tmp_path, typed=typed, factory=factory)
    assert result.code == 0
    assert ":next-day [N]" in result.out
    assert "[it is now Wednesday 24 December 2025 09:00]" in result.out
    assert "[Wednesday 24 December 2025 21:30 Europe/Paris]" in result.out
    assert "[it is now Friday 26 December 2025 21:30]" in result.out
    assert "unknown command :bogus" in result.out
    assert "(heard as AMAZON.YesIntent)" in result.out
    assert [r["request"]["type"] for r in fake.requests] == ["IntentRequest"]
    assert fake.requests[0]["request"]["timestamp"].startswith("2025-12-26T20:30")


def test_chat_ends_the_session_when_input_runs_out(tmp_path: Path) -> None:
    factory, fake = fake_factory(reply("Welcome.", reprompt="Well?", end=False))
    result = run(["chat", *AT], tmp_path, typed="", factory=factory)
    assert result.code == 0
    assert fake.requests[-1]["request"]["type"] == "SessionEndedRequest"


def test_chat_reports_a_skill_error_and_carries_on(tmp_path: Path) -> None:
    class Flaky(FakeSkill):
        def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
            if event["request"]["type"] == "LaunchRequest":
                raise RuntimeError("boom")
            return super().invoke(event)

    flaky = Flaky(reply("Day 2.", end=True))
    result = run(["chat", *AT], tmp_path, typed="what's my streak\n", factory=lambda s, z: flaky)
    assert "[skill error] the skill raised RuntimeError: boom" in result.out
    assert "alexa> Day 2." in result.out


def test_speak_without_espeak_says_so_once_and_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.shutil, "which", lambda name: None)
    factory, _ = fake_factory(reply("Welcome.", end=True))
    result = run(["chat", *AT, "--speak"], tmp_path, typed=":quit\n", factory=factory)
    assert result.code == 0
    assert result.err.count("espeak-ng is not installed") == 1
    assert "alexa> Welcome." in result.out


def test_speak_says_each_reply_with_espeak_in_the_locales_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spoken: list[tuple[list[str], str]] = []

    def fake_run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        spoken.append((command, options["input"]))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(cli.shutil, "which", lambda name: "/usr/bin/espeak-ng")
    monkeypatch.setattr(cli.subprocess, "run", fake_run)
    factory, _ = fake_factory(reply("Welcome <break/> back.", end=True))
    run(["chat", *AT, "--speak"], tmp_path, typed=":quit\n", factory=factory)
    assert spoken == [(["/usr/bin/espeak-ng", "-v", "en-us"], "Welcome back.")]


# --------------------------------------------------------------------------- say


def test_say_answers_one_turn_and_exits_0(tmp_path: Path) -> None:
    result = run(["say", "open comeback coach", *AT], tmp_path)
    assert result.code == cli.EXIT_OK == 0
    assert "safe and respected" in result.out
    assert "[reprompt]" in result.out


def test_say_exits_3_when_the_utterance_is_not_understood(tmp_path: Path) -> None:
    result = run(["say", "play some jazz", *AT], tmp_path)
    assert result.code == cli.EXIT_NOT_UNDERSTOOD == 3
    assert "alexa>" in result.out


def test_say_exits_1_when_the_skill_raises(tmp_path: Path) -> None:
    def broken(settings: Settings, zones: ZoneDirectory) -> Skill:
        class Broken(FakeSkill):
            def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
                raise RuntimeError("boom")

        return Broken()

    result = run(["say", "what's my streak", *AT], tmp_path, factory=broken)
    assert result.code == cli.EXIT_SKILL_ERROR == 1
    assert "RuntimeError: boom" in result.err


def test_say_exits_1_when_the_skill_speaks_its_apology(tmp_path: Path) -> None:
    from skill.i18n import Strings

    apology = str(Strings("en-US").raw("error"))
    factory, _ = fake_factory(reply(apology, reprompt="Try again?", end=False))
    result = run(["say", "what's my streak", *AT], tmp_path, factory=factory)
    assert result.code == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["say", "hi", "--tz", "Mars/Olympus"], "unknown time zone"),
        (["say", "hi", "--locale", "xx-XX"], "no interaction model for xx-XX"),
        (["say", "hi", "--date", "tomorrow"], "not a date"),
        (["say"], "utterance"),
        ([], "COMMAND"),
        (["db"], "ACTION"),
    ],
)
def test_usage_errors_exit_2_with_the_reason(tmp_path: Path, argv: list[str], message: str) -> None:
    result = run(argv, tmp_path)
    assert result.code == cli.EXIT_USAGE == 2
    assert message in result.err


def test_say_help_documents_the_exit_codes(tmp_path: Path) -> None:
    result = run(["say", "--help"], tmp_path)
    assert result.code == 0
    for line in ("0  the skill answered", "1  the skill failed", "2  usage", "3  not understood"):
        assert line in result.out


def test_say_prints_the_response_envelope_as_json(tmp_path: Path) -> None:
    import json

    result = run(["say", "what's my streak", "--json", *AT], tmp_path)
    assert json.loads(result.out)["version"] == "1.0"


def test_users_are_kept_apart_in_one_database(tmp_path: Path) -> None:
    run(["chat", *AT, "--user", "ana"], tmp_path, typed="yes\nyes\n")
    returning = run(["say", "open comeback coach", *AT, "--user", "ana"], tmp_path)
    newcomer = run(["say", "open comeback coach", *AT, "--user", "ben"], tmp_path)
    assert "safe and respected" not in returning.out
    assert "safe and respected" in newcomer.out


def test_database_url_picks_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    run(["say", "open comeback coach", *AT], tmp_path, env={"DATABASE_URL": url})
    assert (tmp_path / "elsewhere.db").exists()
    assert not (tmp_path / "data" / "coach.db").exists()


# --------------------------------------------------------------------------- converse


def test_converse_exits_0_when_every_script_passes(tmp_path: Path) -> None:
    script = tmp_path / "hello.yaml"
    script.write_text("steps:\n  - launch: safe and respected\n  - say: stop\n", encoding="utf-8")
    result = run(["converse", str(script), "-v"], tmp_path)
    assert result.code == 0, result.out
    assert f"PASS {script}" in result.out
    assert "1 passed, 0 failed" in result.out
    assert "alexa: Welcome" in result.out  # -v shows the conversation


def test_converse_exits_1_and_shows_the_difference_on_a_mismatch(tmp_path: Path) -> None:
    script = tmp_path / "wrong.yaml"
    script.write_text("steps:\n  - launch: you are on day 40\n", encoding="utf-8")
    result = run(["converse", str(script)], tmp_path)
    assert result.code == 1
    assert f"FAIL {script}" in result.out
    assert "expected speech to contain 'you are on day 40'" in result.out
    assert after(result.out, "got      ", "Welcome to Comeback Coach")
    assert "0 passed, 1 failed" in result.out


def test_converse_uses_a_fresh_database_unless_told_otherwise(tmp_path: Path) -> None:
    script = tmp_path / "new.yaml"
    script.write_text("steps:\n  - launch: safe and respected\n", encoding="utf-8")
    assert run(["converse", str(script)], tmp_path).code == 0
    assert run(["converse", str(script)], tmp_path).code == 0
    assert not (tmp_path / "data" / "coach.db").exists()
    assert run(["converse", str(script), "--use-database"], tmp_path).code == 0
    assert run(["converse", str(script), "--use-database"], tmp_path).code == 0
    assert (tmp_path / "data" / "coach.db").exists()


@pytest.mark.parametrize("content", [None, "steps: [oops\n", "steps:\n  - fly\n"])
def test_converse_exits_2_when_a_script_cannot_be_read(tmp_path: Path, content: str | None) -> None:
    script = tmp_path / "bad.yaml"
    if content is not None:
        script.write_text(content, encoding="utf-8")
    result = run(["converse", str(script)], tmp_path)
    assert result.code == 2
    assert "converse:" in result.err


# --------------------------------------------------------------------------- serve, db


def test_serve_hands_host_port_workers_and_dev_to_the_web_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skill.web

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        skill.web,
        "run_server",
        lambda host, port, workers, *, dev=False: calls.append((host, port, workers, dev)),
    )
    args = ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3"]
    assert run(args, tmp_path).code == 0
    assert run(["serve", "--dev"], tmp_path).code == 0
    assert calls == [("0.0.0.0", 9000, 3, False), ("127.0.0.1", 8000, None, True)]


def test_db_upgrade_brings_the_configured_database_to_the_newest_schema(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    result = run(["db", "upgrade"], tmp_path, env={"DATABASE_URL": f"sqlite:///{database}"})
    assert result.code == 0
    assert "newest schema" in result.out
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert "alembic_version" in tables


def test_the_checked_in_conversations_folder_exists() -> None:
    assert sorted(CONVERSATIONS.glob("*.yaml"))


def test_the_console_addresses_the_configured_skill_id(tmp_path: Path) -> None:
    skill_id = "amzn1.ask.skill.99999999-8888-4777-8666-555555555555"
    result = run(
        ["say", "what's my streak", "--json", *AT], tmp_path, env={"ALEXA_SKILL_ID": skill_id}
    )
    assert result.code == 0, result.err


def test_the_console_can_live_days_ahead_of_the_real_clock(tmp_path: Path) -> None:
    """The console is the host: a day it moves on to is today, even weeks from now."""
    from datetime import date, timedelta

    ahead = (date.today() + timedelta(days=40)).isoformat()
    typed = (
        "yes\nyes\nyes\nno contact\nexercise\n7\n"
        ":next-day\nlog my day\nno contact\nfriends\n8\n"
        ":next-day 3\nwhat's my streak\n"
    )
    result = run(
        ["chat", "--date", ahead, "--time", "09:00", "--tz", "Europe/Paris"],
        tmp_path,
        typed=typed,
    )
    assert result.code == 0, result.err
    assert "nothing will be stored" not in result.out + result.err
    assert "4 days without contact" in result.out, result.out
    assert "logged 2 days" in result.out, result.out
