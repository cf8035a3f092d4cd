"""Speech strings and tips, per language with a locale overlay (en ← en-GB), as data."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).with_name("locales")
DEFAULT_LOCALE = "en-US"
#: Locale facts (the overlay's crisis and abuse lines) any message may name as placeholders.
SHARED_KEYS = ("crisis_line", "abuse_line", "emergency")


@cache
def supported_locales() -> tuple[str, ...]:
    """Every locale that has an overlay file (e.g. `en-US.json`)."""
    return tuple(sorted(p.stem for p in LOCALES_DIR.glob("*-*.json")))


def resolve_locale(locale: str | None) -> str:
    """The locale to answer in: the request's when we speak it, else en-US."""
    if locale:
        return _by_lower_case().get(locale.replace("_", "-").lower(), DEFAULT_LOCALE)
    return DEFAULT_LOCALE


@cache
def _by_lower_case() -> dict[str, str]:
    return {known.lower(): known for known in supported_locales()}


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def _messages(locale: str) -> dict[str, Any]:
    language = locale.split("-")[0]
    merged: dict[str, Any] = {}
    for path in (
        LOCALES_DIR / "en.json",
        LOCALES_DIR / f"{language}.json",
        LOCALES_DIR / f"{locale}.json",
    ):
        merged.update(_read(path))
    return merged


@cache
def _tips(locale: str) -> dict[str, list[str]]:
    language = locale.split("-")[0]
    merged: dict[str, list[str]] = {}
    for path in (
        LOCALES_DIR / "tips" / "en.json",
        LOCALES_DIR / "tips" / f"{language}.json",
        LOCALES_DIR / "tips" / f"{locale}.json",
    ):
        merged.update(_read(path))
    return merged


class Strings:
    """The strings of one locale, with plural-aware counts and SSML-safe formatting."""

    def __init__(self, locale: str) -> None:
        self.locale = resolve_locale(locale)
        self._data = _messages(self.locale)
        self._babel = Locale.parse(self.locale.replace("-", "_"))

    def has(self, key: str) -> bool:
        """Whether the key exists in this locale (after fallback)."""
        return key in self._data

    def raw(self, key: str) -> Any:
        """The stored value, unformatted."""
        return self._data[key]

    def text(self, key: str, **values: object) -> str:
        """The message as plain text with its placeholders filled."""
        template = self._data[key]
        if isinstance(template, list):
            template = random.choice(template)
        shared = {k: self._data[k] for k in SHARED_KEYS if k in self._data and k != key}
        return str(template).format(**{**shared, **values})

    def count(self, key: str, n: int) -> str:
        """'1 day', '12 days': the plural form this language uses for n."""
        forms: dict[str, str] = self._data[key]
        form = self._babel.plural_form(n)
        template = forms.get(form) or forms["other"]
        return template.format(n=n)

    def join(self, items: list[str]) -> str:
        """'a, b, and c' as this locale writes a list."""
        return format_list(items, locale=self._babel) if items else ""

    def number(self, value: float) -> str:
        """7 or 7.5 (7,5 in German): whole numbers without decimals, others with one."""
        rounded = round(float(value), 1)
        if rounded.is_integer():
            return format_decimal(int(rounded), locale=self._babel)
        return format_decimal(rounded, format="#,##0.0", locale=self._babel)

    def tips(self, stage: str) -> list[str]:
        """The tip pool of a stage in this language."""
        return _tips(self.locale)[stage]


def ssml(text: str) -> str:
    """Escape plain text for SSML (sound tags are added after escaping).

    xml.sax.saxutils.escape does the same, but importing it pulls in urllib.request, http
    and ssl: a tenth of a cold start."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
