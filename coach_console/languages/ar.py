"""Arabic (ar-SA): Gulf and Modern Standard Arabic, spaced words read right to left.

Saudi users speak to Alexa in Gulf Arabic and address her in the feminine ("افتحي", "اسألي",
"اطلبي من"), as Amazon's Arabic invocation examples show; the pack knows the MSA and the Gulf
forms. Numbers: MSA and colloquial words (Gulf teens are one word: "اطنعش"), Western and
Arabic-Indic digits (int() reads "٩"). Typed text is folded the way Arabic search engines
fold it: no harakat or tatweel, one alef, ى as ي and ة as ه.
"""

from __future__ import annotations

import re

from .base import LanguagePack, Tokens, format_time, parse_number, parse_time_digits

# Spellings that differ only in hamza, alef or ة/ه are folded together (see fold_arabic).
_NUMBERS = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "وحدة": 1,
    "اثنين": 2, "اثنان": 2, "ثنين": 2, "اثنتين": 2, "ثنتين": 2,
    "ثلاثة": 3, "ثلاث": 3, "ثلاثا": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5,
    "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثمان": 8, "ثماني": 8, "ثمنية": 8,
    "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
    # Gulf teens are one word
    "احدعش": 11, "حدعش": 11, "اطنعش": 12, "اثنعش": 12, "ثنعش": 12, "ثلطعش": 13,
    "اربعطعش": 14, "خمسطعش": 15, "سطعش": 16, "سبعطعش": 17, "ثمنطعش": 18, "تسعطعش": 19,
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "أربعين": 40, "أربعون": 40,
    "خمسين": 50, "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70,
    "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
}  # fmt: skip

_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")


def fold_arabic(text: str) -> str:
    """Remove harakat and tatweel; write every alef as ا, ى as ي and ة as ه (ثمانيةٌ → ثمانيه)."""
    return _HARAKAT.sub("", text).translate(_FOLDS)


def _compounds() -> dict[str, int]:
    """21–99 ("واحد وعشرين", "خمسة و ثلاثون") and the standard teens ("ثلاثة عشر")."""
    units = (
        ("واحد", "واحدة"), ("اثنين", "اثنان"), ("ثلاثة", "ثلاث"), ("أربعة", "أربع"),
        ("خمسة", "خمس"), ("ستة", "ست"), ("سبعة", "سبع"), ("ثمانية", "ثمان"), ("تسعة", "تسع"),
    )  # fmt: skip
    tens = (
        ("عشرين", "عشرون"), ("ثلاثين", "ثلاثون"), ("أربعين", "أربعون"), ("خمسين", "خمسون"),
        ("ستين", "ستون"), ("سبعين", "سبعون"), ("ثمانين", "ثمانون"), ("تسعين", "تسعون"),
    )  # fmt: skip
    words = {"أحد عشر": 11, "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12}
    for unit, forms in enumerate(units, start=1):
        if unit >= 3:
            words[f"{forms[0]} عشر"] = words[f"{forms[1]} عشرة"] = 10 + unit
        for index, ten_forms in enumerate(tens):
            for form in forms:
                for ten in ten_forms:
                    words[f"{form} و{ten}"] = words[f"{form} و {ten}"] = (index + 2) * 10 + unit
    return words


NUMBERS = {**_NUMBERS, **_compounds()}


def _folded(words: set[str]) -> frozenset[str]:
    return frozenset(fold_arabic(word) for word in words)


_AM = _folded({"ص", "صباحا", "صباح", "الصبح", "الصباح", "الفجر", "فجرا"})
_PM = _folded(
    {"م", "مساء", "المسا", "المساء", "مسا", "الظهر", "ظهرا", "العصر", "عصرا", "المغرب", "العشا",
     "العشاء", "الليل", "بالليل", "ليلا", "باليل"}
)  # fmt: skip
_PERIODS = {
    fold_arabic(word): part
    for word, part in {
        "الصبح": "MO", "الصباح": "MO", "صباحا": "MO", "الظهر": "AF", "العصر": "AF",
        "المسا": "EV", "المساء": "EV", "مساء": "EV", "الليل": "NI", "بالليل": "NI", "ليلا": "NI",
    }.items()
}  # fmt: skip
#: "تسعة ونص" = 9:30, "تسعة وربع" = 9:15, "تسعة وثلث" = 9:20; "عشرة الا ربع" = 9:45.
_PLUS = {"ونص": 30, "ونصف": 30, "وربع": 15, "وثلث": 20}
_SKIPPED = _folded({"الساعة", "ساعة", "على", "في", "تقريبا", "كل", "يوم"})
_BEFORE = _folded({"الا", "إلا"})


def parse_time_ar(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Arabic times as Alexa resolves AMAZON.TIME: "الساعة تسعة مساء" → "21:00", "تسعة ونص"
    → "09:30", "المساء" → "EV"."""
    words = [w for w in tokens if w not in _SKIPPED]
    if len(words) == 1 and words[0] in _PERIODS:
        return _PERIODS[words[0]]
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    pm = am = False
    while words and words[-1] in _AM | _PM:
        pm, am = pm or words[-1] in _PM, am or words[-1] in _AM
        words.pop()
    minute = 0
    if words and words[-1] in _PLUS:
        minute = _PLUS[words.pop()]
    elif len(words) >= 3 and words[-2] in _BEFORE and words[-1] in ("ربع", "ثلث"):
        minute = -15 if words[-1] == "ربع" else -20
        words = words[:-2]
    elif len(words) >= 2 and words[-2] == "و":
        extra = parse_number(pack, words[-1:])
        if extra is None:
            return None
        minute, words = extra, words[:-2]
    hour = parse_number(pack, words) if words else None
    if hour is None:
        return None
    if minute < 0:
        hour, minute = hour - 1, 60 + minute
    if (pm or am) and 1 <= hour <= 12:
        if pm and hour != 12:
            hour += 12
        if am and hour == 12:
            hour = 0
    return format_time(hour, minute)


_BUILTINS = {
    "AMAZON.YesIntent": (
        "نعم",
        "أجل",
        "ايوه",
        "أيوه",
        "إيه",
        "اي",
        "تمام",
        "أكيد",
        "اكيد",
        "طبعا",
        "حسنا",
        "موافق",
        "ماشي",
        "نعم من فضلك",
        "يب",
        "إيه أكيد أكيد",
        "أيوه صحيح",
        "نعم أبغى هذا",
        "تمام طيب",
        "طيب",
        "إيه نعم أكيد",
        "إيه صح",
        "صح",
        "أبغى",
        "أبي",
        "نعم أبغى لو سمحتي",
    ),
    "AMAZON.NoIntent": (
        "لا",
        "لا شكرا",
        "لأ",
        "لا أبغى",
        "ما أبغى",
        "ما ابي",
        "مو الحين",
        "ليس الآن",
        "لا يا شيخ",
        "لا مو الحين",
        "لا ما أبغى شي",
        "لا لا شكرا",
        "لا ما أبي شي",
        "لا مو لازم شكرا",
        "مو لازم",
        "لا خلاص",
    ),
    "AMAZON.HelpIntent": (
        "مساعدة",
        "مساعده",
        "ساعديني",
        "ساعدني",
        "وش أقدر أقول",
        "ماذا أستطيع أن أقول",
        "كيف يشتغل",
        "وش تقدرين تسوين",
        "ساعديني وش أسوي الحين",
        "كيف أستخدم المهارة",
        "أحتاج مساعدة منك",
        "أبي مساعدة",
        "وش الأوامر",
        "وش أقدر أقول لك",
        "أحتاج مساعدة لو سمحتي",
        "وش الأوامر اللي أقدر أقولها لك",
    ),
    "AMAZON.StopIntent": (
        "توقفي",
        "توقف",
        "قفي",
        "خلاص",
        "خروج",
        "اطلعي",
        "مع السلامة",
        "باي",
        "اسكتي",
        "بس",
        "وقفي الحين",
        "خلاص يكفي كذا",
        "يكفي",
        "اطلعي",
        "اطلعي من التطبيق",
        "مع السلامة اليكسا",
        "سكري المهارة",
        "سكري الحين",
        "خلاص يكفي الحين",
        "اطلعي من المهارة الحين",
    ),
    "AMAZON.CancelIntent": (
        "إلغاء",
        "الغاء",
        "ألغي",
        "الغي",
        "كنسلي",
        "انسي الموضوع",
        "لا تهتمي",
        "الغي هذا الطلب",
        "لا خلاص انسي الموضوع",
        "تراجعي عن هذا",
        "تراجعي الحين",
        "الغيه",
        "الغي الطلب لو سمحتي",
    ),
    "AMAZON.NavigateHomeIntent": ("الرئيسية", "الشاشة الرئيسية", "ارجعي للرئيسية"),
}

ARABIC = LanguagePack(
    code="ar",
    builtin_phrases=_BUILTINS,
    number_words=NUMBERS,
    scale_words={"مية": 100, "مئة": 100, "مائة": 100, "ألف": 1000, "الف": 1000},
    number_joiners=frozenset({"و"}),
    fillers=frozenset({"فضلك", "لو", "سمحتي", "رجاء", "يعني", "يا", "الحين", "الآن"}),
    wake_words=("اليكسا", "أليكسا", "الكسا", "ألكسا", "alexa"),
    launch_verbs=("افتحي", "افتح", "شغلي", "شغل", "ابدئي", "ابدأ"),
    one_shot_verbs=("اسألي", "اسالي", "أسألي", "اطلبي من"),
    one_shot_joiners=("عن", "إذا", "اذا", "أن", "ان"),
    time_parser=parse_time_ar,
    text_normalizer=fold_arabic,
)
