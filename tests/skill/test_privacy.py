"""What the skill keeps and logs: no raw user ids, nothing the user said beyond the log fields."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any

import pytest
import responses

from tests.alexa import API_ENDPOINT, Alexa
from tests.skill.helpers import Database

USER_ID = "amzn1.ask.account.PRIVATE-USER-ID-0042"
DEVICE = "amzn1.ask.device.TESTDEVICE"


def test_the_database_never_holds_a_raw_user_id(handler: Any, db: Database) -> None:
    alexa = Alexa(handler, user_id=USER_ID)
    alexa.onboard()
    for _ in range(3):
        alexa.next_day()
        alexa.log_day("we talked", "went for a run", 6)
    alexa.intent("SlipIntent")
    alexa.intent("DailyTipIntent")
    alexa.intent("SupportIntent")

    stored = db.file_bytes()

    assert stored
    assert USER_ID.encode() not in stored
    assert b"PRIVATE-USER-ID-0042" not in stored
    assert USER_ID.encode("utf-16-le") not in stored
    assert b"went for a run" not in stored
    assert b"we talked" not in stored


def test_the_logs_never_contain_user_ids_or_slot_values(
    handler: Any,
    http: responses.RequestsMock,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    http.get(f"{API_ENDPOINT}/v2/devices/{DEVICE}/settings/System.timeZone", json="Europe/Berlin")
    alexa = Alexa(handler, user_id=USER_ID, api_token="a-secret-api-token")
    alexa.onboard()
    alexa.next_day()
    alexa.intent("LogDayIntent", contact="radio silence")
    alexa.intent("LogDayIntent", activity="juggled flaming torches")
    alexa.intent("LogDayIntent", activity="played the piano")
    alexa.intent("LogDayIntent", confidence="9")
    alexa.intent("SupportIntent")
    alexa.intent("MeetingOutcomeIntent", outcome="a second date")
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("DROP TABLE day_logs")
        conn.commit()
    assert "went wrong" in alexa.log_day("radio silence", "played the piano", 9).speech

    logged = caplog.text
    assert logged  # the skill does log its requests
    for secret in (
        USER_ID,
        "PRIVATE-USER-ID",
        "a-secret-api-token",
        "radio silence",
        "juggled flaming torches",
        "played the piano",
        "a second date",
    ):
        assert secret not in logged, secret
