"""Every locale kept in step: the same message keys, placeholders, plural forms and tips."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from babel import Locale

from skill.i18n import (
    FACTS_FILE,
    LOCALES_DIR,
    PLURALS_FILE,
    Strings,
    derive_facts,
    plural_rules_source,
    resolve_locale,
    supported_locales,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_LOCALES = (
    "ar-SA", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX",
    "es-US", "fr-CA", "fr-FR", "hi-IN", "it-IT", "ja-JP", "nl-NL", "pt-BR",
)  # fmt: skip
STAGES = ("reflect", "no_contact", "confidence", "ready", "meeting", "rekindling", "moving_on")
OVERLAY_KEYS = ("crisis_line", "abuse_line", "emergency")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def public(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_")}


ENGLISH = public(load(LOCALES_DIR / "en.json"))
LANGUAGES = sorted(
    {loc.split("-")[0] for loc in PRODUCT_LOCALES}
    & {p.stem for p in LOCALES_DIR.glob("*.json") if "-" not in p.stem}
)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def templates(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    raise TypeError(value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_message_key_of_english(language: str) -> None:
    messages = public(load(LOCALES_DIR / f"{language}.json"))
    assert sorted(set(ENGLISH) - set(messages)) == []
    assert sorted(set(messages) - set(ENGLISH)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_uses_the_same_placeholders_as_english(language: str) -> None:
    messages = public(load(LOCALES_DIR / f"{language}.json"))
    for key, english in ENGLISH.items():
        wanted = set().union(*(fields(t) for t in templates(english)))
        for template in templates(messages[key]):
            assert fields(template) == wanted, f"{language}:{key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_counted_words_have_every_plural_form_the_language_needs(language: str) -> None:
    messages = public(load(LOCALES_DIR / f"{language}.json"))
    needed = set(Locale.parse(language).plural_form.tags) | {"other"}
    for key, value in messages.items():
        if isinstance(ENGLISH[key], dict):
            assert needed <= set(value), f"{language}:{key} lacks {needed - set(value)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_stage_has_at_least_ten_distinct_tips(language: str) -> None:
    tips = load(LOCALES_DIR / "tips" / f"{language}.json")
    assert set(tips) == set(STAGES)
    everything = [t for stage in STAGES for t in tips[stage]]
    for stage in STAGES:
        assert len(tips[stage]) >= 10, f"{language}:{stage}"
    assert len(everything) == len(set(everything))
    for tip in everything:
        assert tip.strip() and not set(tip) & set("<>&"), tip


@pytest.mark.parametrize("locale", PRODUCT_LOCALES)
def test_every_product_locale_has_an_overlay_with_its_crisis_lines(locale: str) -> None:
    overlay = LOCALES_DIR / f"{locale}.json"
    assert overlay.exists(), f"{locale} has no overlay"
    data = public(load(overlay))
    for key in OVERLAY_KEYS:
        assert data.get(key), f"{locale} lacks {key}"


def test_every_product_locale_is_supported() -> None:
    assert set(supported_locales()) == set(PRODUCT_LOCALES)


@pytest.mark.parametrize("locale", supported_locales())
def test_every_supported_locale_has_its_interaction_model(locale: str) -> None:
    assert (ROOT / "interaction_models" / f"{locale}.json").exists()


@pytest.mark.parametrize("locale", supported_locales())
def test_every_message_renders_with_its_placeholders_filled(locale: str) -> None:
    strings = Strings(locale)
    assert strings.locale == locale
    for key, english in ENGLISH.items():
        names = set().union(*(fields(t) for t in templates(english)))
        if isinstance(english, dict):
            for n in (0, 1, 2, 3, 5, 11, 21, 100):
                if names == {"n"}:  # a counted word: "3 days"
                    assert str(n) in strings.count(key, n)
                elif not names:  # the words beside a number a screen shows big
                    assert "{" not in strings.text(key, plural=n), f"{locale}:{key}"
                else:  # a sentence in plural forms, agreeing with a number it names
                    text = strings.text(key, plural=n, **{name: str(n) for name in names})
                    assert "{" not in text and str(n) in text, f"{locale}:{key}"
            continue
        text = strings.text(key, **{name: "X" for name in names})
        assert "{" not in text and "}" not in text, f"{locale}:{key}"


def test_an_unknown_locale_is_answered_in_us_english() -> None:
    assert resolve_locale("xx-XX") == "en-US"
    assert resolve_locale(None) == "en-US"
    assert resolve_locale("en-us") == "en-US"


def test_a_missing_string_falls_back_to_the_language_then_to_english(tmp_path: Path) -> None:
    strings = Strings("en-US")
    assert strings.text("goodbye")
    assert strings.text("crisis_line").startswith("Please call or text 988")


@pytest.mark.parametrize("locale", supported_locales())
def test_each_locales_number_plural_and_list_facts_are_babels_own(locale: str) -> None:
    """The skill reads Babel's facts from babel_facts.json (Babel's locale data is slow to
    load); they must be what the installed Babel says. After upgrading Babel, refresh them
    with `python -m skill.i18n`."""
    from babel.lists import format_list
    from babel.numbers import format_decimal

    assert json.loads(FACTS_FILE.read_text(encoding="utf-8"))[locale] == derive_facts(locale)
    babel_locale = locale.replace("-", "_")
    strings = Strings(locale)
    for n in [*range(0, 130), 1000, 1095, 10000, 12345, 100000, 123456, 1234567]:
        assert strings.number(n) == format_decimal(n, locale=babel_locale), n
        assert strings.number(n + 0.5) == format_decimal(
            round(n + 0.5, 1), format="#,##0.0", locale=babel_locale
        )
    # Plural rules turn on n mod 10, 100 and 1000000 (the "many" of French or Spanish).
    babel_plural = Locale.parse(babel_locale).plural_form
    millions = [k * 10**6 + d for k in (1, 2, 7, 10, 1000) for d in (0, 1, 2, 11, 100)]
    for n in [*range(0, 2100), *millions]:
        assert strings._facts.plural(n) == babel_plural(n), n

    for value in (7.25, 6.75, 0.05, 9.95, -1.5, -2.0):
        rounded = round(value, 1)
        expected = (
            format_decimal(int(rounded), locale=babel_locale)
            if rounded.is_integer()
            else format_decimal(rounded, format="#,##0.0", locale=babel_locale)
        )
        assert strings.number(value) == expected, value
    items = ["gym", "friends", "painting", "a walk", "reading"]
    for size in range(0, len(items) + 1):
        want = format_list(items[:size], locale=babel_locale) if size else ""
        assert strings.join(items[:size]) == want, size


def test_the_plural_rules_module_is_what_babel_compiles_from_the_facts() -> None:
    """skill/plural_rules.py is generated by `python -m skill.i18n` (so no cold start
    imports Babel); regenerate it after refreshing the facts."""
    facts = json.loads(FACTS_FILE.read_text(encoding="utf-8"))
    assert PLURALS_FILE.read_text(encoding="utf-8") == plural_rules_source(facts)
