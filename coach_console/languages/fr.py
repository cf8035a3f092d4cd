"""French (fr-FR, fr-CA)."""

from __future__ import annotations

import re

from .base import (
    LanguagePack,
    Tokens,
    format_time,
    parse_number,
    strip_day_part,
    strip_prefix,
    with_day_part,
)

_UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
    "dix-neuf",
]  # fmt: skip


def _numbers() -> dict[str, int]:
    """0–99 as France and Québec write them ("vingt et un", "soixante-dix",
    "quatre-vingt-dix-sept"; hyphens read as spaces), with une for un and the Belgian and
    Swiss septante, huitante, octante and nonante."""
    words = {word: value for value, word in enumerate(_UNITS)}
    words["une"] = 1
    regular = ("vingt", "trente", "quarante", "cinquante", "soixante")
    belgian = {"septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
    for ten, base in [*((ten, (i + 2) * 10) for i, ten in enumerate(regular)), *belgian.items()]:
        words[ten] = base
        words[f"{ten} et un"] = words[f"{ten} et une"] = base + 1
        for unit in range(2, 10):
            words[f"{ten} {_UNITS[unit]}"] = base + unit
    for unit in range(10, 20):  # soixante-dix … soixante-dix-neuf
        words[f"soixante {_UNITS[unit]}"] = 60 + unit
    words["soixante et onze"] = 71
    words["quatre vingts"] = words["quatre vingt"] = 80
    for unit in range(1, 20):  # quatre-vingt-un … quatre-vingt-dix-neuf
        words[f"quatre vingt {_UNITS[unit]}"] = 80 + unit
    words["quatre vingt une"] = 81
    return words


NUMBERS = _numbers()

_PERIODS = {
    "matin": "MO",
    "le matin": "MO",
    "ce matin": "MO",
    "dans la matinée": "MO",
    "après midi": "AF",
    "l après midi": "AF",
    "cet après midi": "AF",
    "soir": "EV",
    "le soir": "EV",
    "ce soir": "EV",
    "en soirée": "EV",
    "nuit": "NI",
    "la nuit": "NI",
    "cette nuit": "NI",
}
_PM = (
    ("du", "soir"),
    ("le", "soir"),
    ("ce", "soir"),
    ("de", "l", "après", "midi"),
    ("l", "après", "midi"),
    ("cet", "après", "midi"),
)
_AM = (("du", "matin"), ("le", "matin"), ("ce", "matin"))
_NIGHT = (("de", "la", "nuit"), ("la", "nuit"), ("cette", "nuit"))
_LEADING = ("à", "a", "vers", "pour", "aux", "environ", "chaque", "jour", "tous", "les", "jours")
_HOURS = ("heure", "heures", "h")
_GLUED = re.compile(r"^(\d{1,2})h(\d{2})?$")


def _clock_face(pack: LanguagePack, words: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "neuf heures", "21 h 30", "21h30", "neuf heures et demie",
    "neuf heures et quart", "dix heures moins le quart", "neuf heures trente", "neuf"."""
    if len(words) == 1 and (glued := _GLUED.match(words[0])):
        return int(glued[1]), int(glued[2] or 0)
    at = next((i for i, word in enumerate(words) if word in _HOURS), None)
    if at is None:
        hour = parse_number(pack, words)
        return None if hour is None else (hour, 0)
    hour = parse_number(pack, words[:at])
    rest = words[at + 1 :]
    if hour is None:
        return None
    if not rest:
        return hour, 0
    if rest in (["et", "demie"], ["et", "demi"], ["trente"]):
        return hour, 30
    if rest == ["et", "quart"]:
        return hour, 15
    if rest[0] == "moins" and len(rest) > 1:
        minutes = 15 if rest[1:] in (["le", "quart"], ["quart"]) else parse_number(pack, rest[1:])
        if minutes is None or not 0 < minutes < 60:
            return None
        return (hour - 1) % 24, 60 - minutes
    minute = parse_number(pack, rest)
    return None if minute is None else (hour, minute)


def parse_time_fr(pack: LanguagePack, tokens: Tokens) -> str | None:
    """French times as Alexa resolves them: "à neuf heures du soir" → "21:00", "vingt et une
    heures" → "21:00", "midi" → "12:00", "ce soir" → "EV"."""
    words = strip_prefix(list(tokens), _LEADING)
    joined = " ".join(words)
    if joined in ("midi", "midi pile"):
        return "12:00"
    if joined in ("minuit", "minuit pile"):
        return "00:00"
    if joined in ("midi et demi", "midi et demie"):
        return "12:30"
    if joined in _PERIODS:
        return _PERIODS[joined]
    if words[-1:] == ["pile"] and len(words) > 1:
        words = words[:-1]
    part = strip_day_part(words, _PM, _AM, _NIGHT)
    face = _clock_face(pack, words)
    if face is None:
        return None
    return with_day_part(*face, part) if part else format_time(*face)


FRENCH = LanguagePack(
    code="fr",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "oui",
            "oui merci",
            "oui s'il te plaît",
            "oui s'il vous plaît",
            "oui oui",
            "oui exactement ça",
            "oui c'est exactement ça",
            "oui avec grand plaisir",
            "oui évidemment",
            "évidemment que oui",
            "oui bien sûr que oui",
            "oui vas y",
            "d'accord",
            "bien sûr",
            "ouais",
            "ouais c'est ça",
            "ok",
            "okay",
            "exactement",
            "évidemment",
            "certain",
            "c'est ça",
            "c'est bien ça",
            "volontiers",
            "absolument",
            "carrément",
            "vas y",
            "allez",
            "c'est correct",
            "certainement",
            "alors oui exactement",
            "alors oui bien sûr",
            "c'est en plein ça",
            "ben oui c'est sûr",
        ),
        "AMAZON.NoIntent": (
            "non",
            "non merci",
            "non non non",
            "non non",
            "pas vraiment",
            "non pas vraiment",
            "pas maintenant",
            "non pas maintenant",
            "surtout pas",
            "pas du tout",
            "non pas aujourd'hui",
            "non pas ça du tout",
            "non ça va aller",
            "non c'est bon",
            "je préfère pas trop",
            "je ne préfère pas",
            "plutôt pas",
            "nan",
            "nan merci",
            "pantoute",
            "bon non pas vraiment en fait",
            "non pas ça alors",
            "non merci ça ira",
            "ben non pas pantoute",
            "non merci ça va être correct",
        ),
        "AMAZON.HelpIntent": (
            "aide",
            "aide moi",
            "à l'aide",
            "que puis je dire",
            "qu'est ce que je peux dire",
            "qu'est ce que je peux faire avec toi",
            "qu'est ce que je peux faire avec ce coach",
            "qu'est ce que je peux te dire",
            "comment ça marche",
            "comment ça marche ici",
            "comment ça fonctionne",
            "explique moi comment ça marche",
            "j'ai besoin d'aide avec le coach",
            "qu'est ce que tu sais faire",
            "je comprends pas comment ça marche",
            "qu'est ce que je peux faire ici alors",
            "alors ça marche comment",
        ),
        "AMAZON.StopIntent": (
            "stop",
            "stop stop",
            "stop c'est bon",
            "arrête",
            "arrête ça",
            "arrêter",
            "quitter",
            "quitte",
            "ferme",
            "ferme le coach",
            "au revoir",
            "bonne nuit",
            "à demain",
            "tais toi",
            "c'est tout",
            "c'est tout pour aujourd'hui",
            "ça suffit",
            "ça suffit pour ce soir",
            "j'ai terminé",
            "salut",
            "bye",
            "bon stop merci",
            "bon ça suffit pour aujourd'hui",
            "bon j'ai fini",
        ),
        "AMAZON.CancelIntent": (
            "annule",
            "annuler",
            "annule ça",
            "annule ça s'il te plaît",
            "laisse tomber",
            "non non laisse tomber",
            "oh laisse tomber",
            "laisse tomber finalement",
            "oublie",
            "oublie ça",
            "oublie ça finalement",
            "annule tout ça",
            "on annule",
            "bon annule tout",
            "non laisse tomber en fait",
            "annule ça s'il vous plaît",
            "bon oublie ça d'abord",
            "laisse faire",
            "non non laisse faire",
            "bon laisse faire finalement",
        ),
        "AMAZON.NavigateHomeIntent": ("accueil", "retour à l'accueil", "écran d'accueil"),
    },
    number_words=NUMBERS,
    scale_words={"cent": 100, "cents": 100, "mille": 1000},
    elisions=frozenset(
        {"l", "d", "j", "m", "t", "s", "n", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
    ),
    fillers=frozenset(
        {"euh", "ben", "bah", "alors", "donc", "bon", "voilà", "genre", "stp", "svp", "ok"}
    ),
    articles=frozenset(
        {"le", "la", "les", "l", "un", "une", "des", "du", "de", "mon", "ma", "mes"}
    ),
    launch_verbs=("ouvre", "ouvrir", "lance", "démarre", "commence", "ouvre le", "lance le"),
    one_shot_verbs=(
        "demande à",
        "demande au",
        "demander à",
        "dis à",
        "dis au",
        "lance",
        "ouvre",
        "utilise",
    ),
    one_shot_joiners=("de", "d", "si", "que", "qu", "et", "pour"),
    time_parser=parse_time_fr,
)
