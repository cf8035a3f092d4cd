"""After a whole journey, with every logger at DEBUG and Alexa's APIs on a real socket:
no raw id, token or spoken word in the database or the logs, deletion leaves no row, and
the request log is one JSON line per request with its id, intent, outcome and latency only.

(tests/skill/test_privacy.py checks a shorter journey on SQLite with mocked HTTP.)
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from skill.app import CoachSkill
from tests.alexa import Alexa
from tests.databases import watching
from tests.reliability.alexa_api import loopback_alexa_api
from tests.reliability.helpers import (
    LogCapture,
    capture_logs,
    inspector,
    is_apology,
    rows_as_text,
    user_id_of,
    user_rows,
)
from tests.skill.helpers import user_hash

USER = "amzn1.ask.account.PRIVATE-JOURNEY-USER-0042"
SECOND_USER = "amzn1.ask.account.PRIVATE-SECOND-USER-0077"
BYSTANDER = "amzn1.ask.account.PRIVATE-BYSTANDER-0099"
DEVICE = "amzn1.ask.device.PRIVATE-DEVICE-7Q-BERLIN"
TOKEN = "a-secret-api-token-9c1f"
#: What the users said that is not a structured field (the numbers and times are stored).
WORDS = ("radio silence", "juggled flaming torches", "played the piano", "a second date")
SECRETS = (USER, SECOND_USER, BYSTANDER, DEVICE, TOKEN, *WORDS)
REQUEST_LOG_KEYS = {"request_id", "type", "intent", "outcome", "latency_ms"}


@dataclass
class Journey:
    """What a whole journey left behind."""

    url: str
    database_before_deletion: str = ""
    database_files: bytes = b""
    logs: LogCapture = field(default_factory=LogCapture)
    request_ids: list[str] = field(default_factory=list)
    user_ids: dict[str, int | None] = field(default_factory=dict)


def _sqlite_files(url: str) -> bytes:
    if not url.startswith("sqlite:///"):
        return b""
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(
        p.read_bytes()
        for p in (path.with_name(path.name + s) for s in ("", "-wal", "-shm", "-journal"))
        if p.exists()
    )


class Device(Alexa):
    """A user at an Echo Show whose Alexa APIs live at `api`."""

    def __init__(self, handler: Any, api: str, sent: list[str], **kwargs: Any) -> None:
        super().__init__(handler, device_id=DEVICE, apl=True, **kwargs)
        self.api = api
        self.sent = sent

    def envelope(self, request: dict[str, Any], *, new: bool | None = None) -> dict[str, Any]:
        event = super().envelope(request, new=new)
        event["context"]["System"]["apiEndpoint"] = self.api
        self.sent.append(event["request"]["requestId"])
        return event


def _break_next_day_insert(skill: CoachSkill) -> contextlib.AbstractContextManager[None]:
    """Make the next day-log INSERT a real SQL error, whose message carries the parameters."""
    broken: list[str] = []

    def corrupt(_conn: Any, sql: str, params: Any) -> Any:
        if sql.lstrip().startswith("INSERT INTO day_logs") and not broken:
            broken.append(sql)
            return sql + " nonsense", params
        return None

    return watching(skill.database, corrupt)


def walk(handler: Any, skill_of: Callable[[], CoachSkill], journey: Journey, api: str) -> None:
    sent = journey.request_ids
    alexa = Device(handler, api, sent, user_id=USER, api_token=TOKEN, reminders_granted=True)
    alexa.onboard()
    alexa.next_day()
    alexa.intent(
        "LogDayIntent", contact="radio silence", resolutions={"contact": ("NONE", "CONTACT_STATUS")}
    )
    alexa.intent("LogDayIntent", activity="played the piano")
    alexa.intent(
        "LogDayIntent",
        activity="juggled flaming torches",
        resolutions={"activity": ("HOBBY", "ACTIVITY")},
    )
    alexa.intent("LogDayIntent", confidence="9")
    for intent in ("SlipIntent", "DailyTipIntent", "AmIReadyIntent", "ProgressIntent"):
        alexa.intent(intent)
    alexa.intent("SetReminderIntent", time="21:00")
    alexa.intent("CancelReminderIntent")
    alexa.intent(
        "MeetingOutcomeIntent",
        outcome="a second date",
        resolutions={"outcome": ("AGAIN", "MEETING_OUTCOME")},
    )
    alexa.intent("SupportIntent")
    # The moments of need: only a count of urges and a flag are kept, never what was said.
    alexa.intent("UrgeIntent")
    alexa.intent("ExReachedOutIntent")
    alexa.say_yes()
    alexa.say_yes()
    alexa.intent("SafetyConcernIntent")
    with _break_next_day_insert(skill_of()):
        broken = alexa.intent(
            "LogDayIntent",
            contact="radio silence",
            activity="juggled flaming torches",
            confidence="8",
            # SOME: today already holds the slip, and a log of no contact would ask first
            resolutions={"contact": ("SOME", "CONTACT_STATUS"), "activity": ("HOBBY", "ACTIVITY")},
        )
    assert is_apology(broken.envelope), broken.speech

    bystander = Device(handler, api, sent, user_id=BYSTANDER)
    bystander.onboard()
    bystander.log_day()
    bystander.intent("UrgeIntent")
    second = Device(handler, api, sent, user_id=SECOND_USER, api_token=TOKEN)
    second.onboard()
    second.log_day()

    with inspector(journey.url) as engine:
        journey.database_before_deletion = rows_as_text(engine)
        for who in (USER, SECOND_USER, BYSTANDER):
            journey.user_ids[who] = user_id_of(engine, user_hash(who))

    alexa.intent("DeleteDataIntent")
    alexa.say_yes()
    second.end_session()
    disabled = second.envelope(
        {
            "type": "AlexaSkillEvent.SkillDisabled",
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        }
    )
    del disabled["session"]
    second.send(disabled)
    journey.database_files = _sqlite_files(journey.url)


@pytest.fixture
def journey(
    database_url: str, lambda_on: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Journey]:
    module = lambda_on(database_url)
    done = Journey(database_url)
    with loopback_alexa_api() as api, capture_logs(logging.DEBUG) as logs:
        monkeypatch.setenv("ALEXA_API_ENDPOINTS", api)  # read when the first event builds it
        walk(module.handler, lambda: module._skill, done, api)
    done.logs = logs
    yield done


def test_after_a_journey_the_database_holds_no_raw_id_token_or_spoken_word(
    journey: Journey,
) -> None:
    assert USER not in journey.database_before_deletion
    assert user_hash(USER) in journey.database_before_deletion  # the rows were there
    for secret in SECRETS:
        assert secret not in journey.database_before_deletion, secret
        assert secret.encode() not in journey.database_files, secret
        assert secret.encode("utf-16-le") not in journey.database_files, secret


HTTP_CLIENT_LOGGERS = ("urllib3",)


def lines_of(logs: LogCapture, *, http_client: bool) -> str:
    """The formatted lines of the HTTP client's loggers, or of every other logger."""
    return "\n".join(
        logs.format(r)
        for r in logs.records
        if r.name.startswith(HTTP_CLIENT_LOGGERS) == http_client
    )


def test_after_a_journey_no_log_line_of_the_skill_holds_a_raw_id_token_or_spoken_word(
    journey: Journey,
) -> None:
    logged = lines_of(journey.logs, http_client=False)

    assert "request failed" in logged  # the broken request was logged, with its traceback
    assert "Traceback" in logged
    for secret in SECRETS:
        assert secret not in logged, secret


def test_after_a_journey_no_http_client_log_line_holds_a_raw_device_id(
    journey: Journey,
) -> None:
    logged = lines_of(journey.logs, http_client=True)

    assert "127.0.0.1" in logged  # the Alexa APIs were really called, and logged
    for secret in SECRETS:
        assert secret not in logged, secret


def test_deleting_my_data_leaves_no_row_of_mine_in_any_table(journey: Journey) -> None:
    with inspector(journey.url) as engine:
        mine = user_rows(engine, user_hash(USER), journey.user_ids[USER])
        bystander = user_rows(engine, user_hash(BYSTANDER), journey.user_ids[BYSTANDER])

    assert journey.user_ids[USER] is not None
    assert set(mine.values()) == {0}, mine
    assert bystander["users"] == 1
    assert all(count >= 1 for count in bystander.values()), bystander


def test_disabling_the_skill_leaves_no_row_of_the_user_in_any_table(journey: Journey) -> None:
    with inspector(journey.url) as engine:
        theirs = user_rows(engine, user_hash(SECOND_USER), journey.user_ids[SECOND_USER])

    assert journey.user_ids[SECOND_USER] is not None
    assert set(theirs.values()) == {0}, theirs


def request_lines(logs: LogCapture) -> list[logging.LogRecord]:
    return [r for r in logs.records if r.name == "skill.requests"]


def test_each_request_logs_one_json_line_with_its_id_intent_outcome_and_latency_only(
    journey: Journey,
) -> None:
    lines = [json.loads(r.getMessage()) for r in request_lines(journey.logs)]

    assert sorted(line["request_id"] for line in lines) == sorted(journey.request_ids)
    for line in lines:
        assert set(line) == REQUEST_LOG_KEYS, line
        assert line["type"] in {"LaunchRequest", "IntentRequest", "AlexaSkillEvent.SkillDisabled"}
        assert (line["intent"] is None) == (line["type"] != "IntentRequest"), line
        assert line["outcome"] in {"open", "end", "silent", "error"}, line
        assert isinstance(line["latency_ms"], int | float) and line["latency_ms"] >= 0, line
    assert sum(line["outcome"] == "error" for line in lines) == 1
