"""Italian (it-IT)."""

from __future__ import annotations

from .base import (
    LanguagePack,
    Tokens,
    parse_number,
    parse_time_digits,
    strip_day_part,
    strip_prefix,
    with_day_part,
)

_UNITS = [
    "zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
    "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette",
    "diciotto", "diciannove",
]  # fmt: skip
_TENS = ["venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"]


def _numbers() -> dict[str, int]:
    """0–99 in words, one word each: the tens drop their last vowel before "uno" and "otto"
    (ventuno, ventotto) and "tre" takes an accent (ventitré; "ventitre" is accepted too)."""
    words = {word: value for value, word in enumerate(_UNITS)}
    words.update({"un": 1, "una": 1})
    for index, tens in enumerate(_TENS):
        base = (index + 2) * 10
        words[tens] = base
        for unit in range(1, 10):
            unit_word = _UNITS[unit]
            stem = tens[:-1] if unit_word[0] in "uo" else tens
            if unit == 3:
                words[f"{stem}tré"] = base + 3
            words[f"{stem}{unit_word}"] = base + unit
    return words


NUMBERS = _numbers()

_PERIODS = {
    "mattina": "MO",
    "stamattina": "MO",
    "mattino": "MO",
    "pomeriggio": "AF",
    "oggi pomeriggio": "AF",
    "sera": "EV",
    "stasera": "EV",
    "notte": "NI",
    "stanotte": "NI",
}
_PM = (
    ("di", "sera"),
    ("della", "sera"),
    ("stasera",),
    ("di", "pomeriggio"),
    ("del", "pomeriggio"),
    ("oggi", "pomeriggio"),
)
_AM = (("di", "mattina"), ("della", "mattina"), ("di", "mattino"), ("del", "mattino"))
_NIGHT = (("di", "notte"), ("della", "notte"), ("stanotte",))
_LEADING = ("alle", "all", "le", "ore", "verso", "a", "per", "ogni", "giorno")


def _clock_face(pack: LanguagePack, words: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "nove", "nove e mezza", "nove e un quarto", "dieci meno un quarto",
    "nove e dieci", "ventuno e trenta"."""
    if not words:
        return None
    for joiner in ("e", "meno"):
        if joiner in words[1:]:
            at = words.index(joiner, 1)
            hour = parse_number(pack, words[:at])
            rest = words[at + 1 :]
            if hour is None or not rest:
                return None
            if rest in (["mezza"], ["mezzo"]):
                minute = 30
            elif rest in (["un", "quarto"], ["quarto"]):
                minute = 15
            elif rest == ["tre", "quarti"]:
                minute = 45
            else:
                parsed = parse_number(pack, rest)
                if parsed is None or not 0 < parsed < 60:
                    return None
                minute = parsed
            return (hour, minute) if joiner == "e" else ((hour - 1) % 24, 60 - minute)
    hour = parse_number(pack, words)
    return None if hour is None else (hour, 0)


def parse_time_it(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Italian times as Alexa resolves them: "nove di sera" → "21:00", "sera" → "EV",
    "mezzanotte" → "00:00"."""
    words = strip_prefix(list(tokens), _LEADING)
    if words[-2:] == ["in", "punto"] and len(words) > 2:
        words = words[:-2]
    elif words[-1:] == ["precise"] and len(words) > 1:
        words = words[:-1]
    joined = " ".join(words)
    if joined in ("mezzogiorno", "mezzodì"):
        return "12:00"
    if joined == "mezzanotte":
        return "00:00"
    if joined in _PERIODS:
        return _PERIODS[joined]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    part = strip_day_part(words, _PM, _AM, _NIGHT)
    face = _clock_face(pack, words)
    return None if face is None else with_day_part(*face, part)


ITALIAN = LanguagePack(
    code="it",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "ma certo che sì",
            "sì lo voglio davvero",
            "ecco, sì, esatto",
            "ok, sì, dai",
            "sì, sì",
            "certo, va bene",
            "come no",
            "perfetto",
            "sì",
            "si",
            "sì grazie",
            "sì certo",
            "sì per favore",
            "certo",
            "certamente",
            "va bene",
            "ok",
            "okay",
            "d'accordo",
            "esatto",
            "giusto",
            "volentieri",
            "perché no",
            "assolutamente",
            "sicuramente",
        ),
        "AMAZON.NoIntent": (
            "no, no, no, no",
            "ma certo che no",
            "no, per ora no",
            "beh, in realtà no",
            "no, lascia stare",
            "ancora no",
            "proprio no",
            "direi proprio di no",
            "no",
            "no grazie",
            "no no",
            "non proprio",
            "per niente",
            "assolutamente no",
            "non ora",
            "non adesso",
            "meglio di no",
            "direi di no",
        ),
        "AMAZON.HelpIntent": (
            "ho bisogno di un aiuto",
            "cosa ti posso chiedere",
            "come funziona questa skill",
            "che cosa sai fare esattamente",
            "aiuto, per piacere",
            "non so cosa dire",
            "come si usa",
            "aiuto",
            "aiutami",
            "cosa posso dire",
            "cosa posso fare",
            "cosa sai fare",
            "come funziona",
            "quali sono le opzioni",
        ),
        "AMAZON.StopIntent": (
            "beh, basta così",
            "ok, ciao ciao",
            "per oggi è tutto, grazie",
            "allora esci pure",
            "beh, ciao Alexa",
            "smettila",
            "stai zitta",
            "a dopo",
            "buonanotte",
            "stop",
            "basta",
            "fermati",
            "esci",
            "smetti",
            "chiudi",
            "ciao",
            "arrivederci",
            "ho finito",
            "fine",
        ),
        "AMAZON.CancelIntent": (
            "allora annulla tutto",
            "no, niente, lascia perdere",
            "lascia perdere, dai",
            "annulla quello che ho detto",
            "non fa niente",
            "annulla",
            "lascia perdere",
            "lascia stare",
            "non importa",
        ),
        "AMAZON.NavigateHomeIntent": (
            "vai alla home",
            "torna alla home",
            "home",
            "schermata iniziale",
        ),
    },
    number_words=NUMBERS,
    contractions={"all'una": "alle una", "l'una": "le una", "dell'una": "delle una"},
    elisions=frozenset(
        {"l", "d", "c", "all", "dall", "dell", "nell", "sull", "quell", "com", "dov", "cos"}
    ),
    fillers=frozenset(
        {"ehm", "eh", "allora", "beh", "dunque", "tipo", "mah", "ecco", "senti", "favore", "ok"}
    ),
    articles=frozenset(
        {
            *("il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una"),
            *("mio", "mia", "miei", "mie"),
            *("del", "dello", "della", "dei", "degli", "delle", "dell"),
        }
    ),
    launch_verbs=("apri", "avvia", "lancia", "inizia", "fai partire", "apri il"),
    one_shot_verbs=("chiedi a", "chiedi al", "domanda a", "di a", "dì a", "di al", "usa"),
    one_shot_joiners=("di", "se", "che", "per"),
    time_parser=parse_time_it,
)
