"""Speech strings and tips, per language with a locale overlay (en ← en-GB), as data."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from skill.plural_rules import PLURAL_RULES

LOCALES_DIR = Path(__file__).with_name("locales")
#: Babel's plural rules, digits and list patterns for every locale, written out by
#: `python -m skill.i18n` (a test keeps them equal to Babel's): loading Babel's own locale
#: data takes longer than the rest of a cold start's first answer.
FACTS_FILE = LOCALES_DIR / "babel_facts.json"
#: The plural rules of FACTS_FILE as Python functions (also written by `python -m skill.i18n`):
#: compiling them with Babel at run time would import Babel on every cold start.
PLURALS_FILE = Path(__file__).with_name("plural_rules.py")
DEFAULT_LOCALE = "en-US"
#: Locale facts (the overlay's crisis and abuse lines) any message may name as placeholders.
SHARED_KEYS = ("crisis_line", "abuse_line", "emergency")
#: A CLDR date pattern's parts: a quoted literal, a field (a run of one letter), or text.
_DATE_FIELD = re.compile(r"('(?:[^']|'')*')|([A-Za-z])\2*|[^'A-Za-z]+")


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


def derive_facts(locale: str) -> dict[str, Any]:
    """What replies need of Babel's data for a locale (to refresh FACTS_FILE)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    data = Locale.parse(locale.replace("-", "_"))
    symbols = data.number_symbols["latn"]
    primary, secondary = parse_pattern(data.decimal_formats[None]).grouping
    lists = data.list_patterns["standard"]
    return {
        "plural": dict(sorted(data.plural_form.rules.items())),
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "grouping": [primary, secondary],
        "list": {k: lists[k] for k in ("2", "start", "middle", "end") if k in lists},
        "date": derive_date_facts(data),
    }


#: The CLDR skeleton of the date a screen shows (weekday, day and month, no year).
DATE_SKELETON = "MMMMEd"


def derive_date_facts(data: Any) -> dict[str, Any]:
    """The locale's pattern for DATE_SKELETON and the names it and the screens' day strip
    use, Monday first (from Babel's locale data `data`, to refresh FACTS_FILE)."""
    from babel.dates import match_skeleton

    skeletons = data.datetime_skeletons
    pattern = str(skeletons[match_skeleton(DATE_SKELETON, skeletons)])
    return {
        "pattern": pattern,
        "weekdays": [data.days["format"]["abbreviated"][i] for i in range(7)],
        "initials": [data.days["stand-alone"]["narrow"][i] for i in range(7)],
        "months": [data.months["format"]["wide"][m] for m in range(1, 13)],
    }


@cache
def _all_facts() -> dict[str, dict[str, Any]]:
    return _read(FACTS_FILE)


class _Facts:
    """One locale's plural rule, number symbols and list patterns."""

    def __init__(self, locale: str) -> None:
        facts = _all_facts()[locale]
        self.plural = PLURAL_RULES[locale]
        self.decimal: str = facts["decimal"]
        self.group: str = facts["group"]
        self.primary, self.secondary = facts["grouping"]
        self.list: dict[str, str] = facts["list"]
        self.date: dict[str, Any] = facts["date"]

    def integer(self, digits: str, *, locale_grouping: bool = True) -> str:
        """Digits grouped as Babel's format_decimal groups them: by the locale's pattern
        (12,345; 1,23,456 in hi-IN), or in threes under an explicit "#,##0.0"."""
        primary, secondary = (self.primary, self.secondary) if locale_grouping else (3, 3)
        if len(digits) <= primary:
            return digits
        groups = [digits[-primary:]]
        rest = digits[:-primary]
        while rest:
            groups.append(rest[-secondary:])
            rest = rest[:-secondary]
        return self.group.join(reversed(groups))


@cache
def _facts(locale: str) -> _Facts:
    return _Facts(locale)


@cache
def _shared(locale: str) -> dict[str, Any]:
    """The messages every message may name (the crisis lines), once per locale."""
    data = _messages(locale)
    return {k: data[k] for k in SHARED_KEYS if k in data}


class Strings:
    """The strings of one locale, with plural-aware counts and SSML-safe formatting."""

    def __init__(self, locale: str) -> None:
        self.locale = resolve_locale(locale)
        self._data = _messages(self.locale)
        self._facts = _facts(self.locale)
        self._shared = _shared(self.locale)

    def has(self, key: str) -> bool:
        """Whether the key exists in this locale (after fallback)."""
        return key in self._data

    def raw(self, key: str) -> Any:
        """The stored value, unformatted."""
        return self._data[key]

    def text(self, key: str, *, plural: int | None = None, **values: Any) -> str:
        """The message as plain text with its placeholders filled. A message written in
        plural forms ({"one": …, "other": …}) takes the form this language uses for
        `plural` ("1 of your 3 days was", "2 of your 3 days were")."""
        template = self._data[key]
        if isinstance(template, list):
            template = random.choice(template)
        elif isinstance(template, dict):
            if plural is None:
                raise TypeError(f"{key} has plural forms: say which number they agree with")
            template = template.get(self._facts.plural(plural)) or template["other"]
        shared = self._shared
        if key in shared:  # a shared message is not a value of itself
            shared = {k: v for k, v in shared.items() if k != key}
        return str(template).format_map({**shared, **values} if values else shared)

    def count(self, key: str, n: int) -> str:
        """'1 day', '12 days': the plural form this language uses for n."""
        forms: dict[str, str] = self._data[key]
        form = self._facts.plural(n)
        template = forms.get(form) or forms["other"]
        return template.format(n=n)

    def join(self, items: list[str]) -> str:
        """'a, b, and c' as this locale writes a list (as Babel's format_list)."""
        if len(items) < 2:
            return items[0] if items else ""
        patterns = self._facts.list
        if len(items) == 2 and "2" in patterns:
            return patterns["2"].format(*items)
        result = patterns["start"].format(items[0], items[1])
        for item in items[2:-1]:
            result = patterns["middle"].format(result, item)
        return patterns["end"].format(result, items[-1])

    def number(self, value: float) -> str:
        """7 or 7.5 (7,5 in German): whole numbers without decimals, others with one, as
        Babel's format_decimal writes them."""
        rounded = round(float(value), 1)
        if rounded < 0:  # never said today; Babel knows each locale's minus sign
            from babel.numbers import format_decimal

            locale = self.locale.replace("-", "_")
            if rounded.is_integer():
                return format_decimal(int(rounded), locale=locale)
            return format_decimal(rounded, format="#,##0.0", locale=locale)
        whole, _, tenth = f"{rounded:.1f}".partition(".")
        if tenth == "0":
            return self._facts.integer(whole)
        grouped = self._facts.integer(whole, locale_grouping=False)
        return f"{grouped}{self._facts.decimal}{tenth}"

    def format_day(self, day: date) -> str:
        """'Sun, February 1' as this locale writes a day without its year: the CLDR pattern
        for DATE_SKELETON, as Babel's format_date writes it (Babel stays off the request
        path, see FACTS_FILE)."""
        facts = self._facts.date
        out = []
        for part in _DATE_FIELD.finditer(facts["pattern"]):
            token, quoted, letter = part.group(0), part.group(1), part.group(2)
            if quoted:
                out.append("'" if token == "''" else token[1:-1].replace("''", "'"))
            elif letter == "d":
                out.append(f"{day.day:0{len(token)}d}")
            elif letter in ("M", "L"):
                wide = len(token) > 2
                out.append(
                    facts["months"][day.month - 1] if wide else f"{day.month:0{len(token)}d}"
                )
            elif letter in ("E", "c"):
                out.append(facts["weekdays"][day.weekday()])
            elif letter:
                raise ValueError(f"date field {token!r} in {facts['pattern']!r}")
            else:
                out.append(token)
        return "".join(out)

    def weekday_initial(self, day: date) -> str:
        """The weekday's narrow name ('M' for Monday, 'ن' in Arabic) for a day strip."""
        initials: list[str] = self._facts.date["initials"]
        return initials[day.weekday()]

    def tips(self, stage: str) -> list[str]:
        """The tip pool of a stage in this language."""
        return _tips(self.locale)[stage]


def ssml(text: str) -> str:
    """Escape plain text for SSML (sound tags are added after escaping).

    xml.sax.saxutils.escape does the same, but importing it pulls in urllib.request, http
    and ssl: a tenth of a cold start."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PLURALS_HEADER = '''"""CLDR plural rules as Python, for whole numbers (every count a reply says):
written by `python -m skill.i18n` from Babel's rules in locales/babel_facts.json, with Babel's
own rule compiler. Do not edit; tests/unit/test_locales.py checks it against Babel.

The operands of a whole number n: i = n, and no visible fraction digits (v = w = f = t = 0)
or compact exponent (c = e = 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def IN(value: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(low <= value <= high for low, high in ranges)


def MOD(value: int, divisor: int) -> int:
    return value % divisor  # both are never negative here
'''


def plural_rules_source(facts: dict[str, dict[str, Any]]) -> str:
    """plural_rules.py for these facts (Babel is imported here only)."""
    from babel.plural import PluralRule, _PythonCompiler

    compile_rule = _PythonCompiler().compile
    names: dict[str, str] = {}
    lines = [_PLURALS_HEADER]
    for locale in sorted(facts):
        rules = facts[locale]["plural"]
        key = json.dumps(rules, sort_keys=True)
        if key in names:
            continue
        name = names[key] = f"_rules_{len(names) + 1}"
        lines += ["", "", f"def {name}(count: int) -> str:  # {json.dumps(rules)}"]
        lines.append("    n = i = abs(count)")
        lines.append("    v = w = f = t = c = e = 0")
        for tag, ast in PluralRule.parse(rules).abstract:
            condition = compile_rule(ast)  # type: ignore[no-untyped-call]
            lines += [f"    if {condition}:", f"        return {str(tag)!r}"]
        lines.append('    return "other"')
    table = ", ".join(
        f'"{locale}": {names[json.dumps(facts[locale]["plural"], sort_keys=True)]}'
        for locale in sorted(facts)
    )
    lines += ["", "", f"PLURAL_RULES: dict[str, Callable[[int], str]] = {{{table}}}", ""]
    return "\n".join(lines)


def write_facts() -> None:
    """Refresh FACTS_FILE and PLURALS_FILE from the installed Babel (after upgrading it)."""
    facts = {locale: derive_facts(locale) for locale in supported_locales()}
    text = json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True)
    FACTS_FILE.write_text(text + "\n", encoding="utf-8")
    PLURALS_FILE.write_text(plural_rules_source(facts), encoding="utf-8")


if __name__ == "__main__":
    write_facts()
    print(f"wrote {FACTS_FILE} and {PLURALS_FILE}")
