"""German (de-DE)."""

from __future__ import annotations

from .base import (
    CLOCK,
    LanguagePack,
    Tokens,
    compose_numbers,
    parse_number,
    strip_day_part,
    strip_prefix,
    with_day_part,
)

_UNITS = [
    "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
    "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
    "neunzehn",
]  # fmt: skip
_TENS = ["zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]
NUMBERS = {
    **compose_numbers(_UNITS, _TENS, "{unit}und{tens}", combining=["", "ein", *_UNITS[2:10]]),
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "zwo": 2,
}

_PERIODS = {
    "morgens": "MO",
    "am morgen": "MO",
    "früh": "MO",
    "vormittags": "MO",
    "am vormittag": "MO",
    "nachmittags": "AF",
    "am nachmittag": "AF",
    "heute nachmittag": "AF",
    "abends": "EV",
    "am abend": "EV",
    "heute abend": "EV",
    "nachts": "NI",
    "in der nacht": "NI",
    "heute nacht": "NI",
}
_PM = (("abends",), ("am", "abend"), ("heute", "abend"), ("nachmittags",), ("am", "nachmittag"))
_AM = (("morgens",), ("früh",), ("in", "der", "früh"), ("am", "morgen"), ("vormittags",))
_NIGHT = (("nachts",), ("in", "der", "nacht"), ("heute", "nacht"))
_LEADING = ("um", "gegen", "so", "etwa", "ungefähr", "circa", "ca", "jeden", "tag", "täglich")


def _minutes(pack: LanguagePack, words: list[str]) -> int | None:
    if words == ["viertel"]:
        return 15
    value = parse_number(pack, words)
    return value if value is not None and 0 < value < 30 else None


def _clock_face(pack: LanguagePack, words: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "neun", "neun uhr", "neun uhr dreißig", "21 uhr 30", "halb
    zehn", "viertel nach neun", "viertel vor zehn", "dreiviertel zehn", "fünf vor halb zehn"."""
    if not words:
        return None
    if len(words) == 1 and (match := CLOCK.match(words[0])):
        return int(match[1]), int(match[2])
    if words[0] == "dreiviertel":
        hour = parse_number(pack, words[1:])
        return None if hour is None else ((hour - 1) % 24, 45)
    if "halb" in words:
        at = words.index("halb")
        hour = parse_number(pack, words[at + 1 :])
        if hour is None:
            return None
        before = words[:at]
        if not before:
            return (hour - 1) % 24, 30
        if len(before) >= 2 and before[-1] in ("vor", "nach"):
            minutes = _minutes(pack, before[:-1])
            if minutes is None:
                return None
            return (hour - 1) % 24, 30 - minutes if before[-1] == "vor" else 30 + minutes
        return None
    for joiner in ("nach", "vor"):
        if joiner in words[1:]:
            at = words.index(joiner, 1)
            minutes = _minutes(pack, words[:at])
            hour = parse_number(pack, words[at + 1 :])
            if minutes is None or hour is None:
                return None
            return (hour, minutes) if joiner == "nach" else ((hour - 1) % 24, 60 - minutes)
    if "uhr" in words:
        at = words.index("uhr")
        hour = parse_number(pack, words[:at])
        rest = words[at + 1 :]
        minute = parse_number(pack, rest) if rest else 0
        if hour is None or minute is None:
            return None
        return hour, minute
    if len(words) == 2 and all(word.isdigit() for word in words):  # "21.30" typed
        return int(words[0]), int(words[1])
    hour = parse_number(pack, words)
    return None if hour is None else (hour, 0)


def parse_time_de(pack: LanguagePack, tokens: Tokens) -> str | None:
    """German times as Alexa resolves them: "um neun uhr abends" → "21:00", "halb zehn" →
    "09:30", "mittags" → "12:00", "abends" → "EV"."""
    words = strip_prefix(list(tokens), _LEADING)
    joined = " ".join(words)
    if joined in ("mittag", "mittags", "zu mittag", "am mittag"):
        return "12:00"
    if joined == "mitternacht":
        return "00:00"
    if joined in _PERIODS:
        return _PERIODS[joined]
    part = strip_day_part(words, _PM, _AM, _NIGHT)
    face = _clock_face(pack, words)
    return None if face is None else with_day_part(*face, part)


GERMAN = LanguagePack(
    code="de",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "ja",
            "ja bitte",
            "ja gerne",
            "ja gern",
            "jawohl",
            "jap",
            "jo",
            "genau",
            "genau so",
            "ja genau so",
            "klar",
            "na klar",
            "klar doch gerne",
            "sicher",
            "sicher doch",
            "ja klar",
            "okay",
            "ok",
            "gerne",
            "stimmt",
            "ja stimmt",
            "das stimmt so",
            "richtig",
            "ja richtig",
            "auf jeden fall",
            "mach das",
            "ja mach das",
            "ja bitte mach das",
            "in ordnung",
            "einverstanden",
            "ja natürlich",
            "also ja genau",
            "ja das stimmt schon",
            "ja sicher doch",
        ),
        "AMAZON.NoIntent": (
            "nein",
            "nein danke",
            "nö",
            "nee danke",
            "nee",
            "ne",
            "nein nein",
            "lieber nicht",
            "besser nicht",
            "nicht wirklich",
            "eigentlich nicht",
            "nein eher nicht",
            "auf keinen fall",
            "jetzt nicht",
            "nein jetzt nicht",
            "eher nicht",
            "nein das will ich nicht",
            "nein nicht jetzt",
            "nein bitte nicht",
            "nein stimmt nicht",
            "also nein eigentlich nicht",
            "nein danke lieber nicht",
            "nein das bitte nicht",
        ),
        "AMAZON.HelpIntent": (
            "hilfe",
            "hilf mir",
            "was kann ich sagen",
            "was kann ich tun",
            "was kann ich hier tun",
            "was kann ich alles machen",
            "was kannst du",
            "was kannst du alles",
            "wie funktioniert das",
            "wie funktioniert das hier",
            "wie funktioniert dieser skill",
            "wie geht das",
            "wie benutze ich das",
            "erklär mir das",
            "erklär mir wie das geht",
            "ich brauche hilfe mit dem coach",
            "ich verstehe das nicht",
            "was soll ich sagen",
        ),
        "AMAZON.StopIntent": (
            "stopp",
            "stop",
            "beenden",
            "beende",
            "beende das",
            "beende den coach",
            "aufhören",
            "hör auf",
            "tschüss",
            "tschüss bis morgen",
            "danke tschüss",
            "ciao",
            "bis morgen",
            "gute nacht",
            "auf wiedersehen",
            "das wars",
            "das wars für heute",
            "das reicht",
            "das reicht jetzt",
            "schluss",
            "schluss für heute",
            "ich bin jetzt fertig",
            "fertig",
            "das reicht für heute erstmal",
            "beende bitte den skill",
            "sei still",
        ),
        "AMAZON.CancelIntent": (
            "abbrechen",
            "vergiss es",
            "ach vergiss es",
            "vergiss es bitte",
            "abbruch",
            "egal",
            "lass es",
            "lass es bitte",
            "lass mal",
            "lass mal gut sein",
            "lass gut sein",
            "brich das ab",
            "bitte abbrechen",
            "vergiss das bitte",
            "ach nein lass mal",
            "brich bitte ab",
            "lass es lieber sein",
            "nicht mehr wichtig",
        ),
        "AMAZON.NavigateHomeIntent": ("zur startseite", "startseite", "zum startbildschirm"),
    },
    number_words=NUMBERS,
    scale_words={"hundert": 100, "tausend": 1000},
    contractions={"gibts": "gibt es", "wars": "war es", "hab": "habe", "wies": "wie es"},
    fillers=frozenset({"bitte", "äh", "ähm", "also", "mal", "doch", "halt", "eben", "nun"}),
    articles=frozenset(
        {"der", "die", "das", "den", "dem", "ein", "eine", "einen", "mein", "meine", "im"}
    ),
    launch_verbs=("öffne", "starte", "aktiviere", "beginne", "spiele", "rede mit", "sprich mit"),
    one_shot_verbs=("frag", "frage", "sag", "sage", "bitte", "starte", "öffne", "benutze"),
    one_shot_joiners=("nach", "ob", "dass", "und", "zu", "um"),
    time_parser=parse_time_de,
)
