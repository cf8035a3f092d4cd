"""The `LanguagePack`, and what every language shares: tokenizing, numbers and clock times."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

Tokens = Sequence[str]
NumberParser = Callable[["LanguagePack", Tokens], "int | None"]
TimeParser = Callable[["LanguagePack", Tokens], "str | None"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_AM_PM = re.compile(r"\b([ap])\.\s?m\b\.?")
_GLUED_AM_PM = re.compile(r"(\d)(am|pm)\b")
_STRAY_COLON = re.compile(r"(?<!\d):|:(?!\d)")
#: Scripts written without spaces between words (kana, kanji, the prolonged-sound mark).
_UNSPACED_CHAR = re.compile(
    r"[\u3005\u3006\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)


def _is_kept(char: str) -> bool:
    """Letters, digits, combining marks (Devanagari vowel signs, Arabic harakat), spaces,
    apostrophes and colons survive; other punctuation and symbols become spaces."""
    return char.isalnum() or char.isspace() or char in "':" or unicodedata.category(char)[0] == "M"


@dataclass(frozen=True)
class LanguagePack:
    """What the console knows about one language beyond the interaction model.

    Word lists are written as people type them; the pack folds them (case, accents as the
    language's `text_normalizer` wants them) the way typed text is folded.
    """

    code: str
    builtin_phrases: Mapping[str, tuple[str, ...]]
    #: Number words and phrases ("seven", "vingt et un", "treinta y uno") and their values.
    number_words: Mapping[str, int] = field(default_factory=dict)
    scale_words: Mapping[str, int] = field(default_factory=dict)
    number_joiners: frozenset[str] = frozenset()
    contractions: Mapping[str, str] = field(default_factory=dict)
    #: Elided words split from the next one ("j'ai" → j ai) and rejoined with an apostrophe,
    #: so none of them may be a word on its own.
    elisions: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    wake_words: tuple[str, ...] = ("alexa",)
    #: "<verb> <name>" opens the skill ("open comeback coach").
    launch_verbs: tuple[str, ...] = ()
    #: "<name> <suffix>" opens it too, in languages that put the verb last ("…を開いて").
    launch_suffixes: tuple[str, ...] = ()
    #: "<verb> <name> [joiner] <request>" ("ask comeback coach to log my day").
    one_shot_verbs: tuple[str, ...] = ()
    one_shot_joiners: tuple[str, ...] = ()
    #: "<name> <particle> <request>", where the name comes first ("カムバックコーチで記録して").
    one_shot_particles: tuple[str, ...] = ()
    number_parser: NumberParser | None = None
    time_parser: TimeParser | None = None
    #: Extra folding after case folding: spelling variants people type interchangeably.
    text_normalizer: Callable[[str], str] | None = None
    #: Written without spaces: each character of the script is a token, values are rejoined
    #: without spaces.
    unspaced: bool = False
    #: How many tokens a slot may take, and an unmatched custom-slot value.
    max_slot_tokens: int = 8
    max_unmatched_tokens: int = 4

    def __post_init__(self) -> None:
        fold = self.fold
        object.__setattr__(
            self, "contractions", {fold(key): value for key, value in self.contractions.items()}
        )
        object.__setattr__(
            self, "scale_words", {fold(key): value for key, value in self.scale_words.items()}
        )
        for name in ("number_joiners", "elisions", "fillers", "articles"):
            words: Iterable[str] = getattr(self, name)
            object.__setattr__(self, name, frozenset(fold(word) for word in words))

    # ---- text

    def fold(self, text: str) -> str:
        """Unicode-normalized, case-folded text with the language's own spelling folds."""
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
        return self.text_normalizer(text) if self.text_normalizer else text

    def tokenize(self, text: str) -> list[str]:
        """Words without punctuation, contractions expanded ("What's up?" → what is up); in
        an unspaced script, one token per character ("今日は" → 今 日 は)."""
        text = self.fold(text)
        text = _AM_PM.sub(r"\1m", text)
        text = _GLUED_AM_PM.sub(r"\1 \2", text)
        text = text.replace("-", " ").replace("_", " ")
        text = "".join(char if _is_kept(char) else " " for char in text)
        text = _STRAY_COLON.sub(" ", text)
        if self.unspaced:
            text = _UNSPACED_CHAR.sub(r" \g<0> ", text)
        words: list[str] = []
        for raw in text.split():
            word = raw.strip("'")
            if not word:
                continue
            expanded = self.contractions.get(word)
            if expanded is not None:
                words.extend(self.fold(expanded).split())
                continue
            head, apostrophe, tail = word.partition("'")
            if apostrophe and head in self.elisions:
                words.append(head)
                word = tail
            words.append(word.replace("'", ""))
        return words

    def join(self, tokens: Tokens) -> str:
        """Tokens back into text as the language writes it: "j ai" → "j'ai", "運 動" → "運動"."""
        text = ""
        for previous, token in zip(("", *tokens), tokens, strict=False):
            if not previous:
                separator = ""
            elif previous in self.elisions:
                separator = "'"
            elif self.unspaced and (
                _UNSPACED_CHAR.match(previous[-1]) or _UNSPACED_CHAR.match(token)
            ):
                separator = ""
            else:
                separator = " "
            text += separator + token
        return text

    # ---- numbers and times

    @cached_property
    def number_phrases(self) -> Mapping[str, int]:
        """`number_words` keyed by their tokens, joined by spaces."""
        return {" ".join(self.tokenize(words)): value for words, value in self.number_words.items()}

    def parse_number(self, tokens: Tokens) -> int | None:
        """The whole of `tokens` read as a cardinal number, or None."""
        parser = self.number_parser or parse_number
        return parser(self, tokens)

    def parse_time(self, tokens: Tokens) -> str | None:
        """The whole of `tokens` read as an AMAZON.TIME value ("21:00", "MO"), or None."""
        parser = self.time_parser or parse_time_digits
        return parser(self, tokens)


def parse_number(pack: LanguagePack, tokens: Tokens) -> int | None:
    """Digits ("12"), a number phrase ("vingt et un"), or number words put together
    ("twenty one", "a hundred and five"); None otherwise."""
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0])
    phrase = pack.number_phrases.get(" ".join(tokens))
    if phrase is not None:
        return phrase
    total = current = 0
    last: str | None = None  # the kind of the previous word: unit, teen, tens or scale
    for index, token in enumerate(tokens):
        if token in pack.number_joiners and last == "scale" and index < len(tokens) - 1:
            continue
        if token in ("a", "an") and index == 0 and len(tokens) > 1:
            if tokens[1] not in pack.scale_words:
                return None
            current, last = 1, "unit"
            continue
        if token in pack.scale_words:
            if last is None or last == "scale":
                return None
            current *= pack.scale_words[token]
            if pack.scale_words[token] >= 1000:
                total, current = total + current, 0
            last = "scale"
            continue
        value = int(token) if token.isdigit() else pack.number_phrases.get(token)
        if value is None:
            return None
        kind = "unit" if value < 10 else "teen" if value < 20 else "tens"
        allowed = last in (None, "scale") or (last == "tens" and kind == "unit")
        if not allowed or value >= 100:
            return None
        current += value
        last = kind
    if last is None:
        return None
    return total + current


def compose_numbers(
    units: Sequence[str],
    tens: Sequence[str],
    *patterns: str,
    combining: Sequence[str] | None = None,
) -> dict[str, int]:
    """Number words 0–99: the words for 0–19 (`units` may run further where the language
    writes those numbers as one word, like Spanish veintiuno), the tens from twenty, and how a
    ten and a unit combine ("{tens} y {unit}", "{unit}und{tens}"); `combining` gives the
    units' forms inside a compound where they differ (German ein-, not eins)."""
    inner = combining or units
    words = {word: value for value, word in enumerate(units)}
    for index, ten in enumerate(tens):
        base = (index + 2) * 10
        words.setdefault(ten, base)
        for unit in range(1, 10):
            if base + unit < len(units):
                continue
            for pattern in patterns:
                words.setdefault(pattern.format(tens=ten, unit=inner[unit]), base + unit)
    return words


CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def format_time(hour: int, minute: int) -> str | None:
    """ "21:05" for a valid hour and minute, else None."""
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return f"{hour:02d}:{minute:02d}"
    return None


def parse_time_digits(pack: LanguagePack, tokens: Tokens) -> str | None:
    """A language-neutral reading: "21:00", "9:30"."""
    if len(tokens) == 1:
        match = CLOCK.match(tokens[0])
        if match:
            return format_time(int(match[1]), int(match[2]))
    return None


def strip_suffix(tokens: list[str], suffixes: Iterable[Sequence[str]]) -> bool:
    """Remove the first of `suffixes` that ends `tokens` (leaving at least one token)."""
    for suffix in suffixes:
        if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == tuple(suffix):
            del tokens[-len(suffix) :]
            return True
    return False


def strip_day_part(
    tokens: list[str],
    pm: Iterable[Sequence[str]],
    am: Iterable[Sequence[str]] = (),
    night: Iterable[Sequence[str]] = (),
) -> str | None:
    """Remove a trailing part-of-day phrase ("de la noche", "'s avonds") and say which it
    was: "pm", "am" or "night" (None when the time ends without one)."""
    for part, suffixes in (("pm", pm), ("am", am), ("night", night)):
        if strip_suffix(tokens, suffixes):
            return part
    return None


def strip_prefix(tokens: list[str], prefixes: Iterable[str]) -> list[str]:
    """`tokens` without leading words of `prefixes` ("at", "a las"), keeping one token."""
    while len(tokens) > 1 and tokens[0] in prefixes:
        tokens = tokens[1:]
    return tokens


def with_day_part(hour: int, minute: int, part: str | None) -> str | None:
    """A clock reading with the part of the day it was said with: "am", "pm" (9 → 21) or
    "night" (9 → 21, 12 → 0, 2 → 2); None when the hour cannot be read that way."""
    if part is not None:
        if not 0 <= hour <= 12:
            return None
        if part == "pm" and hour != 12:
            hour += 12
        elif part == "am" and hour == 12:
            hour = 0
        elif part == "night":
            hour = hour + 12 if 7 <= hour <= 11 else 0 if hour == 12 else hour
    return format_time(hour, minute)
