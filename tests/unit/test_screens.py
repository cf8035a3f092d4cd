"""The APL screens' data sources: which days they show, with which words, in which order."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest

from skill.alexa.screens import (
    SCREENS,
    Screen,
    datasource,
    day_kind,
    day_log_datasource,
    document,
    progress_datasource,
    streak_datasource,
)
from skill.domain.model import Activity, Contact, DayEntry, Stage
from skill.domain.progress import summarize
from skill.i18n import Strings, supported_locales
from skill.services import History, ProgressResult, Status

TODAY = date(2026, 9, 20)  # a Sunday


def status(
    days: list[DayEntry],
    no_contact: int = 9,
    best: int = 12,
    journey_days: int = 30,
    **changes: Any,
) -> Status:
    logs = tuple(e for e in days if e.is_log)
    return Status(
        is_new=False,
        stage=Stage.CONFIDENCE,
        today=TODAY,
        started=True,
        no_contact_days=no_contact,
        best_streak=best,
        log_streak=3,
        logged_today=any(e.day == TODAY for e in days),
        journey_days=journey_days,
        contact_free_days=28,
        next_milestone=14,
        milestone=None,
        unsafe=False,
        log_days=len(logs),
        history=History(tuple(days), logs),
    )._replace(**changes)


def log(ago: int, contact: Contact = Contact.NONE, confidence: int | None = 7) -> DayEntry:
    activity = Activity.HOBBY if confidence is not None else None
    return DayEntry(TODAY - timedelta(days=ago), contact, activity, confidence)


def week(user: Status, urges: int = 0) -> ProgressResult:
    assert user.history is not None
    return ProgressResult(user, summarize(user.history.days, TODAY), urges)


def coach(source: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = source["coach"]
    return data


def test_the_strip_runs_oldest_to_today_and_marks_every_kind_of_day() -> None:
    days = [
        log(13),
        log(10, Contact.NECESSARY),
        log(7, Contact.SOME),
        log(5, Contact.SOME, confidence=None),  # a slip said without a log
        log(0),
    ]
    strip = coach(streak_datasource(Strings("en-US"), status(days)))["strip"]
    kinds = [d["kind"] for d in strip]
    assert kinds[0] == "free"
    assert kinds[3] == "necessary"
    assert kinds[6] == "slip"
    assert kinds[8] == "slip"
    assert kinds[13] == "free"
    assert kinds.count("none") == 9
    assert [d["today"] for d in strip] == [False] * 13 + [True]


def test_days_carry_weekday_initials_and_dates_in_the_locales_own_words() -> None:
    user = status([log(0), log(1, Contact.SOME)])
    english = coach(streak_datasource(Strings("en-US"), user))["strip"]
    assert "".join(d["initial"] for d in english[-7:]) == "MTWTFSS"
    assert english[-1]["label"] == "Today, Sun, September 20: contact-free"
    assert english[-2]["label"] == "Sat, September 19: contact"
    german = coach(streak_datasource(Strings("de-DE"), user))["strip"]
    assert german[-1]["label"] == "Heute, So., 20. September: kontaktfrei"
    assert german[-7]["initial"] == "M"
    assert german[-6]["initial"] == "D"
    japanese = coach(streak_datasource(Strings("ja-JP"), user))
    assert japanese["strip"][-1]["initial"] == "日"
    assert japanese["date"] == "9月20日(日)"


@pytest.mark.parametrize("locale", supported_locales())
def test_no_screen_says_an_iso_date_or_an_english_word_it_should_not(locale: str) -> None:
    days = [log(i, confidence=(i % 10) + 1) for i in range(0, 14, 2)]
    user = status(days)
    strings = Strings(locale)
    for screen in SCREENS:
        text = json.dumps(datasource(screen, strings, user, progress=week(user, urges=1)))
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), (screen, text)
        if not locale.startswith("en"):
            assert "without contact" not in text and "not logged" not in text


def test_a_user_on_their_third_day_sees_no_not_logged_days_before_they_started() -> None:
    user = status([log(0), log(1)], no_contact=2, best=2, journey_days=3)
    data = coach(streak_datasource(Strings("en-US"), user))
    kinds = [d["kind"] for d in data["strip"]]
    assert kinds == ["before"] * 11 + ["none", "free", "free"]
    assert not any("not logged" in d["label"] for d in data["strip"][:11])
    assert data["strip"][0]["label"] == "Mon, September 7: before you started"
    assert [k["kind"] for k in data["legend"]] == ["free", "none"]  # kinds shown, no "before"


def test_the_first_day_says_one_day_and_arabic_takes_the_form_each_number_needs() -> None:
    one = status([log(0)], no_contact=1, best=1, journey_days=2)
    hero = coach(streak_datasource(Strings("en-US"), one))["hero"]
    assert (hero["value"], hero["label"], hero["sub"]) == (
        "1",
        "day without contact",
        "Best streak: 1 day",
    )
    arabic = Strings("ar-SA")
    labels = {
        n: coach(streak_datasource(arabic, status([log(0)], no_contact=n, best=n)))["hero"]
        for n in (1, 2, 3, 18, 100)
    }
    assert labels[1]["label"] == "يوم بلا تواصل"
    assert labels[2]["label"] == "يومان بلا تواصل"
    assert labels[3]["label"] == "أيام بلا تواصل"
    assert labels[18]["label"] == "يومًا بلا تواصل"  # not "18 أيام"
    assert labels[18]["sub"] == "أفضل سلسلة: 18 يومًا"
    assert labels[100]["label"] == "يوم بلا تواصل"


def test_a_fresh_user_sees_zero_and_no_best_streak() -> None:
    hero = coach(streak_datasource(Strings("en-US"), status([], 0, 0, 1)))["hero"]
    assert (hero["value"], hero["label"], hero["sub"]) == ("0", "days without contact", "")


def test_arabic_screens_are_right_to_left_with_the_days_still_oldest_first() -> None:
    """The row runs right to left under layoutDirection RTL, so the oldest day sits at the
    right and today at the left, as an Arabic reader reads time; the data stays in order."""
    for screen in SCREENS:
        assert document(screen, "ar-SA")["environment"]["layoutDirection"] == "RTL"
        assert document(screen, "ar-SA")["environment"]["lang"] == "ar-SA"
        assert document(screen, "en-US")["environment"]["layoutDirection"] == "LTR"
        assert document(screen, "ja-JP")["environment"]["lang"] == "ja-JP"
    user = status([log(3), log(0)], journey_days=5)
    strip = coach(streak_datasource(Strings("ar-SA"), user))["strip"]
    assert [d["kind"] for d in strip][-5:] == ["none", "free", "none", "none", "free"]
    assert strip[-1]["today"] and strip[-1]["initial"] == "ح"  # Sunday
    assert strip[-1]["label"].startswith("اليوم، الأحد، 20 سبتمبر")
    chart = coach(progress_datasource(Strings("ar-SA"), week(user)))["chart"]
    assert [c["kind"] for c in chart] == ["before", "before", "gap", "bar", "gap", "gap", "bar"]


def test_the_chart_has_one_slot_per_day_of_the_week_with_gaps_where_nothing_was_logged() -> None:
    days = [log(6, confidence=4), log(5, confidence=6), log(2, Contact.SOME), log(0, confidence=9)]
    days.append(log(3, Contact.SOME, confidence=None))  # a slip without a log: no bar
    user = status(days)
    data = coach(progress_datasource(Strings("en-US"), week(user)))
    chart = data["chart"]
    assert [(c["kind"], c["value"]) for c in chart] == [
        ("bar", 4),
        ("bar", 6),
        ("gap", 0),
        ("gap", 0),
        ("bar", 7),
        ("gap", 0),
        ("bar", 9),
    ]
    assert [c["initial"] for c in chart] == list("MTWTFSS")
    assert chart[0]["label"] == "Mon, September 14: confidence 4 of 10"
    assert chart[2]["label"] == "Wed, September 16: not logged"
    assert chart[6]["today"] and chart[6]["shown"] == "9"
    assert [s["shown"] for s in data["scale"]] == ["0", "5", "10"]


def test_the_week_shows_days_logged_the_average_and_its_change_urges_and_activities() -> None:
    days = [log(9, confidence=5), log(8, confidence=6)]  # the week before: 5.5
    days += [
        DayEntry(TODAY - timedelta(days=2), Contact.NONE, Activity.FRIENDS, 7),
        DayEntry(TODAY, Contact.NONE, Activity.EXERCISE, 8),
    ]
    data = coach(progress_datasource(Strings("en-US"), week(status(days), urges=1)))
    assert [(t["value"], t["label"]) for t in data["tiles"]] == [
        ("2", "days logged"),
        ("7.5", "average confidence"),
        ("1", "urge ridden out"),
        ("2", "activities"),
    ]
    assert data["tiles"][1]["note"] == "up 2 on last week"
    assert data["tiles"][3]["note"] in ("friends and exercise", "exercise and friends")
    german = coach(progress_datasource(Strings("de-DE"), week(status(days), urges=3)))
    assert german["tiles"][1]["value"] == "7,5"
    assert german["tiles"][2]["label"] == "Impulsen widerstanden"


def test_an_empty_week_says_so_without_a_made_up_average() -> None:
    user = status([log(12)], journey_days=20)
    data = coach(progress_datasource(Strings("en-US"), week(user)))
    assert [t["value"] for t in data["tiles"]] == ["0", "–", "0", "0"]
    assert data["tiles"][1]["note"] == ""
    assert {c["kind"] for c in data["chart"]} == {"gap"}


def test_the_day_log_screen_shows_what_was_just_logged() -> None:
    today = DayEntry(TODAY, Contact.NECESSARY, Activity.FRIENDS, 6)
    data = coach(day_log_datasource(Strings("en-US"), status([today]), updated=False))
    assert data["done"] == "Today is logged"
    assert [(c["label"], c["value"]) for c in data["chips"]] == [
        ("Contact", "necessary contact"),
        ("Activity", "friends"),
        ("Confidence", "6 of 10"),
    ]
    assert data["streak"] == "9 days without contact"
    assert data["summary"] == "Confidence: 6 of 10"  # what the round Spot shows
    assert data["strip"][-1]["kind"] == "necessary"
    again = coach(day_log_datasource(Strings("fr-FR"), status([today]), updated=True))
    assert again["done"] == "Note du jour mise à jour"


def test_the_hint_asks_for_todays_log_until_there_is_one() -> None:
    assert coach(streak_datasource(Strings("en-US"), status([log(1)])))["hint"] == (
        "Try: “log my day”"
    )
    done = status([log(0)])
    assert coach(streak_datasource(Strings("en-US"), done))["hint"] == "Try: “how am I doing”"
    progress = coach(progress_datasource(Strings("en-US"), week(done)))
    assert progress["hint"] == "Try: “what's my streak”"


def test_from_the_meeting_on_the_screen_shows_the_rebuild_and_no_red_contact_days() -> None:
    days = [log(2, Contact.SOME), log(1, Contact.SOME), log(0, Contact.NONE)]
    rebuilding = status(days, stage=Stage.REKINDLING, days_since_meeting=10, met=True)
    rebuilding = rebuilding._replace(log_days=41)
    data = coach(streak_datasource(Strings("en-US"), rebuilding))
    assert data["hero"] == {
        "value": "10",
        "label": "days since your first meeting",
        "sub": "Days logged: 41 days",
    }
    assert [d["kind"] for d in data["strip"]][-3:] == ["free", "free", "free"]
    assert [item["label"] for item in data["legend"]] == ["logged", "not logged"]
    assert not any("contact" in d["label"] for d in data["strip"])
    before_outcome = rebuilding._replace(stage=Stage.MEETING, met=False, days_since_meeting=0)
    hero = coach(streak_datasource(Strings("en-US"), before_outcome))["hero"]
    assert (hero["value"], hero["label"]) == ("41", "days logged")
    log_screen = coach(day_log_datasource(Strings("en-US"), rebuilding, updated=False))
    assert log_screen["streak"] == "Days logged: 41 days"


def test_a_slip_only_day_is_shown_as_contact_and_an_empty_day_as_not_logged() -> None:
    assert day_kind(None) == "none"
    assert day_kind(DayEntry(TODAY, Contact.SOME)) == "slip"
    assert day_kind(DayEntry(TODAY, Contact.NONE)) == "none"


@pytest.mark.parametrize("screen", SCREENS)
def test_each_document_binds_only_fields_its_data_source_provides(screen: Screen) -> None:
    user = status([log(i) for i in range(0, 10)])
    data = coach(datasource(screen, Strings("en-US"), user, progress=week(user)))
    text = json.dumps(document(screen, "en-US"))
    assert set(re.findall(r"\bs\.(\w+)", text)) <= set(data)
    rows = [row for value in data.values() if isinstance(value, list) for row in value]
    nested = [value for value in data.values() if isinstance(value, dict)]
    fields = set().union(*(set(r) for r in rows + nested))
    assert set(re.findall(r"\bdata\.(\w+)", text)) <= fields


def test_sizes_and_colours_come_from_resources_not_from_components() -> None:
    for screen in SCREENS:
        doc = document(screen, "en-US")
        components = json.dumps([doc["layouts"], doc["mainTemplate"]])
        assert not re.search(r"\"\d+(?:\.\d+)?dp\"", components), screen
        assert not re.search(r"#[0-9A-Fa-f]{6}", components), screen
        assert "import" not in doc  # self-contained: nothing fetched from a CDN


def test_dates_are_babels_own_without_babel_on_the_request_path() -> None:
    from babel.dates import format_date

    from skill.i18n import _all_facts

    for locale in supported_locales():
        pattern = _all_facts()[locale]["date"]["pattern"]
        strings = Strings(locale)
        for offset in range(0, 366, 11):
            day = TODAY + timedelta(days=offset)
            expected = format_date(day, pattern, locale=locale.replace("-", "_"))
            assert strings.format_day(day) == expected, locale
    script = (
        "import sys\n"
        "from tests.unit.test_screens import status, log, week\n"
        "from skill.alexa.screens import SCREENS, datasource\n"
        "from skill.i18n import Strings\n"
        "user = status([log(0), log(3)])\n"
        "for screen in SCREENS:\n"
        "    datasource(screen, Strings('ar-SA'), user, progress=week(user))\n"
        "print('babel' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
