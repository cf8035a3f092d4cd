"""CLDR plural rules as Python, for whole numbers (every count a reply says):
written by `python -m skill.i18n` from Babel's rules in locales/babel_facts.json, with Babel's
own rule compiler. Do not edit; tests/unit/test_locales.py checks it against Babel.

The operands of a whole number n: i = n, and no visible fraction digits (v = w = f = t = 0)
or compact exponent (c = e = 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def IN(value: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(low <= value <= high for low, high in ranges)


def MOD(value: int, divisor: int) -> int:
    return value % divisor  # both are never negative here



def _rules_1(count: int) -> str:  # {"few": "n mod 100 in 3..10", "many": "n mod 100 in 11..99", "one": "n in 1", "two": "n in 2", "zero": "n in 0"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if IN(MOD(n, 100), [(3, 10)]):
        return 'few'
    if IN(MOD(n, 100), [(11, 99)]):
        return 'many'
    if IN(n, [(1, 1)]):
        return 'one'
    if IN(n, [(2, 2)]):
        return 'two'
    if IN(n, [(0, 0)]):
        return 'zero'
    return "other"


def _rules_2(count: int) -> str:  # {"one": "i in 1 and v in 0"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if (IN(i, [(1, 1)]) and IN(v, [(0, 0)])):
        return 'one'
    return "other"


def _rules_3(count: int) -> str:  # {"many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "n in 1"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if ((((IN(e, [(0, 0)]) and (not IN(i, [(0, 0)]))) and IN(MOD(i, 1000000), [(0, 0)])) and IN(v, [(0, 0)])) or (not IN(e, [(0, 5)]))):
        return 'many'
    if IN(n, [(1, 1)]):
        return 'one'
    return "other"


def _rules_4(count: int) -> str:  # {"many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "i in 0..1"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if ((((IN(e, [(0, 0)]) and (not IN(i, [(0, 0)]))) and IN(MOD(i, 1000000), [(0, 0)])) and IN(v, [(0, 0)])) or (not IN(e, [(0, 5)]))):
        return 'many'
    if IN(i, [(0, 1)]):
        return 'one'
    return "other"


def _rules_5(count: int) -> str:  # {"one": "i in 0 or n in 1"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if (IN(i, [(0, 0)]) or IN(n, [(1, 1)])):
        return 'one'
    return "other"


def _rules_6(count: int) -> str:  # {"many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "i in 1 and v in 0"}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    if ((((IN(e, [(0, 0)]) and (not IN(i, [(0, 0)]))) and IN(MOD(i, 1000000), [(0, 0)])) and IN(v, [(0, 0)])) or (not IN(e, [(0, 5)]))):
        return 'many'
    if (IN(i, [(1, 1)]) and IN(v, [(0, 0)])):
        return 'one'
    return "other"


def _rules_7(count: int) -> str:  # {}
    n = i = abs(count)
    v = w = f = t = c = e = 0
    return "other"


PLURAL_RULES: dict[str, Callable[[int], str]] = {"ar-SA": _rules_1, "de-DE": _rules_2, "en-AU": _rules_2, "en-CA": _rules_2, "en-GB": _rules_2, "en-IN": _rules_2, "en-US": _rules_2, "es-ES": _rules_3, "es-MX": _rules_3, "es-US": _rules_3, "fr-CA": _rules_4, "fr-FR": _rules_4, "hi-IN": _rules_5, "it-IT": _rules_6, "ja-JP": _rules_7, "nl-NL": _rules_2, "pt-BR": _rules_4}
