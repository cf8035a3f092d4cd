"""Brazilian Portuguese (pt-BR)."""

from __future__ import annotations

import re

from .base import (
    LanguagePack,
    Tokens,
    compose_numbers,
    format_time,
    parse_number,
    parse_time_digits,
    strip_prefix,
    strip_suffix,
    with_day_part,
)

_UNITS = [
    "zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
    "onze", "doze", "treze", "quatorze", "quinze", "dezesseis", "dezessete", "dezoito",
    "dezenove",
]  # fmt: skip
_TENS = ["vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"]
_EXTRA_NUMBERS = {
    "uma": 1,  # "uma hora", "às vinte e uma"
    "duas": 2,
    "tres": 3,  # typed without the accent
    "catorze": 14,
    "meia": 6,  # Brazilians say "meia" for six when reading digits ("um, meia, dois")
}
_FEMININE = ["zero", "uma", "duas", *_UNITS[3:10]]  # "vinte e uma horas"
NUMBERS = {
    **compose_numbers(_UNITS, _TENS, "{tens} e {unit}"),
    **compose_numbers(_FEMININE, _TENS, "{tens} e {unit}"),
    **_EXTRA_NUMBERS,
}
_HOURS_WORDS = ("hora", "horas", "h")
_LEADING = ("às", "as", "a", "lá", "pelas", "por", "volta", "das", "todo", "dia")
_EVENING = (("da", "noite"), ("à", "noite"), ("de", "noite"), ("da", "tarde"), ("à", "tarde"))
_MORNING = (("da", "manhã"), ("de", "manhã"), ("da", "madrugada"))
_PERIODS = {"manhã": "MO", "tarde": "AF", "noite": "EV", "madrugada": "NI"}


def parse_time_pt(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Brazilian times as Alexa resolves them: "nove da noite" → "21:00", "21h" → "21:00",
    "vinte e uma horas" → "21:00", "nove e meia" → "09:30", "meio dia" → "12:00"."""
    words = strip_prefix(list(tokens), _LEADING)
    joined = " ".join(words)
    if joined in ("meio dia", "meiodia"):
        return "12:00"
    if joined in ("meia noite", "meianoite"):
        return "00:00"
    if len(words) == 1 and words[0] in _PERIODS:
        return _PERIODS[words[0]]
    glued = re.fullmatch(r"(\d{1,2})h(\d{2})?", joined.replace(" ", ""))
    if glued:
        return format_time(int(glued[1]), int(glued[2] or 0))
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    part = (
        "pm" if strip_suffix(words, _EVENING) else "am" if strip_suffix(words, _MORNING) else None
    )
    if len(words) > 1 and words[-1] in _HOURS_WORDS:
        words = words[:-1]
    face = _clock_face(pack, words)
    return None if face is None else with_day_part(*face, part)


def _clock_face(pack: LanguagePack, words: list[str]) -> tuple[int, int] | None:
    """Hour and minute from "nove", "vinte e uma", "nove e meia", "nove e quinze", "vinte e
    uma e trinta", "nove horas e dez"."""
    hour = parse_number(pack, words)
    if hour is not None:
        return hour, 0
    if "e" not in words[1:-1]:
        return None
    at = len(words) - 1 - words[::-1].index("e")
    head = words[:at]
    if head and head[-1] in _HOURS_WORDS:
        head = head[:-1]
    hour = parse_number(pack, head)
    rest = words[at + 1 :]
    minute = 30 if rest == ["meia"] else parse_number(pack, [w for w in rest if w != "minutos"])
    if hour is None or minute is None or not 0 < minute < 60:
        return None
    return hour, minute


PORTUGUESE = LanguagePack(
    code="pt",
    builtin_phrases={
        "AMAZON.YesIntent": (
            "é isso aí",
            "ah, sim, claro",
            "ah, claro que sim",
            "quero sim",
            "ah, sim, quero",
            "com certeza que sim",
            "sim, com certeza",
            "pode sim",
            "claro, pode",
            "fechado",
            "combinado",
            "demorou",
            "sim",
            "claro",
            "com certeza",
            "pode ser",
            "sim por favor",
            "isso",
            "isso mesmo",
            "pode",
            "quero",
            "beleza",
            "tá bom",
            "ok",
            "certo",
            "uhum",
            "aham",
            "bora",
        ),
        "AMAZON.NoIntent": (
            "ah, não, não",
            "ah, claro que não",
            "não, por enquanto não",
            "acho que é melhor não",
            "olha, na verdade não",
            "ainda não",
            "não, valeu",
            "nada disso",
            "negativo",
            "não",
            "não obrigado",
            "não obrigada",
            "agora não",
            "não quero",
            "de jeito nenhum",
            "nem pensar",
            "melhor não",
            "acho que não",
        ),
        "AMAZON.HelpIntent": (
            "preciso de uma ajuda",
            "o que eu posso falar",
            "como é que isso funciona",
            "o que mais você sabe fazer",
            "socorro, como usa isso",
            "não sei o que dizer",
            "como eu uso isso",
            "ajuda",
            "me ajuda",
            "o que posso dizer",
            "o que eu posso fazer",
            "o que você faz",
            "como funciona",
            "quais são as opções",
        ),
        "AMAZON.StopIntent": (
            "pode parar agora",
            "então tchau tchau",
            "por hoje é só isso",
            "então tchau, Alexa",
            "tchau, obrigado",
            "tchau, obrigada",
            "desliga",
            "cala a boca",
            "para de falar",
            "até mais",
            "parar",
            "pare",
            "para",
            "sair",
            "tchau",
            "chega",
            "fica quieta",
            "encerrar",
            "até logo",
            "é só isso",
        ),
        "AMAZON.CancelIntent": (
            "cancela isso aí",
            "deixa quieto então",
            "pode cancelar então",
            "esquece o que eu falei",
            "deixa pra lá, então, esquece",
            "não precisa",
            "cancelar",
            "cancela",
            "esquece",
            "deixa pra lá",
            "esquece isso",
        ),
        "AMAZON.NavigateHomeIntent": (
            "início",
            "ir para o início",
            "tela inicial",
            "voltar ao início",
        ),
    },
    number_words=NUMBERS,
    scale_words={"mil": 1000},
    number_joiners=frozenset({"e"}),
    contractions={
        # colloquial and accent-less spellings, applied to samples and input alike
        "pra": "para",
        "pro": "para o",
        "pros": "para os",
        "prum": "para um",
        "numa": "em uma",
        "tá": "está",
        "ta": "está",
        "tô": "estou",
        "to": "estou",
        "nao": "não",
        "voce": "você",
        "vc": "você",
        "ce": "você",
        "cê": "você",
        "tb": "também",
        "tbm": "também",
        "qto": "quanto",
        "dps": "depois",
        "hj": "hoje",
        "tou": "estou",
    },
    fillers=frozenset(
        {
            "por",
            "favor",
            "então",
            "né",
            "ah",
            "é",
            "bom",
            "olha",
            "assim",
            "tipo",
            "aí",
            "hum",
            "ei",
            "o",
            "a",
            "um",
            "uma",
            "agora",
            "só",
        }
    ),
    articles=frozenset({"o", "a", "os", "as", "um", "uma", "meu", "minha", "meus", "minhas"}),
    wake_words=("alexa",),
    launch_verbs=(
        "abra",
        "abre",
        "abrir",
        "abra o",
        "abra a",
        "abre o",
        "abre a",
        "inicie",
        "inicia",
        "iniciar",
        "comece",
        "começar",
        "falar com",
        "fale com",
    ),
    one_shot_verbs=(
        "peça para",
        "pede para",
        "peça para o",
        "peça para a",
        "pede para o",
        "pede para a",
        "peça ao",
        "pede ao",
        "pergunte ao",
        "pergunta ao",
        "pergunte para",
        "pergunta para",
        "pergunte para o",
        "pergunte para a",
        "diga ao",
        "diz ao",
        "diga para",
        "use",
        "usa",
    ),
    one_shot_joiners=("que", "para", "se", "sobre", "e"),
    time_parser=parse_time_pt,
)
