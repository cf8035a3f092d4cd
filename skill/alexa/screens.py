"""What devices with a screen show: an APL progress document, and a card in the Alexa app."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.ui import SimpleCard

from skill.domain import rules
from skill.domain.model import CONTACT_EXPECTED_STAGES, Contact, DayEntry
from skill.i18n import Strings
from skill.services import Status

APL_DIR = Path(__file__).resolve().parents[1] / "apl"
TOKEN = "coach-progress"
COLORS = {
    "free": "#4CAF50",
    "necessary": "#FFB300",
    "slip": "#EF5350",
    "none": "#4A4F70",
}


@cache
def progress_document() -> dict[str, Any]:
    """The APL document (data in the repository; words come in through the data source)."""
    data: dict[str, Any] = json.loads((APL_DIR / "progress.json").read_text(encoding="utf-8"))
    return data


def day_kind(entry: DayEntry | None) -> str:
    """How a day shows in the strip: contact-free, necessary contact, slip, or not logged."""
    if entry is None:
        return "none"
    if entry.contact is Contact.SOME:
        return "slip"
    if not entry.is_log:
        return "none"
    return "necessary" if entry.contact is Contact.NECESSARY else "free"


def progress_datasource(strings: Strings, status: Status) -> dict[str, Any]:
    """The words and figures the progress document shows for this user today."""
    history = status.history
    by_day = {e.day: e for e in (history.days if history else ())}
    span = rules.SCREEN_HISTORY_DAYS
    days: list[date] = [status.today - timedelta(days=span - 1 - i) for i in range(span)]
    # From the meeting on, contact is expected: a day is logged or not, never a red "slip".
    rebuild = status.stage in CONTACT_EXPECTED_STAGES
    legend = {k: strings.text(f"apl.legend.{k}") for k in ("free", "necessary", "slip", "none")}
    if rebuild:
        legend = {"free": strings.text("apl.legend.logged"), "none": legend["none"]}
    strip = []
    for day in days:
        entry = by_day.get(day)
        kind = day_kind(entry)
        if rebuild:
            kind = "free" if entry is not None and entry.is_log else "none"
        strip.append(
            {"kind": kind, "color": COLORS[kind], "label": f"{day.isoformat()}: {legend[kind]}"}
        )
    logs = history.logs if history else ()
    confidence = [
        {
            "value": e.confidence,
            "label": f"{e.day.isoformat()}: {e.confidence}",
        }
        for e in logs
        if e.confidence is not None
    ]
    return {
        "coach": {
            "title": strings.text("apl.title"),
            **_headline(strings, status),
            "stripTitle": strings.text("apl.strip_title"),
            "strip": strip,
            "legend": [
                {"kind": k, "color": COLORS[k], "label": label} for k, label in legend.items()
            ],
            "confidenceTitle": strings.text("apl.confidence_title"),
            "confidence": confidence,
        }
    }


def _headline(strings: Strings, status: Status) -> dict[str, str]:
    """The big figure and the line under it: no-contact days and the best streak, or from
    the meeting on the rebuild's (days since the first meeting, days logged)."""
    if status.stage in CONTACT_EXPECTED_STAGES:
        logged = strings.count("unit.log_day", status.log_days)
        return {
            "days": strings.number(status.days_since_meeting),
            "daysLabel": strings.text("apl.days_label.rebuild"),
            "best": strings.text("apl.logged", logged=logged) if status.log_days else "",
        }
    best = strings.count("unit.day", status.best_streak)
    return {
        "days": strings.number(status.no_contact_days),
        "daysLabel": strings.text("apl.days_label"),
        "best": strings.text("apl.best", best=best) if status.best_streak else "",
    }


def show_progress(
    handler_input: HandlerInput, strings: Strings, status: Status, *, apl: bool, card_text: str
) -> None:
    """Add the card for the Alexa app, and the APL document on a device with a screen."""
    handler_input.response_builder.set_card(SimpleCard(strings.text("card.title"), card_text))
    if apl and status.history is not None:
        # Imported here: the APL package is a hundred modules, and most devices have no screen.
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        handler_input.response_builder.add_directive(
            RenderDocumentDirective(
                token=TOKEN,
                document=progress_document(),
                datasources=progress_datasource(strings, status),
            )
        )
