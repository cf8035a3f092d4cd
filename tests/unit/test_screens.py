"""The APL progress screen's data source, rendered for several histories."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from skill.alexa.screens import COLORS, day_kind, progress_datasource, progress_document
from skill.domain.model import Activity, Contact, DayEntry, Stage
from skill.i18n import Strings
from skill.services import History, Status

TODAY = date(2026, 9, 20)


def status(
    days: list[DayEntry], logs: list[DayEntry], no_contact: int = 9, best: int = 12
) -> Status:
    return Status(
        is_new=False,
        stage=Stage.CONFIDENCE,
        today=TODAY,
        started=True,
        no_contact_days=no_contact,
        best_streak=best,
        log_streak=3,
        logged_today=True,
        journey_days=30,
        contact_free_days=28,
        next_milestone=14,
        milestone=None,
        unsafe=False,
        history=History(tuple(days), tuple(logs)),
    )


def log(offset: int, contact: Contact = Contact.NONE, confidence: int | None = 7) -> DayEntry:
    activity = Activity.HOBBY if confidence is not None else None
    return DayEntry(TODAY - timedelta(days=offset), contact, activity, confidence)


def test_a_fresh_user_sees_fourteen_grey_days_and_no_confidence_bars() -> None:
    coach = progress_datasource(Strings("en-US"), status([], [], no_contact=0, best=0))["coach"]
    assert [d["kind"] for d in coach["strip"]] == ["none"] * 14
    assert coach["confidence"] == []
    assert coach["days"] == "0"
    assert coach["best"] == ""  # a zero figure is left out


def test_the_strip_runs_oldest_to_today_and_marks_every_kind_of_day() -> None:
    days = [
        log(13),
        log(10, Contact.NECESSARY),
        log(7, Contact.SOME),
        log(5, Contact.SOME, confidence=None),  # a slip said without a log
        log(0),
    ]
    coach = progress_datasource(Strings("en-US"), status(days, days))["coach"]
    kinds = [d["kind"] for d in coach["strip"]]
    assert kinds[0] == "free"
    assert kinds[3] == "necessary"
    assert kinds[6] == "slip"
    assert kinds[8] == "slip"
    assert kinds[13] == "free"
    assert kinds.count("none") == 9
    assert coach["strip"][13]["label"].startswith(TODAY.isoformat())
    assert {d["color"] for d in coach["strip"]} <= set(COLORS.values())


def test_confidence_bars_follow_the_last_logs_in_order() -> None:
    logs = [log(30 - i, confidence=(i % 10) + 1) for i in range(14)]
    coach = progress_datasource(Strings("en-US"), status([], logs))["coach"]
    assert [c["value"] for c in coach["confidence"]] == [(i % 10) + 1 for i in range(14)]


def test_a_slip_only_day_is_shown_as_contact_and_an_empty_day_as_not_logged() -> None:
    assert day_kind(None) == "none"
    assert day_kind(DayEntry(TODAY, Contact.SOME)) == "slip"
    assert day_kind(DayEntry(TODAY, Contact.NONE)) == "none"


def test_the_document_binds_only_fields_the_data_source_provides() -> None:
    document = progress_document()
    assert document["type"] == "APL"
    coach = progress_datasource(Strings("en-US"), status([log(0)], [log(0)]))["coach"]
    used = set(re.findall(r"coach\.(\w+)", json.dumps(document)))
    assert used <= set(coach)
    item_fields = set(re.findall(r"data\.(\w+)", json.dumps(document)))
    assert item_fields <= set(coach["strip"][0]) | set(coach["confidence"][0]) | set(
        coach["legend"][0]
    )


def test_from_the_meeting_on_the_screen_shows_the_rebuild_and_no_red_contact_days() -> None:
    days = [log(2, Contact.SOME), log(1, Contact.SOME), log(0, Contact.NONE)]
    rebuilding = status(days, days)._replace(
        stage=Stage.REKINDLING, days_since_meeting=10, met=True, log_days=41
    )

    coach = progress_datasource(Strings("en-US"), rebuilding)["coach"]

    assert coach["days"] == "10"
    assert coach["daysLabel"] == "days since your first meeting"
    assert coach["best"] == "Days logged: 41 days"
    assert [d["kind"] for d in coach["strip"]][-3:] == ["free", "free", "free"]
    assert "slip" not in {d["kind"] for d in coach["strip"]}
    assert [item["label"] for item in coach["legend"]] == ["logged", "not logged"]
    assert not any("contact" in d["label"] for d in coach["strip"])
