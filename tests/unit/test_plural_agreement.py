"""Every reply of every locale, with its numbers run through the plural rules, agrees with
them: no "1 days", no "1 of your 3 days were", no "18 أيام" (PRODUCT §5, Speech)."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from skill.i18n import Strings, supported_locales

NUMBERS = (0, 1, 2, 3, 5, 11, 21, 100)
#: Which counted word each placeholder stands for when a reply fills it.
COUNTED = {
    "days": "unit.day",
    "best": "unit.day",
    "total": "unit.day",
    "left": "unit.day",
    "slips": "unit.day",
    "log_days": "unit.log_day",
    "logged": "unit.log_day",
    "logs": "unit.log",
    "activities": "unit.activity",
}
NOT_ONE = r"(?:0|[2-9]|\d{2,})"
NOT_ZERO_OR_ONE = r"(?:[2-9]|\d{2,})"
#: Agreement errors each language pack can detect in a rendered reply.
ERRORS: dict[str, list[str]] = {
    "en": [
        r"\b1 (?:days|logs|different activities)\b",
        rf"\b{NOT_ONE} (?:day|log|activity)\b(?!-)",
        r"\b1 of your [^.]* were\b",
        rf"\b{NOT_ONE} of your [^.]* was\b",
    ],
    "es": [
        r"\b1 (?:días|registros)\b",
        rf"\b{NOT_ONE} día\b",
        r"\b1 de tus [^.]* fueron\b",
        rf"\b{NOT_ONE} de tus [^.]* fue\b",
    ],
    "pt": [r"\b[01] dias\b", rf"\b{NOT_ZERO_OR_ONE} dia\b", r"\b1 d[eo]s? [^.]* foram\b"],
    "fr": [r"\b[01] jours\b", rf"\b{NOT_ZERO_OR_ONE} jour\b"],
    "it": [r"\b1 giorni\b", rf"\b{NOT_ONE} giorno\b"],
    "de": [r"\b1 Tage\b", rf"\b{NOT_ONE} Tag\b(?!e)"],
    "nl": [r"\b1 dagen\b", rf"\b{NOT_ONE} dag\b", r"\b1 van je [^.]* waren\b"],
    "ar": [
        r"(?<![\d٠-٩])(?:1[1-9]|[2-9]\d) أيام",  # 11–99 take the singular, not the plural
        r"(?<![\d٠-٩])(?:[3-9]|10) يومًا",  # 3–10 take the plural
    ],
}


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _rendered(strings: Strings, key: str, raw: Any, n: int) -> str | None:
    templates = raw.values() if isinstance(raw, dict) else raw if isinstance(raw, list) else [raw]
    names = set().union(*(_names(str(t)) for t in templates))
    if isinstance(raw, dict) and names == {"n"}:
        return strings.count(key, n)
    if not names & (set(COUNTED) | {"free"}):
        return None  # no number in it
    values = {
        name: strings.count(COUNTED[name], n) if name in COUNTED else str(n) for name in names
    }
    if isinstance(raw, list):
        return " ".join(str(t).format_map(values) for t in raw)
    return strings.text(key, plural=n, **values)


@pytest.mark.parametrize("locale", supported_locales())
def test_every_reply_with_a_number_agrees_with_it(locale: str) -> None:
    strings = Strings(locale)
    errors = [re.compile(p) for p in ERRORS.get(locale.split("-")[0], [])]
    found = []
    for key in sorted(k for k in strings._data if not k.startswith("_")):
        for n in NUMBERS:
            text = _rendered(strings, key, strings.raw(key), n)
            if text is None:
                break
            found += [f"{key} ({n}): {text}" for e in errors if e.search(text)]
    assert found == []


def test_the_checks_catch_what_the_issue_reported() -> None:
    def caught(language: str, text: str) -> bool:
        return any(re.search(p, text) for p in ERRORS[language])

    assert caught("en", "1 of your 3 days were contact-free.")
    assert caught("en", "Your best streak is 1 days.")
    assert caught("es", "1 de tus 2 días fueron sin contacto.")
    assert caught("ar", "18 أيام")
    assert not caught("en", "1 of your 3 days was contact-free.")
    assert not caught("en", "your 7-day milestone")
