"""Hindi (hi-IN): Devanagari, spaced, with English words mixed in as people say them."""

from __future__ import annotations

from .base import LanguagePack, Tokens, format_time, parse_number, parse_time_digits
from .en import ENGLISH, parse_time_en

_NUMBERS = [
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ", "दस", "ग्यारह", "बारह",
    "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस", "बीस", "इक्कीस", "बाईस",
    "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस", "तीस", "इकतीस",
    "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस", "चालीस",
    "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस",
    "उनचास", "पचास", "इक्यावन", "बावन", "तिरपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन",
    "उनसठ", "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ",
    "उनहत्तर", "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर",
    "सतहत्तर", "अठहत्तर", "उन्यासी", "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी",
    "छियासी", "सत्तासी", "अट्ठासी", "नवासी", "नब्बे", "इक्यानबे", "बानबे", "तिरानबे", "चौरानबे",
    "पचानबे", "छियानबे", "सत्तानबे", "अट्ठानबे", "निन्यानबे",
]  # fmt: skip
NUMBERS = {
    **ENGLISH.number_words,
    **{word: value for value, word in enumerate(_NUMBERS)},
    # other spellings in common use
    "ज़ीरो": 0,
    "छः": 6,
    "छे": 6,
    "पन्द्रह": 15,
    "तिरेपन": 53,
    "पंचानबे": 95,
}

#: "रात नौ बजे": the part of the day said before the hour, and what it alone means.
_PERIODS = {"सुबह": "MO", "दोपहर": "AF", "शाम": "EV", "रात": "NI"}
#: साढ़े नौ = 9:30, सवा नौ = 9:15, पौने दस = 9:45; डेढ़ = 1:30, ढाई = 2:30.
_QUARTERS = {"साढ़े": 30, "सवा": 15, "पौने": -15}
_WHOLE = {"डेढ़": (1, 30), "ढाई": (2, 30)}
_SKIPPED = ("पर", "को", "के", "करीब", "क़रीब", "लगभग", "रोज़", "हर", "दिन")


def parse_time_hi(pack: LanguagePack, tokens: Tokens) -> str | None:
    """Hindi times as Alexa resolves AMAZON.TIME: "रात नौ बजे" → "21:00", "शाम" → "EV",
    "साढ़े नौ" → "09:30"; English words are read as English ("nine pm")."""
    skipped = {pack.fold(word) for word in _SKIPPED}
    words = [w for w in tokens if w not in skipped]
    if not words:
        return None
    if any(w.isascii() and not w.isdigit() and ":" not in w for w in words):
        return parse_time_en(ENGLISH, words)
    digital = parse_time_digits(pack, words)
    if digital is not None:
        return digital
    periods = {pack.fold(word): word for word in _PERIODS}
    period = periods.get(words[0])
    if period:
        words = words[1:]
    if words[-1:] == ["बजे"]:
        words = words[:-1]
    minute = 0
    if len(words) >= 3 and words[-3] in ("बजे", "बजकर") and words[-1] == "मिनट":
        extra = parse_number(pack, words[-2:-1])
        if extra is None:
            return None
        minute, words = extra, words[:-3]
    if not words:
        return _PERIODS[period] if period else None
    whole = {pack.fold(word): value for word, value in _WHOLE.items()}
    quarters = {pack.fold(word): value for word, value in _QUARTERS.items()}
    if len(words) == 1 and words[0] in whole:
        hour, minute = whole[words[0]]
    elif words[0] in quarters:
        found = parse_number(pack, words[1:])
        if found is None:
            return None
        shift = quarters[words[0]]
        hour, minute = (found - 1, 45) if shift < 0 else (found, shift)
    else:
        found = parse_number(pack, words)
        if found is None:
            return None
        hour = found
    if period and 1 <= hour <= 12:
        if period == "सुबह" and hour == 12:
            hour = 0
        elif (period == "दोपहर" and hour <= 5) or (period == "शाम" and hour < 12):
            hour += 12
        elif period == "रात":
            hour = 0 if hour == 12 else hour + 12 if hour >= 6 else hour
    return format_time(hour, minute)


def fold_hindi(text: str) -> str:
    """Spellings typed interchangeably: the nukta left out (ज़रूर, जरूर) and candrabindu
    written as anusvara (हाँ, हां)."""
    return text.replace("\u093c", "").replace("\u0901", "\u0902")


_BUILTINS = {
    "AMAZON.YesIntent": (
        "हाँ",
        "हाँ जी",
        "जी हाँ",
        "जी",
        "ठीक है",
        "हाँ ठीक है",
        "बिल्कुल",
        "ज़रूर",
        "हाँ बिल्कुल",
        "हाँ प्लीज़",
        "yes",
        "ok",
        "okay",
        "sure",
        "हाँ ज़रूर",
        "जी हाँ ज़रूर",
        "हाँ जी बिल्कुल",
        "हाँ करो",
        "हाँ कर दो",
        "हाँ चलो ठीक है",
        "चलो हाँ",
        "हाँ ठीक है करो",
        "हाँ भाई",
        "हाँ जी हाँ",
    ),
    "AMAZON.NoIntent": (
        "नहीं",
        "ना",
        "जी नहीं",
        "नहीं जी",
        "नहीं चाहिए",
        "नहीं शुक्रिया",
        "अभी नहीं",
        "बिल्कुल नहीं",
        "no",
        "no thanks",
        "नहीं ना",
        "नहीं भाई",
        "नहीं शुक्रिया जी",
        "नहीं please",
        "नहीं रहने दीजिए",
        "जी नहीं धन्यवाद",
        "नहीं बिल्कुल नहीं",
        "नहीं जी नहीं",
        "नहीं जी रहने दो",
    ),
    "AMAZON.HelpIntent": (
        "मदद",
        "मदद करो",
        "मेरी मदद करो",
        "help",
        "मैं क्या कह सकता हूँ",
        "मैं क्या कह सकती हूँ",
        "यह कैसे काम करता है",
        "तुम क्या कर सकती हो",
        "मदद चाहिए",
        "मुझे help चाहिए",
        "मेरी help करो",
        "help कीजिए",
        "skill कैसे use करूँ",
        "इसे कैसे use करते हैं",
        "मैं क्या बोल सकता हूँ",
        "मैं क्या बोल सकती हूँ",
        "तुम क्या क्या कर सकती हो",
        "मुझे थोड़ी मदद चाहिए",
        "help करो ना",
    ),
    "AMAZON.StopIntent": (
        "रुको",
        "बंद करो",
        "बस करो",
        "बस",
        "अलविदा",
        "चुप हो जाओ",
        "stop",
        "bye",
        "exit",
        "बंद कीजिए",
        "हो गया बस",
        "अभी बस",
        "अभी के लिए इतना ही",
        "stop कर दो",
        "ठीक है अलविदा",
        "bye bye",
        "ok bye",
        "अब बंद कर दो",
        "बस बहुत हो गया",
        "अभी के लिए बस इतना",
        "अब stop करो",
        "ठीक है bye bye",
    ),
    "AMAZON.CancelIntent": (
        "रद्द करो",
        "रद्द कर दो",
        "cancel",
        "cancel करो",
        "इसे cancel करो",
        "cancel कर दीजिए",
        "छोड़ो",
        "छोड़ो ये",
        "इसे छोड़ो",
        "छोड़ो रहने दो",
        "जाने दो",
        "रहने दो",
        "रहने दो ना",
        "कुछ नहीं रहने दो",
        "अभी cancel कर दो",
        "अरे छोड़ो इसे",
        "तो इसे रद्द करो",
        "अरे कोई बात नहीं रहने दो",
    ),
    "AMAZON.NavigateHomeIntent": ("होम", "होम पर जाओ", "home", "go home", "home screen पर जाओ"),
}

HINDI = LanguagePack(
    code="hi",
    builtin_phrases=_BUILTINS,
    number_words=NUMBERS,
    scale_words={"सौ": 100, "हज़ार": 1000, "hundred": 100, "thousand": 1000},
    contractions=ENGLISH.contractions,
    fillers=frozenset({"please", "प्लीज़", "ज़रा", "तो", "अरे", "ok", "यार", "जी", "ना"}),
    articles=frozenset({"मेरा", "मेरी", "मेरे", "एक", "कोई"}),
    wake_words=("alexa", "एलेक्सा", "अलेक्सा"),
    launch_verbs=("open", "start"),
    launch_suffixes=(
        "खोलो",
        "खोलिए",
        "खोलें",
        "शुरू करो",
        "शुरू करें",
        "चालू करो",
        "चलाओ",
        "open करो",
        "start करो",
    ),
    one_shot_verbs=("ask", "tell"),
    one_shot_joiners=("to", "कि"),
    one_shot_particles=(
        "से पूछो",
        "से पूछिए",
        "से पूछें",
        "से कहो",
        "को बोलो",
        "को बताओ",
        "खोलो और",
        "से",
    ),
    time_parser=parse_time_hi,
    text_normalizer=fold_hindi,
)
