"""The console in every locale that has a model: a first conversation typed in the locale's
language against the real skill, the day log question by question, and a one-shot request.

The replies are checked against the locale's own strings (skill/locales), so a reply that fell
back to English, or an utterance the console resolved to the wrong intent, fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from coach_console.languages import LANGUAGES, language_for
from coach_console.model import FALLBACK_INTENT, available_locales
from coach_console.session import Conversation, Turn
from skill.i18n import SHARED_KEYS, Strings

from .phrasebook import PHRASEBOOKS, phrasebook

LOCALES = available_locales()
#: Every locale an Alexa custom skill can reach (issue 5).
ALEXA_LOCALES = {
    *("ar-SA", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX"),
    *("es-US", "fr-CA", "fr-FR", "hi-IN", "it-IT", "ja-JP", "nl-NL", "pt-BR"),
}
EVENING = "2025-03-03T21:00"


def _tidy(text: str) -> str:
    """Text spaced the way the console prints a reply (see `session.ssml_to_text`)."""
    return re.sub(r"\s+([,.!?;:])", r"\1", " ".join(text.split()))


def _pattern(strings: Strings, key: str) -> re.Pattern[str]:
    """A message of the locale as a pattern: its placeholders match anything, except the
    locale's crisis and emergency lines, which must be said as written."""
    raw = strings.raw(key)
    alternatives = []
    for template in raw if isinstance(raw, list) else [raw]:
        pieces = re.split(r"\{(\w+)\}", _tidy(str(template)))
        parts = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                parts.append(re.escape(piece))
            elif piece in SHARED_KEYS and strings.has(piece):
                parts.append(re.escape(_tidy(str(strings.raw(piece)))))
            else:
                parts.append(".+?")
        alternatives.append("".join(parts))
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


def assert_says(turn: Turn, locale: str, *keys: str) -> None:
    """The reply says each message in the locale's language, not the English one."""
    strings, english = Strings(locale), Strings("en-US")
    for key in keys:
        assert _pattern(strings, key).search(turn.speech_text), (key, turn.speech_text)
        if not locale.startswith("en") and strings.raw(key) != english.raw(key):
            assert not _pattern(english, key).search(turn.speech_text), (key, turn.speech_text)


def assert_understood(turn: Turn, intent: str) -> None:
    assert turn.intent == intent, (turn.heard, turn.intent, turn.resolution)


def assert_sample(conversation: Conversation, intent: str, said: str) -> None:
    """`said` is, punctuation and case aside, a sample utterance of the locale's model."""
    model = conversation.resolver.model
    samples = {sample.items for sample in model.intents[intent].samples}
    assert tuple(model.language.tokenize(said)) in samples, (intent, said)


def test_every_locale_with_a_model_has_a_language_pack_and_a_phrasebook() -> None:
    assert set(LOCALES) >= ALEXA_LOCALES
    for locale in LOCALES:
        language = locale.split("-")[0]
        assert language in LANGUAGES, locale
        assert language in PHRASEBOOKS, locale
        pack = language_for(locale)
        assert pack.builtin_phrases["AMAZON.YesIntent"], locale
        assert pack.number_words or pack.number_parser, locale
        assert pack.time_parser is not None, locale


@pytest.mark.parametrize("locale", LOCALES)
def test_a_first_conversation_typed_in_the_locales_language(
    locale: str, talk: Callable[..., Conversation]
) -> None:
    words = phrasebook(locale)
    conversation = talk(user=f"first-{locale}", start=EVENING, locale=locale)

    turn = conversation.say(words.launch)
    assert turn.heard == "<launch>"
    assert turn.request["request"]["locale"] == locale
    assert_says(turn, locale, "welcome.new", "reflect.safety.ask")

    turn = conversation.say(words.yes)
    assert_understood(turn, "AMAZON.YesIntent")
    assert_says(turn, locale, "reflect.worth.ask")

    turn = conversation.say(words.yes)
    assert_understood(turn, "AMAZON.YesIntent")
    assert_says(turn, locale, "reflect.start_no_contact", "offer.log")

    turn = conversation.say(words.day_log)
    assert_understood(turn, "LogDayIntent")
    assert turn.resolution is not None
    assert turn.resolution.slot_id("contact") == "NONE"
    assert turn.resolution.slot_id("activity") == "EXERCISE"
    assert turn.resolution.slot_value("confidence") == "8"
    assert turn.elicited_slot is None
    assert_says(turn, locale, "log.saved", "days.no_contact.zero", "log.streak")

    for intent, said in (
        ("StreakIntent", words.streak),
        ("DailyTipIntent", words.tip),
        ("SupportIntent", words.support),
    ):
        assert_sample(conversation, intent, said)

    turn = conversation.say(words.streak)
    assert_understood(turn, "StreakIntent")
    assert_says(turn, locale, "days.no_contact.zero")  # a best streak of 0 days is left out

    turn = conversation.say(words.tip)
    assert_understood(turn, "DailyTipIntent")
    assert_says(turn, locale, "tip.intro", "tip.outro")
    assert any(tip in turn.speech_text for tip in map(_tidy, Strings(locale).tips("no_contact")))

    turn = conversation.say(words.support)
    assert_understood(turn, "SupportIntent")
    assert_says(turn, locale, "support")
    assert _tidy(str(Strings(locale).raw("crisis_line"))) in turn.speech_text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_day_log_answered_question_by_question(
    locale: str, talk: Callable[..., Conversation]
) -> None:
    words = phrasebook(locale)
    conversation = talk(user=f"elicited-{locale}", start=EVENING, locale=locale)
    conversation.say(words.launch)
    conversation.say(words.yes)
    conversation.say(words.yes)

    turn = conversation.say(words.log_request)
    assert_understood(turn, "LogDayIntent")
    assert turn.elicited_slot == "contact"
    assert_says(turn, locale, "log.elicit.contact")

    turn = conversation.say(words.necessary_contact)
    assert turn.resolution is not None
    assert (turn.intent, turn.resolution.slot_id("contact")) == ("LogDayIntent", "NECESSARY")
    assert turn.elicited_slot == "activity"
    assert_says(turn, locale, "log.elicit.activity")

    turn = conversation.say(words.friends)
    assert turn.resolution is not None
    assert (turn.intent, turn.resolution.slot_id("activity")) == ("LogDayIntent", "FRIENDS")
    assert turn.elicited_slot == "confidence"
    assert_says(turn, locale, "log.elicit.confidence")

    turn = conversation.say(words.seven)
    assert turn.resolution is not None
    assert (turn.intent, turn.resolution.slot_value("confidence")) == ("LogDayIntent", "7")
    assert_says(turn, locale, "log.saved", "log.necessary")


@pytest.mark.parametrize("locale", LOCALES)
def test_a_one_shot_request_names_the_skill_in_the_locales_word_order(
    locale: str, talk: Callable[..., Conversation]
) -> None:
    conversation = talk(user=f"one-shot-{locale}", locale=locale)
    turn = conversation.say(phrasebook(locale).one_shot)
    assert_understood(turn, "StreakIntent")
    assert turn.request["session"]["new"] is True
    assert turn.intent != FALLBACK_INTENT
