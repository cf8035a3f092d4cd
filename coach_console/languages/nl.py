"""Dutch (nl-NL)."""

from __future__ import annotations

from .base import (
    LanguagePack,
    Tokens,
    parse_number,
    parse_time_digits,
    strip_day_part,
    with_day_part,
)

_UNITS = [
    "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
    "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
    "achttien", "negentien",
]  # fmt: skip
_TENS = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]


def _numbers() -> dict[str, int]:
    """0–99 in words: the unit comes first, joined by "en" ("vijfendertig"), written "ën"
    after a unit ending in e ("tweeëntwintig", "drieëndertig"); "één" is one as well."""
    words = {word: value for value, word in enumerate(_UNITS)}
    words["één"] = 1
    for index, tens in enumerate(_TENS):
        base = (index + 2) * 10
        words[tens] = base
        for unit in range(1, 10):
            unit_word = _UNITS[unit]
            words[f"{unit_word}en{tens}"] = base + unit
            if unit_word.endswith("e"):
                words[f"{unit_word}ën{tens}"] = base + unit
    return words


NUMBERS = _numbers()

# Normalising strips apostrophes, so "'s avonds" arrives as ["s", "avonds"].
_PERIODS = {
    "s ochtends": "MO", "s morgens": "MO", "vanochtend": "MO", "vanmorgen": "MO",
    "ochtend": "MO", "morgenochtend": "MO",
    "s middags": "AF", "vanmiddag": "AF", "middag": "AF",
    "s avonds": "EV", "vanavond": "EV", "avond": "EV",
    "s nachts": "NI", "vannacht": "NI", "nacht": "NI",
}  # fmt: skip
_PM: tuple[tuple[str, ...], ...] = (
    ("s", "avonds"),
    ("in", "de", "avond"),
    ("vanavond",),
    ("s", "middags"),
    ("in", "de", "middag"),
    ("vanmiddag",),
)
_AM: tuple[tuple[str, ...], ...] = (
    ("s", "ochtends"),
    ("s", "morgens"),
    ("in", "de", "ochtend"),
    ("vanochtend",),
    ("vanmorgen",),
)
_NIGHT: tuple[tuple[str, ...], ...] = (("s", "nachts"), ("vannacht",))
_FILLERS = {
    "eh", "ehm", "uhm", "nou", "dus", "even", "gewoon", "alsjeblieft", "alstublieft",
    "hoor", "toch", "de", "het", "ok",
}  # fmt: skip
_LEADING = ("om", "rond", "tegen", "omstreeks")


def _minutes(pack: LanguagePack, words: list[str]) -> int | None:
    """Minutes below the half hour: "kwart", or a number such as "vijf" or "tien"."""
    if words == ["kwart"]:
        return 15
    value = parse_number(pack, words)
    return value if value is not None and 0 < value < 30 else None


def _clock_face(pack: LanguagePack, words: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "negen", "negen uur", "negen uur dertig", "half tien",
    "kwart over negen", "kwart voor tien", "tien over negen", "vijf voor half tien"."""
    if not words:
        return None
    if "half" in words:
        at = words.index("half")
        hour = parse_number(pack, words[at + 1 :])
        if hour is None:
            return None
        base = ((hour - 1) % 24, 30)
        before = words[:at]
        if not before:
            return base
        if len(before) >= 2 and before[-1] in ("voor", "over"):
            minutes = _minutes(pack, before[:-1])
            if minutes is None:
                return None
            offset = -minutes if before[-1] == "voor" else minutes
            return base[0], 30 + offset
        return None
    for joiner, sign in (("over", 1), ("voor", -1)):
        if joiner in words[1:]:
            at = words.index(joiner, 1)
            minutes = _minutes(pack, words[:at])
            hour = parse_number(pack, words[at + 1 :])
            if minutes is None or hour is None:
                return None
            if sign < 0:
                return (hour - 1) % 24, 60 - minutes
            return hour, minutes
    if "uur" in words:
        at = words.index("uur")
        hour = parse_number(pack, words[:at])
        rest = words[at + 1 :]
        if hour is None:
            return None
        if not rest:
            return hour, 0
        minute = parse_number(pack, rest)
        return None if minute is None or not 0 <= minute < 60 else (hour, minute)
    hour = parse_number(pack, words)
    return None if hour is None else (hour, 0)


def parse_time_nl(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Dutch times as Alexa resolves them: "negen uur 's avonds" → "21:00", "vanavond" → "EV"."""
    words = list(tokens)
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    joined = " ".join(words)
    if joined == "middaguur":
        return "12:00"
    if joined in ("middernacht", "twaalf uur s nachts"):
        return "00:00"
    if joined in _PERIODS:
        return _PERIODS[joined]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    part = strip_day_part(words, _PM, _AM, _NIGHT)
    face = _clock_face(pack, words)
    return None if face is None else with_day_part(*face, part)


DUTCH = LanguagePack(
    code="nl",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "ja",
            "jazeker",
            "tuurlijk",
            "ja hoor",
            "ja graag",
            "ja alsjeblieft",
            "ja precies dat",
            "precies",
            "zeker",
            "zeker weten",
            "ja zeker weten",
            "tuurlijk wel",
            "natuurlijk",
            "ja natuurlijk",
            "graag",
            "oké",
            "ok",
            "okay",
            "prima",
            "is goed",
            "dat is goed",
            "klopt",
            "dat klopt",
            "ja dat klopt wel",
            "klopt helemaal",
            "absoluut",
            "doe maar",
            "ja doe maar",
            "ga je gang",
            "akkoord",
            "yes",
            "ja precies hoor",
            "ja zeker hoor",
        ),
        "AMAZON.NoIntent": (
            "nee",
            "nee dank je",
            "nee bedankt",
            "nee hoor",
            "neuh",
            "nee hoor eigenlijk niet",
            "eigenlijk niet",
            "liever niet",
            "nee toch liever niet",
            "niet echt",
            "zeker niet",
            "echt niet",
            "nu niet",
            "nee nu niet",
            "nog niet",
            "nee nog niet",
            "nee dat niet hoor",
            "nee dat wil ik niet",
            "nope",
            "nee nee",
        ),
        "AMAZON.HelpIntent": (
            "help",
            "hulp",
            "help me",
            "help me even",
            "wat kan ik zeggen",
            "wat kan ik doen",
            "wat kan ik hier allemaal doen",
            "wat kan ik allemaal",
            "wat kun je",
            "wat kun je allemaal",
            "hoe werkt dit",
            "hoe werkt dit precies",
            "hoe werkt het",
            "hoe werkt deze skill",
            "leg uit hoe het werkt",
            "ik heb hulp nodig met de coach",
            "welke opties heb ik",
            "ik snap het niet",
            "ik heb hulp nodig met deze coach",
            "leg me even uit hoe dit werkt",
        ),
        "AMAZON.StopIntent": (
            "stop",
            "stoppen",
            "stop ermee",
            "hou op",
            "houd op",
            "afsluiten",
            "sluit af",
            "sluit de coach af",
            "doei",
            "doei doei",
            "dag",
            "tot morgen",
            "welterusten",
            "tot ziens",
            "dat was het",
            "dat was het voor vandaag",
            "genoeg",
            "dat is genoeg",
            "het is genoeg voor vandaag",
            "ik ben klaar voor vandaag",
            "klaar",
            "ik ben nu klaar",
        ),
        "AMAZON.CancelIntent": (
            "annuleer",
            "annuleren",
            "annuleer dat",
            "annuleer het maar",
            "laat maar",
            "laat maar zitten",
            "ach laat maar",
            "laat het maar zitten",
            "vergeet het",
            "vergeet het maar",
            "vergeet dat maar",
            "breek maar af",
            "afbreken",
            "laat ook maar",
            "nee laat maar zitten",
            "breek het af",
        ),
        "AMAZON.NavigateHomeIntent": (
            "naar start",
            "startscherm",
            "ga naar het startscherm",
            "naar het beginscherm",
        ),
    },
    number_words=NUMBERS,
    contractions={"m'n": "mijn", "z'n": "zijn", "d'r": "haar", "t": "het", "ns": "eens"},
    fillers=frozenset(_FILLERS),
    articles=frozenset({"de", "het", "een", "mijn", "je", "wat"}),
    wake_words=("alexa",),
    launch_verbs=("open", "start", "begin", "praat met"),
    one_shot_verbs=("vraag", "vraag aan", "zeg tegen", "start", "open"),
    one_shot_joiners=("naar", "om", "of", "en", "over", "dat"),
    time_parser=parse_time_nl,
)
