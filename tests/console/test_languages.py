"""The language packs: number words, clock times, tokenizing each script, and the ways each
language names a skill to open it or ask it something."""

from __future__ import annotations

import pytest

from coach_console.languages import JAPANESE, LANGUAGES, language_for
from coach_console.model import InteractionModel
from coach_console.nlu import Resolver

from .conftest import SKILL_ID

SPACED = sorted(code for code, pack in LANGUAGES.items() if not pack.unspaced)


@pytest.mark.parametrize("code", SPACED)
def test_every_spaced_language_reads_its_number_words_from_zero_to_ninety_nine(code: str) -> None:
    pack = LANGUAGES[code]
    values = {value for value in pack.number_words.values() if value < 100}
    assert values == set(range(100))
    wrong = {
        words: value
        for words, value in pack.number_words.items()
        if pack.parse_number(pack.tokenize(words)) != value
    }
    assert wrong == {}


_KANJI = "〇一二三四五六七八九"


def _kanji(value: int) -> str:
    tens, unit = divmod(value, 10)
    if not tens:
        return _KANJI[unit]
    return ("" if tens == 1 else _KANJI[tens]) + "十" + (_KANJI[unit] if unit else "")


def test_japanese_reads_kanji_numbers_from_zero_to_ninety_nine() -> None:
    for value in range(100):
        assert JAPANESE.parse_number(JAPANESE.tokenize(_kanji(value))) == value, _kanji(value)
    assert JAPANESE.parse_number(JAPANESE.tokenize("はち")) == 8
    assert JAPANESE.parse_number(JAPANESE.tokenize("８")) == 8  # full-width digit


@pytest.mark.parametrize(
    ("locale", "said", "value"),
    [
        ("de-DE", "Einundzwanzig", 21),
        ("de-DE", "dreißig", 30),
        ("fr-FR", "vingt et un", 21),
        ("fr-FR", "soixante et onze", 71),
        ("fr-CA", "quatre-vingt-dix-sept", 97),
        ("es-MX", "treinta y uno", 31),
        ("it-IT", "ventotto", 28),
        ("nl-NL", "tweeëntwintig", 22),
        ("pt-BR", "vinte e um", 21),
        ("hi-IN", "निन्यानबे", 99),
        ("hi-IN", "eight", 8),
        ("ar-SA", "واحد وعشرين", 21),
        ("ar-SA", "خمسة و ثلاثون", 35),
        ("ar-SA", "ثمانيةٌ", 8),
        ("ar-SA", "٨", 8),
        ("es-ES", "ocho nueve", None),
        ("de-DE", "Banane", None),
    ],
)
def test_number_words_as_people_type_them(locale: str, said: str, value: int | None) -> None:
    pack = language_for(locale)
    assert pack.parse_number(pack.tokenize(said)) == value


@pytest.mark.parametrize(
    ("locale", "said", "time"),
    [
        ("en-US", "nine pm", "21:00"),
        ("de-DE", "um neun Uhr abends", "21:00"),
        ("de-DE", "einundzwanzig Uhr", "21:00"),
        ("de-DE", "21 Uhr 30", "21:30"),
        ("de-DE", "halb zehn", "09:30"),
        ("de-DE", "viertel vor acht abends", "19:45"),
        ("de-DE", "mittags", "12:00"),
        ("de-DE", "abends", "EV"),
        ("es-ES", "a las nueve de la noche", "21:00"),
        ("es-MX", "nueve y media", "09:30"),
        ("es-US", "diez menos cuarto", "09:45"),
        ("fr-FR", "à neuf heures du soir", "21:00"),
        ("fr-FR", "vingt et une heures", "21:00"),
        ("fr-CA", "21h30", "21:30"),
        ("fr-FR", "dix heures moins le quart", "09:45"),
        ("fr-FR", "midi", "12:00"),
        ("fr-FR", "ce soir", "EV"),
        ("it-IT", "nove di sera", "21:00"),
        ("it-IT", "nove e mezza", "09:30"),
        ("it-IT", "mezzanotte", "00:00"),
        ("nl-NL", "negen uur 's avonds", "21:00"),
        ("nl-NL", "half tien", "09:30"),
        ("nl-NL", "kwart voor acht 's avonds", "19:45"),
        ("pt-BR", "nove da noite", "21:00"),
        ("pt-BR", "21h", "21:00"),
        ("pt-BR", "vinte e uma horas", "21:00"),
        ("pt-BR", "nove e meia", "09:30"),
        ("pt-BR", "meio-dia", "12:00"),
        ("ja-JP", "夜9時", "21:00"),
        ("ja-JP", "午後九時半", "21:30"),
        ("ja-JP", "朝七時十五分", "07:15"),
        ("hi-IN", "रात नौ बजे", "21:00"),
        ("hi-IN", "साढ़े नौ", "09:30"),
        ("hi-IN", "nine pm", "21:00"),
        ("hi-IN", "शाम", "EV"),
        ("ar-SA", "تسعة مساء", "21:00"),
        ("ar-SA", "الساعة تسعة ونص", "09:30"),
        ("ar-SA", "٩:٣٠", "09:30"),
        ("de-DE", "Banane", None),
    ],
)
def test_times_read_as_alexa_sends_amazon_time(locale: str, said: str, time: str | None) -> None:
    pack = language_for(locale)
    assert pack.parse_time(pack.tokenize(said)) == time


def test_japanese_is_split_into_characters_and_joined_back_without_spaces() -> None:
    tokens = JAPANESE.tokenize("えっと、今日は連絡なしでジムに行った！")
    assert tokens == list("今日は連絡なしでジムに行った")
    assert JAPANESE.join(tokens[3:7]) == "連絡なし"
    assert JAPANESE.tokenize("自信は８点") == ["自", "信", "は", "8", "点"]
    assert JAPANESE.join(JAPANESE.tokenize("gym bro 8点")) == "gym bro 8点"


def test_devanagari_keeps_its_vowel_signs_and_folds_nukta_and_candrabindu() -> None:
    hindi = language_for("hi-IN")
    assert hindi.tokenize("मेरी streak क्या है?") == ["मेरी", "streak", "क्या", "है"]
    assert hindi.tokenize("हाँ, ज़रूर।") == hindi.tokenize("हां जरूर")


def test_arabic_drops_harakat_and_tatweel_and_folds_alef_and_ta_marbuta() -> None:
    arabic = language_for("ar-SA")
    assert arabic.tokenize("أبغى أؤذي نفسي؟") == arabic.tokenize("ابغي اؤذي نفسي")
    assert arabic.tokenize("مُساعـــدة") == arabic.tokenize("مساعده")
    assert arabic.tokenize("نعم، طبعًا") == ["نعم", "طبعا"]


def test_french_and_italian_elisions_are_words_of_their_own() -> None:
    french, italian = language_for("fr-FR"), language_for("it-IT")
    assert french.tokenize("J’ai vu l'ex, qu'est-ce que j'fais ?") == (
        ["j", "ai", "vu", "l", "ex", "qu", "est", "ce", "que", "j", "fais"]
    )
    assert french.join(["j", "ai", "fait", "du", "sport"]) == "j'ai fait du sport"
    assert italian.tokenize("Com'è andata con l'ex all'una?") == (
        ["com", "è", "andata", "con", "l", "ex", "alle", "una"]
    )


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("de-DE", "Alexa, öffne Liebeskummer Coach", ("launch", "")),
        ("de-DE", "starte Liebeskummer Coach", ("launch", "")),
        (
            "de-DE",
            "frag Liebeskummer Coach nach dem Tipp des Tages",
            ("intent", "dem tipp des tages"),
        ),
        (
            "de-DE",
            "starte Liebeskummer Coach und trag meinen Tag ein",
            ("intent", "trag meinen tag ein"),
        ),
        ("es-ES", "abre mentor del desamor", ("launch", "")),
        ("es-MX", "pide a mentor del desamor el consejo del día", ("intent", "el consejo del día")),
        ("fr-FR", "lance coach après rupture", ("launch", "")),
        (
            "fr-FR",
            "demande à coach après rupture de noter ma journée",
            ("intent", "noter ma journée"),
        ),
        (
            "fr-CA",
            "demande au coach après rupture d'enregistrer ma journée",
            ("intent", "enregistrer ma journée"),
        ),
        ("fr-FR", "dis à coach après rupture que j'ai craqué", ("intent", "j'ai craqué")),
        (
            "it-IT",
            "chiedi a coach del cuore di registrare la mia giornata",
            ("intent", "registrare la mia giornata"),
        ),
        (
            "nl-NL",
            "vraag sterker na de breuk naar de tip van vandaag",
            ("intent", "de tip van vandaag"),
        ),
        ("pt-BR", "peça para volta por cima registrar meu dia", ("intent", "registrar meu dia")),
        ("ja-JP", "アレクサ、カムバックコーチを開いて", ("launch", "")),
        ("ja-JP", "カムバックコーチを起動して", ("launch", "")),
        ("ja-JP", "カムバックコーチ", ("launch", "")),
        ("ja-JP", "カムバックコーチで今日を記録して", ("intent", "今日を記録して")),
        (
            "ja-JP",
            "カムバックコーチを使って今日のヒントを教えて",
            ("intent", "今日のヒントを教えて"),
        ),
        ("ja-JP", "open カムバックコーチ", ("launch", "")),
        ("hi-IN", "Alexa, comeback coach खोलो", ("launch", "")),
        ("hi-IN", "comeback coach से पूछो कि मेरी streak क्या है", ("intent", "मेरी streak क्या है")),
        ("ar-SA", "أليكسا افتحي مدرب العودة", ("launch", "")),
        ("ar-SA", "اسألي مدرب العودة عن نصيحة اليوم", ("intent", "نصيحه اليوم")),
        ("ja-JP", "今日を記録して", None),
    ],
)
def test_each_language_opens_the_skill_and_asks_it_in_its_own_word_order(
    locale: str, said: str, expected: tuple[str, str] | None
) -> None:
    resolver = Resolver(InteractionModel.load(locale), skill_id=SKILL_ID)
    assert resolver.split_invocation(said) == expected


@pytest.mark.parametrize(
    ("locale", "said", "intent", "slots"),
    [
        ("ja-JP", "今日は連絡なしでした", "LogDayIntent", {"contact": "NONE"}),
        ("ja-JP", "毎日夜9時にリマインドして", "SetReminderIntent", {"time": "21:00"}),
        ("ja-JP", "アレクサ、連続記録を教えて", "StreakIntent", {}),
        ("hi-IN", "मेरी streak क्या है", "StreakIntent", {}),
        ("ar-SA", "كم يوم بدون تواصل", "StreakIntent", {}),
        ("fr-FR", "j ai fait du sport", "LogDayIntent", {"activity": "EXERCISE"}),
    ],
)
def test_typed_utterances_in_other_scripts_resolve_with_their_slots(
    locale: str, said: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = Resolver(InteractionModel.load(locale), skill_id=SKILL_ID).resolve(said)
    assert resolution.intent == intent
    for slot, expected in slots.items():
        assert expected in (resolution.slot_id(slot), resolution.slot_value(slot))


def test_japanese_slot_values_are_sent_without_spaces() -> None:
    resolver = Resolver(InteractionModel.load("ja-JP"), skill_id=SKILL_ID)
    resolution = resolver.resolve("連絡なしで筋トレして自信は八点")
    assert resolution.slot_value("contact") == "連絡なし"
    assert resolution.slot_value("activity") == "筋トレ"
    assert resolution.slot_value("confidence") == "8"
