"""English: every English locale (en-US, en-GB, en-AU, en-CA, en-IN)."""

from __future__ import annotations

from .base import (
    CLOCK,
    LanguagePack,
    Tokens,
    compose_numbers,
    parse_number,
    parse_time_digits,
    strip_suffix,
    with_day_part,
)

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_PERIODS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_PM_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("pm",),
    ("p", "m"),
    ("in", "the", "evening"),
    ("in", "the", "afternoon"),
    ("at", "night"),
    ("tonight",),
    ("this", "evening"),
)
_AM_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("am",),
    ("a", "m"),
    ("in", "the", "morning"),
    ("this", "morning"),
)


def _clock_face(pack: LanguagePack, tokens: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "9", "nine thirty", "9:30", "half past nine", "quarter to ten"."""
    if tokens[-1:] in (["o'clock"], ["oclock"]):
        tokens = tokens[:-1]
    elif tokens[-2:] == ["o", "clock"]:
        tokens = tokens[:-2]
    if tokens[:1] == ["a"]:
        tokens = tokens[1:]
    if not tokens:
        return None
    if len(tokens) == 1 and (match := CLOCK.match(tokens[0])):
        return int(match[1]), int(match[2])
    if len(tokens) >= 3 and tokens[0] in ("half", "quarter"):
        minutes = 30 if tokens[0] == "half" else 15
        hour = parse_number(pack, tokens[2:])
        if hour is None:
            return None
        if tokens[1] in ("past", "after"):
            return hour, minutes
        if tokens[1] in ("to", "before"):
            return (hour - 1) % 24, 60 - minutes
        return None
    hour = parse_number(pack, tokens[:1])
    rest = tokens[1:]
    if hour is None:
        return None
    if not rest:
        return hour, 0
    if rest[0] in ("oh", "o") and len(rest) == 2:
        minute = parse_number(pack, rest[1:])
        return None if minute is None or minute > 9 else (hour, minute)
    minute = parse_number(pack, rest)
    if minute is None or minute < 10:
        return None
    return hour, minute


def parse_time_en(pack: LanguagePack, tokens: Tokens) -> str | None:
    """English times as Alexa resolves them: "nine pm" → "21:00", "noon" → "12:00"."""
    words = list(tokens[1:] if tokens[:1] == ["at"] else tokens)
    if not words:
        return None
    joined = " ".join(words)
    if joined in ("noon", "midday", "twelve noon", "12 noon"):
        return "12:00"
    if joined in ("midnight", "twelve midnight", "12 midnight"):
        return "00:00"
    if len(words) == 1 and words[0] in _PERIODS:
        return _PERIODS[words[0]]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    pm = strip_suffix(words, _PM_SUFFIXES)
    am = not pm and strip_suffix(words, _AM_SUFFIXES)
    face = _clock_face(pack, words)
    if face is None:
        return None
    hour, minute = face
    if (pm or am) and hour == 0:
        return None
    return with_day_part(hour, minute, "pm" if pm else "am" if am else None)


ENGLISH = LanguagePack(
    code="en",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "yes",
            "yeah",
            "yep",
            "yup",
            "sure",
            "yeah sure",
            "sure thing",
            "ok",
            "okay",
            "of course",
            "correct",
            "that's right",
            "yes please",
            "absolutely",
            "i do",
            "please do",
            "go ahead",
            "sounds good",
            "definitely",
            "oh yes definitely",
            "yes i did reply",
            "yes i replied",
            "i did",
            "i think so",
            "oh yes i do",
            "yes it was",
            "yes they did",
            "that's right yes",
            "yes that's right",
            "yeah go on",
            "go on then",
            "why not",
            "yes let's do it",
        ),
        "AMAZON.NoIntent": (
            "no",
            "nope",
            "nah",
            "no thanks",
            "no thank you",
            "not really",
            "i don't",
            "no way",
            "not now",
            "definitely not",
            "no i did not reply",
            "no i didn't reply",
            "i didn't",
            "no not at all",
            "not at all",
            "well no not really",
            "oh no i don't",
            "no thank you not now",
            "no it wasn't",
            "no they didn't",
            "not today",
            "no i'd rather not",
            "i'd rather not",
        ),
        "AMAZON.HelpIntent": (
            "help",
            "help me",
            "what can i say",
            "what can i do",
            "what can you do",
            "how does this work",
            "what are my options",
            "help me out",
            "can you help me",
            "i need some help",
            "how do i use it",
            "what can i ask",
            "what should i say",
            "what do i do",
            "i'm lost",
            "what does this skill do",
        ),
        "AMAZON.StopIntent": (
            "stop",
            "quit",
            "exit",
            "be quiet",
            "shut up",
            "goodbye",
            "bye",
            "stop it",
            "that's all",
            "i'm done",
            "i'm done for today",
            "i'm finished now",
            "that's enough now",
            "bye for now",
            "bye bye",
            "goodbye alexa",
            "that's it",
            "that's all for today",
            "see you tomorrow",
            "talk to you later",
        ),
        "AMAZON.CancelIntent": (
            "cancel",
            "never mind",
            "nevermind",
            "forget it",
            "cancel that",
            "please cancel it",
            "never mind about that",
            "just forget that",
            "don't worry about it",
            "cancel that please",
            "scrap that",
        ),
        "AMAZON.NavigateHomeIntent": ("go home", "home", "go to the home screen"),
    },
    number_words=compose_numbers(_UNITS, _TENS, "{tens} {unit}"),
    scale_words={"hundred": 100, "thousand": 1000, "million": 1_000_000},
    number_joiners=frozenset({"and"}),
    contractions={
        "what's": "what is",
        "whats": "what is",
        "i'm": "i am",
        "im": "i am",
        "don't": "do not",
        "dont": "do not",
        "doesn't": "does not",
        "didn't": "did not",
        "can't": "can not",
        "cant": "can not",
        "cannot": "can not",
        "won't": "will not",
        "it's": "it is",
        "that's": "that is",
        "thats": "that is",
        "i've": "i have",
        "i'd": "i would",
        "i'll": "i will",
        "isn't": "is not",
        "aren't": "are not",
        "wasn't": "was not",
        "haven't": "have not",
        "let's": "let us",
        "how's": "how is",
        "where's": "where is",
        "they're": "they are",
        "we're": "we are",
        "you're": "you are",
        "he's": "he is",
        "she's": "she is",
        "wanna": "want to",
        "gonna": "going to",
    },
    fillers=frozenset(
        {"please", "um", "uh", "so", "just", "the", "a", "an", "now", "well", "oh", "like"}
        | {"ok", "okay"}
    ),
    articles=frozenset({"the", "a", "an", "my", "some"}),
    launch_verbs=("open", "launch", "start", "begin", "talk to", "run", "play"),
    one_shot_verbs=("ask", "tell", "use"),
    one_shot_joiners=("to", "that", "for", "about", "if", "whether", "and"),
    time_parser=parse_time_en,
)
