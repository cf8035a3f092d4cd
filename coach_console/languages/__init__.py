"""Per-language data for the offline resolver: built-in intent phrases, numbers, times, and
how the language is written and invokes a skill.

Alexa understands the built-in intents and the AMAZON.NUMBER / AMAZON.TIME slot types without
samples in the interaction model; the console has to know a few phrases itself. A language is
one `LanguagePack` in a module of this package; add it to `LANGUAGES` to teach the console
another language.
"""

from __future__ import annotations

from .ar import ARABIC
from .base import (
    LanguagePack,
    Tokens,
    format_time,
    parse_number,
    parse_time_digits,
)
from .de import GERMAN
from .en import ENGLISH, parse_time_en
from .es import SPANISH
from .fr import FRENCH
from .hi import HINDI
from .it import ITALIAN
from .ja import JAPANESE
from .nl import DUTCH
from .pt import PORTUGUESE

__all__ = [
    "ARABIC",
    "DUTCH",
    "ENGLISH",
    "FRENCH",
    "GERMAN",
    "HINDI",
    "ITALIAN",
    "JAPANESE",
    "LANGUAGES",
    "PORTUGUESE",
    "SPANISH",
    "LanguagePack",
    "Tokens",
    "format_time",
    "language_for",
    "parse_number",
    "parse_time_digits",
    "parse_time_en",
]

LANGUAGES: dict[str, LanguagePack] = {
    pack.code: pack
    for pack in (
        ENGLISH,
        GERMAN,
        SPANISH,
        FRENCH,
        PORTUGUESE,
        ITALIAN,
        DUTCH,
        JAPANESE,
        HINDI,
        ARABIC,
    )
}


def language_for(locale: str) -> LanguagePack:
    """The pack for a locale's language ("en-GB" → English); a bare pack if unknown."""
    code = locale.split("-")[0].lower()
    return LANGUAGES.get(code) or LanguagePack(code=code, builtin_phrases={})
