"""The offline resolver against the real interaction models (PRODUCT §5), in every locale."""

from __future__ import annotations

from typing import Any

import pytest

from coach_console.model import InteractionModel, SlotRef, available_locales
from coach_console.nlu import Elicitation, Resolution, Resolver

from .conftest import SKILL_ID
from .phrasebook import phrasebook


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


@pytest.fixture(scope="module")
def en_us(model: InteractionModel) -> Resolver:
    return Resolver(model, skill_id=SKILL_ID)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("log my day", "LogDayIntent"),
        ("log today", "LogDayIntent"),
        ("I texted my ex", "SlipIntent"),
        ("I called her", "SlipIntent"),
        ("we met up", "SlipIntent"),
        ("what's my streak", "StreakIntent"),
        ("how many days", "StreakIntent"),
        ("give me today's tip", "DailyTipIntent"),
        ("a tip", "DailyTipIntent"),
        ("am I ready", "AmIReadyIntent"),
        ("can I contact my ex now", "AmIReadyIntent"),
        ("how am I doing", "ProgressIntent"),
        ("my week", "ProgressIntent"),
        ("I'm meeting my ex", "MeetingIntent"),
        ("how should I act at the meeting", "MeetingIntent"),
        ("the meeting went well", "MeetingOutcomeIntent"),
        ("they want to meet again", "MeetingOutcomeIntent"),
        ("I don't want them back", "MovedOnIntent"),
        ("I'm over my ex", "MovedOnIntent"),
        ("start over", "StartOverIntent"),
        ("stop my reminders", "CancelReminderIntent"),
        ("delete my data", "DeleteDataIntent"),
        ("forget me", "DeleteDataIntent"),
        ("I want to hurt myself", "SupportIntent"),
        ("I can't go on", "SupportIntent"),
        ("I cant go on", "SupportIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("go home", "AMAZON.NavigateHomeIntent"),
        ("what's the capital of Peru", "AMAZON.FallbackIntent"),
    ],
)
def test_the_product_examples_resolve_to_their_intents(
    en_us: Resolver, said: str, intent: str
) -> None:
    assert en_us.resolve(said).intent == intent


def test_a_whole_day_said_in_one_breath_fills_every_slot(en_us: Resolver) -> None:
    resolution = en_us.resolve("no contact today, I went to the gym, I feel eight")
    assert resolution.intent == "LogDayIntent"
    assert resolution.slot_id("contact") == "NONE"
    assert resolution.slot_id("activity") == "EXERCISE"
    assert resolution.slot_value("confidence") == "8"


def test_a_reminder_time_is_sent_as_alexa_sends_amazon_time(en_us: Resolver) -> None:
    resolution = en_us.resolve("remind me to log my day at nine pm")
    assert (resolution.intent, resolution.slot_value("time")) == ("SetReminderIntent", "21:00")


FIXED_TYPES = {
    "CONTACT_STATUS": ("LogDayIntent", "contact", {"NONE", "SOME", "NECESSARY"}),
    "ACTIVITY": (
        "LogDayIntent",
        "activity",
        {"FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE"},
    ),
    "MEETING_OUTCOME": ("MeetingOutcomeIntent", "outcome", {"AGAIN", "UNSURE", "NO_SPARK"}),
}


@pytest.fixture(scope="module", params=available_locales())
def any_model(request: pytest.FixtureRequest) -> InteractionModel:
    """The interaction model of each locale in turn."""
    return InteractionModel.load(str(request.param))


@pytest.mark.parametrize("slot_type", sorted(FIXED_TYPES))
def test_every_value_of_the_fixed_slot_types_resolves_to_its_own_id(
    any_model: InteractionModel, slot_type: str
) -> None:
    resolver = Resolver(any_model, skill_id=SKILL_ID)
    intent, slot, ids = FIXED_TYPES[slot_type]
    kind = any_model.types[slot_type]
    assert {value.id for value in kind.values} == ids
    wrong = []
    for value in kind.values:
        for phrase in (value.name, *value.synonyms):
            elicit = Elicitation(slot, {"name": intent, "slots": {}})
            resolution = resolver.resolve(phrase, elicit=elicit)
            if (resolution.intent, resolution.slot_id(slot)) != (intent, value.id):
                wrong.append(f"{phrase!r} → {resolution.intent} {resolution.slot_id(slot)}")
    assert wrong == []


class _Filler:
    """Fills the slots of samples with values of their types, a different value or synonym
    each time, leaving out phrases that also belong to another slot type of the model (those
    are ambiguous for Alexa too), and says what each slot should resolve to."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self.words = phrasebook(model.locale)
        self.turn = 0
        self.owners: dict[str, set[str]] = {}
        for name, kind in model.types.items():
            for key in kind.phrases:
                self.owners.setdefault(key, set()).add(name)

    def fill(self, slot_type: str) -> tuple[str, str, str | None]:
        """A phrase for the slot, and the id (custom types) or value (built-in) it means."""
        if slot_type == "AMAZON.NUMBER":
            return self.words.seven, "value", "7"
        if slot_type == "AMAZON.TIME":
            return self.words.nine_pm, "value", "21:00"
        values = self.model.types[slot_type].values
        pack = self.model.language
        while True:
            self.turn += 1
            value = values[self.turn % len(values)]
            phrases = (value.name, *value.synonyms)
            phrase = phrases[(self.turn // len(values)) % len(phrases)]
            if self.owners[" ".join(pack.tokenize(phrase))] == {slot_type}:
                return phrase, "id", value.id

    def say(self, intent: str, items: tuple[str | SlotRef, ...]) -> tuple[str, dict[str, Any]]:
        """The sample said with its slots filled, and what each slot should resolve to."""
        words: list[str] = []
        expected: dict[str, Any] = {}
        for item in items:
            if isinstance(item, str):
                words.append(item)
                continue
            phrase, kind, meaning = self.fill(self.model.intents[intent].slots[item.name])
            words.append(phrase)
            expected[item.name] = (kind, meaning)
        return self.model.language.join(words), expected


def _understood(resolution: Resolution, expected: dict[str, Any]) -> dict[str, Any]:
    return {
        slot: (kind, resolution.slot_id(slot) if kind == "id" else resolution.slot_value(slot))
        for slot, (kind, _) in expected.items()
    }


def test_every_sample_of_the_model_resolves_to_its_own_intent(
    any_model: InteractionModel,
) -> None:
    resolver = Resolver(any_model, skill_id=SKILL_ID)
    filler = _Filler(any_model)
    wrong = []
    for name, intent in any_model.intents.items():
        for sample in intent.samples:
            said, expected = filler.say(name, sample.items)
            resolution = resolver.resolve(said)
            got = _understood(resolution, expected)
            if resolution.intent == name and resolution.sample != sample.text:
                # also another sample of the intent, word for word ("the meeting went well")
                assert resolution.score == 1.0, (said, resolution)
                continue
            if (resolution.intent, got) != (name, expected):
                wrong.append(f"{said!r} ({sample.text!r} of {name}) → {resolution.intent} {got}")
    assert wrong == []


def test_every_slot_sample_fills_the_slot_it_is_asked_for(any_model: InteractionModel) -> None:
    resolver = Resolver(any_model, skill_id=SKILL_ID)
    filler = _Filler(any_model)
    wrong = []
    for name, intent in any_model.intents.items():
        for sample in intent.slot_samples:
            assert sample.for_slot is not None
            said, expected = filler.say(name, sample.items)
            elicit = Elicitation(sample.for_slot, {"name": name, "slots": {}})
            resolution = resolver.resolve(said, elicit=elicit)
            got = _understood(resolution, expected)
            if (resolution.intent, got) != (name, expected):
                wrong.append(f"{said!r} ({sample.text!r} of {name}) → {resolution.intent} {got}")
    assert wrong == []


@pytest.mark.parametrize("locale", available_locales())
def test_every_locales_model_loads_and_understands_help_and_stop(locale: str) -> None:
    model = InteractionModel.load(locale)
    resolver = Resolver(model, skill_id=SKILL_ID)
    assert model.invocation_name
    assert "LogDayIntent" in model.intents
    if model.language.builtin_phrases:
        help_phrase = model.language.builtin_phrases["AMAZON.HelpIntent"][0]
        stop_phrase = model.language.builtin_phrases["AMAZON.StopIntent"][0]
        assert resolver.resolve(help_phrase).intent == "AMAZON.HelpIntent"
        assert resolver.resolve(stop_phrase).intent == "AMAZON.StopIntent"


@pytest.mark.parametrize(
    ("locale", "said", "intent"),
    [
        # "angegriffen" (attacked) looks like "angerufen" (called): not a typo of it.
        ("de-DE", "meine ex hat mich angegriffen", "SafetyConcernIntent"),
        ("de-DE", "meine ex hat mich angerufen", "ExReachedOutIntent"),
        # A letter off is still a typo.
        ("de-DE", "mein ex hat mich geschlgen", "SafetyConcernIntent"),
    ],
)
def test_words_that_only_look_alike_are_not_taken_for_each_other(
    locale: str, said: str, intent: str
) -> None:
    resolver = Resolver(InteractionModel.load(locale), skill_id=SKILL_ID)
    assert resolver.resolve(said).intent == intent
