"""Per-language data for the offline resolver: built-in intent phrases, numbers, times.

Alexa understands the built-in intents and the AMAZON.NUMBER / AMAZON.TIME slot types without
samples in the interaction model; the console has to know a few phrases itself. A language is
one `LanguagePack`; add one to `LANGUAGES` to teach the console another language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

Tokens = Sequence[str]


@dataclass(frozen=True)
class LanguagePack:
    """What the console knows about one language beyond the interaction model."""

    code: str
    builtin_phrases: Mapping[str, tuple[str, ...]]
    number_words: Mapping[str, int] = field(default_factory=dict)
    scale_words: Mapping[str, int] = field(default_factory=dict)
    number_joiners: frozenset[str] = frozenset()
    contractions: Mapping[str, str] = field(default_factory=dict)
    fillers: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    wake_words: tuple[str, ...] = ("alexa",)
    launch_verbs: tuple[str, ...] = ()
    one_shot_verbs: tuple[str, ...] = ()
    one_shot_joiners: tuple[str, ...] = ()
    time_parser: Callable[[LanguagePack, Tokens], str | None] | None = None

    def parse_number(self, tokens: Tokens) -> int | None:
        """The whole of `tokens` read as a cardinal number, or None."""
        return parse_number(self, tokens)

    def parse_time(self, tokens: Tokens) -> str | None:
        """The whole of `tokens` read as an AMAZON.TIME value ("21:00", "MO"), or None."""
        parser = self.time_parser or parse_time_digits
        return parser(self, tokens)


def parse_number(pack: LanguagePack, tokens: Tokens) -> int | None:
    """Digits ("12") or number words ("twenty one", "a hundred and five"), or None."""
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0])
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
        value = int(token) if token.isdigit() else pack.number_words.get(token)
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


_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def _format_time(hour: int, minute: int) -> str | None:
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return f"{hour:02d}:{minute:02d}"
    return None


def parse_time_digits(pack: LanguagePack, tokens: Tokens) -> str | None:
    """A language-neutral reading: "21:00", "9:30", "21"."""
    if len(tokens) == 1:
        match = _CLOCK.match(tokens[0])
        if match:
            return _format_time(int(match[1]), int(match[2]))
    return None


_EN_PERIODS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_EN_PM_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("pm",),
    ("p", "m"),
    ("in", "the", "evening"),
    ("in", "the", "afternoon"),
    ("at", "night"),
    ("tonight",),
    ("this", "evening"),
)
_EN_AM_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("am",),
    ("a", "m"),
    ("in", "the", "morning"),
    ("this", "morning"),
)


def _strip_suffix(tokens: list[str], suffixes: tuple[tuple[str, ...], ...]) -> bool:
    for suffix in suffixes:
        if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == suffix:
            del tokens[-len(suffix) :]
            return True
    return False


def _en_clock_face(pack: LanguagePack, tokens: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "9", "nine thirty", "9:30", "half past nine", "quarter to ten"."""
    if tokens[-1:] in (["o'clock"], ["oclock"]):
        tokens = tokens[:-1]
    elif tokens[-2:] == ["o", "clock"]:
        tokens = tokens[:-2]
    if tokens[:1] == ["a"]:
        tokens = tokens[1:]
    if not tokens:
        return None
    if len(tokens) == 1 and (match := _CLOCK.match(tokens[0])):
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
    if len(words) == 1 and words[0] in _EN_PERIODS:
        return _EN_PERIODS[words[0]]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    pm = _strip_suffix(words, _EN_PM_SUFFIXES)
    am = not pm and _strip_suffix(words, _EN_AM_SUFFIXES)
    face = _en_clock_face(pack, words)
    if face is None:
        return None
    hour, minute = face
    if pm or am:
        if not 1 <= hour <= 12:
            return None
        if pm and hour != 12:
            hour += 12
        if am and hour == 12:
            hour = 0
    return _format_time(hour, minute)


_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

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
        ),
        "AMAZON.HelpIntent": (
            "help",
            "help me",
            "what can i say",
            "what can i do",
            "what can you do",
            "how does this work",
            "what are my options",
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
        ),
        "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it", "cancel that"),
        "AMAZON.NavigateHomeIntent": ("go home", "home", "go to the home screen"),
    },
    number_words={
        **{word: value for value, word in enumerate(_EN_UNITS)},
        **{word: (index + 2) * 10 for index, word in enumerate(_EN_TENS)},
    },
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
        {"please", "um", "uh", "so", "just", "the", "a", "an", "now", "well", "oh", "like", "ok"}
    ),
    articles=frozenset({"the", "a", "an", "my", "some"}),
    launch_verbs=("open", "launch", "start", "begin", "talk to", "run", "play"),
    one_shot_verbs=("ask", "tell", "use"),
    one_shot_joiners=("to", "that", "for", "about", "if", "whether", "and"),
    time_parser=parse_time_en,
)

GERMAN = LanguagePack(
    code="de",
    builtin_phrases={
        "AMAZON.YesIntent": ("ja", "ja bitte", "genau", "klar", "okay", "gerne"),
        "AMAZON.NoIntent": ("nein", "nein danke", "nö", "lieber nicht"),
        "AMAZON.HelpIntent": ("hilfe", "hilf mir", "was kann ich sagen"),
        "AMAZON.StopIntent": ("stopp", "stop", "beenden", "aufhören", "tschüss"),
        "AMAZON.CancelIntent": ("abbrechen", "vergiss es", "abbruch"),
        "AMAZON.NavigateHomeIntent": ("zur startseite", "startseite"),
    },
    launch_verbs=("öffne", "starte"),
    wake_words=("alexa",),
)

SPANISH = LanguagePack(
    code="es",
    builtin_phrases={
        "AMAZON.YesIntent": ("sí", "si", "claro", "vale", "de acuerdo", "por supuesto"),
        "AMAZON.NoIntent": ("no", "no gracias", "para nada"),
        "AMAZON.HelpIntent": ("ayuda", "ayúdame", "qué puedo decir"),
        "AMAZON.StopIntent": ("para", "parar", "detente", "salir", "adiós"),
        "AMAZON.CancelIntent": ("cancela", "cancelar", "olvídalo"),
        "AMAZON.NavigateHomeIntent": ("ir al inicio", "inicio"),
    },
    launch_verbs=("abre", "inicia"),
)

FRENCH = LanguagePack(
    code="fr",
    builtin_phrases={
        "AMAZON.YesIntent": ("oui", "oui merci", "d'accord", "bien sûr", "ouais"),
        "AMAZON.NoIntent": ("non", "non merci", "pas vraiment"),
        "AMAZON.HelpIntent": ("aide", "aide moi", "que puis je dire"),
        "AMAZON.StopIntent": ("stop", "arrête", "quitter", "au revoir"),
        "AMAZON.CancelIntent": ("annule", "annuler", "laisse tomber"),
        "AMAZON.NavigateHomeIntent": ("accueil", "retour à l'accueil"),
    },
    launch_verbs=("ouvre", "lance"),
)

PORTUGUESE = LanguagePack(
    code="pt",
    builtin_phrases={
        "AMAZON.YesIntent": ("sim", "claro", "com certeza", "pode ser", "sim por favor"),
        "AMAZON.NoIntent": ("não", "nao", "não obrigado", "não obrigada"),
        "AMAZON.HelpIntent": ("ajuda", "me ajuda", "o que posso dizer"),
        "AMAZON.StopIntent": ("parar", "pare", "sair", "tchau"),
        "AMAZON.CancelIntent": ("cancelar", "cancela", "esquece"),
        "AMAZON.NavigateHomeIntent": ("início", "ir para o início"),
    },
    launch_verbs=("abra", "abrir", "inicie"),
)

ITALIAN = LanguagePack(
    code="it",
    builtin_phrases={
        "AMAZON.YesIntent": ("sì", "si", "certo", "va bene", "d'accordo"),
        "AMAZON.NoIntent": ("no", "no grazie", "per niente"),
        "AMAZON.HelpIntent": ("aiuto", "aiutami", "cosa posso dire"),
        "AMAZON.StopIntent": ("stop", "basta", "esci", "fermati"),
        "AMAZON.CancelIntent": ("annulla", "lascia stare"),
        "AMAZON.NavigateHomeIntent": ("home", "torna alla home"),
    },
    launch_verbs=("apri", "avvia"),
)

DUTCH = LanguagePack(
    code="nl",
    builtin_phrases={
        "AMAZON.YesIntent": ("ja", "zeker", "graag", "oké", "ja graag"),
        "AMAZON.NoIntent": ("nee", "nee dank je", "liever niet"),
        "AMAZON.HelpIntent": ("help", "hulp", "wat kan ik zeggen"),
        "AMAZON.StopIntent": ("stop", "stoppen", "doei"),
        "AMAZON.CancelIntent": ("annuleer", "annuleren", "laat maar"),
        "AMAZON.NavigateHomeIntent": ("naar start", "startscherm"),
    },
    launch_verbs=("open", "start"),
)

JAPANESE = LanguagePack(
    code="ja",
    builtin_phrases={
        "AMAZON.YesIntent": ("はい", "うん", "お願いします", "そうです"),
        "AMAZON.NoIntent": ("いいえ", "いや", "結構です", "違います"),
        "AMAZON.HelpIntent": ("ヘルプ", "助けて", "使い方を教えて"),
        "AMAZON.StopIntent": ("ストップ", "止めて", "終了"),
        "AMAZON.CancelIntent": ("キャンセル", "やめて"),
        "AMAZON.NavigateHomeIntent": ("ホーム", "ホームに戻って"),
    },
)

HINDI = LanguagePack(
    code="hi",
    builtin_phrases={
        "AMAZON.YesIntent": ("हाँ", "हां", "जी हाँ", "ठीक है", "yes"),
        "AMAZON.NoIntent": ("नहीं", "जी नहीं", "no"),
        "AMAZON.HelpIntent": ("मदद", "मदद करो", "help"),
        "AMAZON.StopIntent": ("रुको", "बंद करो", "stop"),
        "AMAZON.CancelIntent": ("रद्द करो", "cancel"),
        "AMAZON.NavigateHomeIntent": ("होम", "go home"),
    },
)

ARABIC = LanguagePack(
    code="ar",
    builtin_phrases={
        "AMAZON.YesIntent": ("نعم", "أجل", "طبعا"),
        "AMAZON.NoIntent": ("لا", "لا شكرا"),
        "AMAZON.HelpIntent": ("مساعدة", "ساعدني"),
        "AMAZON.StopIntent": ("توقف", "قف", "خروج"),
        "AMAZON.CancelIntent": ("إلغاء", "الغاء"),
        "AMAZON.NavigateHomeIntent": ("الرئيسية",),
    },
)

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
