"""Spanish (es-ES, es-MX, es-US)."""

from __future__ import annotations

from .base import (
    LanguagePack,
    Tokens,
    compose_numbers,
    parse_number,
    parse_time_digits,
    strip_day_part,
    strip_prefix,
    with_day_part,
)

_UNITS = [
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho",
    "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro",
    "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve",
]  # fmt: skip
_TENS = ["veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
NUMBERS = {
    **compose_numbers(_UNITS, _TENS, "{tens} y {unit}"),
    # "un"/"una" before a noun, and the accents people leave out when typing
    "un": 1,
    "una": 1,
    "dieciseis": 16,
    "veintiun": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veintiseis": 26,
}

_PM = (
    ("de", "la", "noche"),
    ("de", "la", "tarde"),
    ("por", "la", "noche"),
    ("por", "la", "tarde"),
    ("en", "la", "noche"),
    ("en", "la", "tarde"),
    ("esta", "noche"),
    ("pm",),
    ("p", "m"),
)
_AM = (
    ("de", "la", "mañana"),
    ("por", "la", "mañana"),
    ("en", "la", "mañana"),
    ("de", "la", "madrugada"),
    ("am",),
    ("a", "m"),
)
_PERIODS = {
    "mañana": "MO",
    "la mañana": "MO",
    "tarde": "AF",
    "la tarde": "AF",
    "noche": "NI",
    "la noche": "NI",
    "esta noche": "EV",
}


def parse_time_es(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Spanish times as Alexa resolves them: "a las nueve de la noche" → "21:00", "nueve y
    media" → "09:30", "diez menos cuarto" → "09:45", "mediodía" → "12:00"."""
    words = strip_prefix(
        list(tokens), ("a", "las", "la", "eso", "de", "como", "todos", "los", "días")
    )
    joined = " ".join(words)
    if joined in ("mediodía", "mediodia", "las doce del mediodía"):
        return "12:00"
    if joined in ("medianoche", "la medianoche"):
        return "00:00"
    if joined in _PERIODS:
        return _PERIODS[joined]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    part = strip_day_part(words, _PM, _AM)
    minute = 0
    if words[-2:] == ["en", "punto"] and len(words) > 2:
        words = words[:-2]
    elif len(words) >= 3 and words[-2] == "y" and words[-1] in ("media", "cuarto"):
        minute = 30 if words[-1] == "media" else 15
        words = words[:-2]
    elif len(words) >= 3 and words[-2] == "menos":
        minutes = 15 if words[-1] == "cuarto" else parse_number(pack, words[-1:])
        if minutes is None or not 0 < minutes < 60:
            return None
        minute = -minutes
        words = words[:-2]
    elif len(words) >= 3 and words[-2] == "y":
        found = parse_number(pack, words[-1:])
        if found is None or not 0 < found < 60:
            return None
        minute = found
        words = words[:-2]
    hour = parse_number(pack, words)
    if hour is None or hour > 23:
        return None
    if minute < 0:
        hour, minute = (hour - 1) % 24, 60 + minute
    return with_day_part(hour, minute, part)


SPANISH = LanguagePack(
    code="es",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "sí",
            "si",
            "claro",
            "vale",
            "de acuerdo",
            "por supuesto",
            "sí por favor",
            "okey",
            "sale",
            "órale",
            "ándale",
            "pues sí",
            "pues sí, claro",
            "pues claro que sí",
            "sí, vale",
            "sí, gracias",
            "sí, adelante",
            "adelante",
            "venga",
            "venga, sí",
            "desde luego",
            "así es",
            "correcto",
            "exacto",
            "bueno, sí quiero",
            "bueno, eso es",
            "sí, por supuesto, claro",
            "sí, sí",
            "obvio",
            "simón",
        ),
        "AMAZON.NoIntent": (
            "no",
            "no gracias",
            "para nada",
            "mejor no",
            "ahora no",
            "no, no, por favor",
            "pues no quiero",
            "pues claro que no",
            "no, por ahora no",
            "pues la verdad no",
            "de ninguna manera",
            "ni loco",
            "ni loca",
            "nel",
            "todavía no",
            "aún no",
            "creo que no",
        ),
        "AMAZON.HelpIntent": (
            "ayuda",
            "ayúdame",
            "qué puedo decir",
            "qué puedo hacer",
            "necesito ayuda, por favor",
            "ayuda, por favor",
            "dame ayuda",
            "cómo funciona",
            "cómo funciona todo esto",
            "qué más sabes hacer",
            "qué cosas sabes hacer",
            "qué puedo pedirte",
            "qué puedo hacer aquí",
            "cómo te uso",
            "no sé qué decir",
        ),
        "AMAZON.StopIntent": (
            "para",
            "parar",
            "detente",
            "salir",
            "adiós",
            "basta",
            "ya está",
            "para ya, por favor",
            "bueno, hasta luego",
            "hasta mañana",
            "nos vemos",
            "eso es todo",
            "pues ya es todo",
            "sal de aquí, por favor",
            "bueno, adiós, Alexa",
            "adiós, gracias",
            "gracias, adiós",
            "apágate",
            "sal",
            "cierra",
            "termina",
            "deja de hablar",
            "cállate",
        ),
        "AMAZON.CancelIntent": (
            "cancela",
            "cancelar",
            "olvídalo",
            "déjalo",
            "pues cancélalo",
            "bueno, mejor olvídalo",
            "bueno, déjalo así",
            "cancela eso, por favor",
            "bueno, olvídalo ya",
            "no importa",
            "olvida eso",
            "déjalo estar",
        ),
        "AMAZON.NavigateHomeIntent": ("ir al inicio", "inicio", "volver al inicio"),
    },
    number_words=NUMBERS,
    scale_words={"cien": 100, "ciento": 100, "mil": 1000},
    number_joiners=frozenset({"y"}),
    fillers=frozenset(
        {"por", "favor", "eh", "este", "pues", "bueno", "oye", "el", "la", "un", "una"}
    ),
    articles=frozenset({"el", "la", "los", "las", "un", "una", "mi", "mis"}),
    launch_verbs=("abre", "abrir", "inicia", "empieza", "lanza", "comienza"),
    one_shot_verbs=(
        "pide a",
        "pídele a",
        "pregunta a",
        "pregúntale a",
        "dile a",
        "abre",
        "inicia",
        "usa",
    ),
    one_shot_joiners=("que", "si", "por", "sobre", "para", "y"),
    time_parser=parse_time_es,
)
