"""What devices with a screen show: APL screens (the streak, the week, the day just logged),
and a card in the Alexa app.

The documents are data (skill/apl/): `base.json` holds what every screen shares (type,
spacing and colours per viewport in `resources`, the header, hint and day strip), and each
screen's file its own layouts and mainTemplate. Every word, number and date on a screen comes
in through the data source, in the user's language, from the same strings and plural rules as
speech."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.ui import SimpleCard

from skill.domain import rules
from skill.domain.model import CONTACT_EXPECTED_STAGES, Contact, DayEntry
from skill.domain.progress import WeekSummary
from skill.i18n import Strings
from skill.services import ProgressResult, Status

APL_DIR = Path(__file__).resolve().parents[1] / "apl"
TOKEN = "coach-screen"
Screen = Literal["streak", "progress", "day_log"]
SCREENS: tuple[Screen, ...] = ("streak", "progress", "day_log")
#: Languages written right to left: their screens are laid out (and their strips run) that way.
RTL_LANGUAGES = frozenset({"ar"})
#: The kinds of day a strip shows, in the order the legend lists them.
KINDS = ("free", "necessary", "slip", "none")
#: How many days the progress chart shows: the week its figures are about.
CHART_DAYS = rules.PROGRESS_WINDOW_DAYS
#: The chart's scale lines (confidence is 1 to 10).
SCALE = (0, 5, 10)
#: How many activities the week's tile names.
ACTIVITIES_NAMED = 3


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((APL_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


@cache
def document(screen: Screen, locale: str) -> dict[str, Any]:
    """The APL document of a screen for a locale: the shared base with the screen's own
    layouts and template, with the locale as its language, laid out right to left for Arabic."""
    base, own = _load("base"), _load(screen)
    merged = {**base, **{k: v for k, v in own.items() if k != "layouts"}}
    merged["layouts"] = {**base["layouts"], **own.get("layouts", {})}
    rtl = locale.split("-")[0] in RTL_LANGUAGES
    merged["environment"] = {"lang": locale, "layoutDirection": "RTL" if rtl else "LTR"}
    return merged


def day_kind(entry: DayEntry | None) -> str:
    """How a day shows in the strip: contact-free, necessary contact, slip, or not logged."""
    if entry is None:
        return "none"
    if entry.contact is Contact.SOME:
        return "slip"
    if not entry.is_log:
        return "none"
    return "necessary" if entry.contact is Contact.NECESSARY else "free"


def _first_day(status: Status) -> date:
    """The journey's first day (days before it are not "not logged": there was nothing to log)."""
    return status.today - timedelta(days=max(status.journey_days, 1) - 1)


def _days(status: Status, span: int) -> list[date]:
    return [status.today - timedelta(days=span - 1 - i) for i in range(span)]


def _entries(status: Status) -> dict[date, DayEntry]:
    return {e.day: e for e in (status.history.days if status.history else ())}


def _day_label(strings: Strings, day: date, today: date, what: str) -> str:
    """'Today, Sun, February 1: contact-free', for a screen reader."""
    key = "apl.day_label.today" if day == today else "apl.day_label"
    return strings.text(key, date=strings.format_day(day), kind=what)


def _frame(strings: Strings, status: Status, hint: str) -> dict[str, Any]:
    """What every screen has: the skill's name, today's date and a hint of what to say."""
    if not status.logged_today:
        hint = "log"
    return {
        "brand": strings.text("apl.title"),
        "date": strings.format_day(status.today),
        "hint": strings.text(f"apl.hint.{hint}"),
    }


def strip(strings: Strings, status: Status) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The last 14 days, oldest first, and the legend of the kinds they show. From the
    meeting on a day is logged or not, never a red contact day; days before the journey
    started are left blank."""
    rebuild = status.stage in CONTACT_EXPECTED_STAGES
    names = {k: strings.text(f"apl.legend.{k}") for k in KINDS}
    if rebuild:
        names["free"] = strings.text("apl.legend.logged")
    by_day, first = _entries(status), _first_day(status)
    days = []
    for day in _days(status, rules.SCREEN_HISTORY_DAYS):
        entry = by_day.get(day)
        if day < first:
            kind = "before"
            what = strings.text("apl.legend.before")
        else:
            kind = day_kind(entry)
            if rebuild:
                kind = "free" if entry is not None and entry.is_log else "none"
            what = names[kind]
        days.append(
            {
                "kind": kind,
                "initial": strings.weekday_initial(day),
                "today": day == status.today,
                "label": _day_label(strings, day, status.today, what),
            }
        )
    shown = {d["kind"] for d in days}
    legend = [{"kind": k, "label": names[k]} for k in KINDS if k in shown]
    return days, legend


def hero(strings: Strings, status: Status) -> dict[str, str]:
    """The big figure, the words under it, and the line under those: no-contact days and
    the best streak; from the meeting on the rebuild's days since the first meeting and
    days logged (before the meeting's outcome is told, the days logged)."""
    if status.stage in CONTACT_EXPECTED_STAGES:
        logged = strings.count("unit.log_day", status.log_days)
        if not status.met:
            n, label, sub = status.log_days, "apl.days_label.logged", ""
        else:
            n, label = status.days_since_meeting, "apl.days_label.rebuild"
            sub = strings.text("apl.logged", logged=logged) if status.log_days else ""
    else:
        n, label = status.no_contact_days, "apl.days_label"
        best = strings.count("unit.day", status.best_streak)
        sub = strings.text("apl.best", best=best) if status.best_streak else ""
    return {"value": strings.number(n), "label": strings.text(label, plural=n), "sub": sub}


def streak_datasource(strings: Strings, status: Status) -> dict[str, Any]:
    """What the streak screen shows for this user today."""
    days, legend = strip(strings, status)
    return {
        "coach": {
            **_frame(strings, status, "progress"),
            "hero": hero(strings, status),
            "stripTitle": strings.text("apl.strip_title"),
            "strip": days,
            "legend": legend,
        }
    }


def _change(strings: Strings, week: WeekSummary) -> str:
    change = week.confidence_change
    if change is None:
        return ""
    if change == 0:
        return strings.text("apl.change.same")
    direction = "up" if change > 0 else "down"
    return strings.text(f"apl.change.{direction}", change=strings.number(abs(change)))


def chart(strings: Strings, status: Status) -> list[dict[str, Any]]:
    """The week's confidence, one slot a day, oldest first: a bar for a logged day, a gap
    for a day not logged, nothing before the journey started."""
    by_day, first = _entries(status), _first_day(status)
    slots = []
    for day in _days(status, CHART_DAYS):
        entry = by_day.get(day)
        if day < first:
            kind, value = "before", 0
            label = _day_label(strings, day, status.today, strings.text("apl.legend.before"))
        elif entry is None or entry.confidence is None:
            kind, value = "gap", 0
            label = _day_label(strings, day, status.today, strings.text("apl.legend.none"))
        else:
            kind, value = "bar", entry.confidence
            label = strings.text(
                "apl.bar_label", date=strings.format_day(day), value=strings.number(value)
            )
        slots.append(
            {
                "kind": kind,
                "value": value,
                "shown": strings.number(value) if kind == "bar" else "",
                "initial": strings.weekday_initial(day),
                "today": day == status.today,
                "label": label,
            }
        )
    return slots


def progress_datasource(strings: Strings, result: ProgressResult) -> dict[str, Any]:
    """What the week's screen shows: days logged, average confidence and its change, urges
    ridden out, activities, and the confidence chart."""
    status, week = result.status, result.week
    average = {
        "value": strings.number(week.average_confidence)
        if week.average_confidence is not None
        else "–",
        "label": strings.text("apl.tile.confidence"),
        "note": _change(strings, week),
    }
    named = [strings.text(f"activity.{a.value}") for a in week.activities[:ACTIVITIES_NAMED]]
    tiles = [
        {
            "value": strings.number(week.days_logged),
            "label": strings.text("apl.days_label.logged", plural=week.days_logged),
            "note": "",
        },
        average,
        {
            "value": strings.number(result.urges),
            "label": strings.text("apl.tile.urges", plural=result.urges),
            "note": "",
        },
        {
            "value": strings.number(len(week.activities)),
            "label": strings.text("apl.tile.activities", plural=len(week.activities)),
            "note": strings.join(named),
        },
    ]
    return {
        "coach": {
            **_frame(strings, status, "streak"),
            "title": strings.text("apl.week_title"),
            "tiles": tiles,
            "average": average,
            "chartTitle": strings.text("apl.chart_title"),
            "scale": [{"at": at, "shown": strings.number(at)} for at in SCALE],
            "chart": chart(strings, status),
        }
    }


def day_log_datasource(strings: Strings, status: Status, *, updated: bool) -> dict[str, Any]:
    """What the screen after "log my day" shows: today is logged, what was logged, the
    no-contact days (from the meeting on, days logged) and the strip with today filled in."""
    entry = _entries(status).get(status.today)
    days, _ = strip(strings, status)
    chips = []
    confidence = ""
    if entry is not None and entry.confidence is not None:
        confidence = strings.text("apl.out_of_ten", value=strings.number(entry.confidence))
        chips = [
            {"label": strings.text("apl.chip.contact"), "value": _contact_name(strings, entry)},
            {
                "label": strings.text("apl.chip.activity"),
                "value": strings.text(f"activity.{entry.activity.value}")
                if entry.activity is not None
                else "–",
            },
            {"label": strings.text("apl.chip.confidence"), "value": confidence},
        ]
    if status.stage in CONTACT_EXPECTED_STAGES:
        logged = strings.count("unit.log_day", status.log_days)
        streak = strings.text("apl.logged", logged=logged) if status.log_days else ""
    elif status.no_contact_days:
        days_free = strings.count("unit.day", status.no_contact_days)
        streak = strings.text("apl.no_contact_line", days=days_free)
    else:
        streak = ""
    return {
        "coach": {
            **_frame(strings, status, "progress"),
            "done": strings.text("apl.done.updated" if updated else "apl.done"),
            "summary": strings.text("apl.confidence_line", value=confidence) if confidence else "",
            "chips": chips,
            "streak": streak,
            "strip": days,
        }
    }


def _contact_name(strings: Strings, entry: DayEntry) -> str:
    """Today's contact as the legend names it ('contact-free', 'necessary contact', 'contact')."""
    if entry.contact is Contact.SOME:
        return strings.text("apl.legend.slip")
    if entry.contact is Contact.NECESSARY:
        return strings.text("apl.legend.necessary")
    return strings.text("apl.legend.free")


def datasource(
    screen: Screen,
    strings: Strings,
    status: Status,
    *,
    progress: ProgressResult | None = None,
    updated: bool = False,
) -> dict[str, Any]:
    """The data source of a screen (the week's screen needs the week's figures)."""
    if screen == "progress" and progress is not None:
        return progress_datasource(strings, progress)
    if screen == "day_log":
        return day_log_datasource(strings, status, updated=updated)
    return streak_datasource(strings, status)


def show(
    handler_input: HandlerInput,
    strings: Strings,
    status: Status,
    screen: Screen,
    *,
    apl: bool,
    card_text: str,
    progress: ProgressResult | None = None,
    updated: bool = False,
) -> None:
    """Add the card for the Alexa app, and the screen on a device that renders APL."""
    handler_input.response_builder.set_card(SimpleCard(strings.text("card.title"), card_text))
    if apl and status.history is not None:
        # Imported here: the APL package is a hundred modules, and most devices have no screen.
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        if screen == "progress" and progress is None:
            screen = "streak"
        handler_input.response_builder.add_directive(
            RenderDocumentDirective(
                token=TOKEN,
                document=document(screen, strings.locale),
                datasources=datasource(screen, strings, status, progress=progress, updated=updated),
            )
        )
