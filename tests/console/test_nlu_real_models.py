"""The offline resolver against the real interaction models (PRODUCT §5)."""

from __future__ import annotations

import pytest

from skill.console.nlu import (
    Elicitation,
    InteractionModel,
    Resolver,
    SlotRef,
    available_locales,
)

from .conftest import SKILL_ID


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


@pytest.mark.parametrize(
    ("slot_type", "ids"),
    [
        ("CONTACT_STATUS", {"NONE", "SOME", "NECESSARY"}),
        ("ACTIVITY", {"FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE"}),
        ("MEETING_OUTCOME", {"AGAIN", "UNSURE", "NO_SPARK"}),
    ],
)
def test_every_value_of_the_fixed_slot_types_resolves_to_its_own_id(
    model: InteractionModel, en_us: Resolver, slot_type: str, ids: set[str]
) -> None:
    kind = model.types[slot_type]
    assert {value.id for value in kind.values} == ids
    intent, slot = {
        "CONTACT_STATUS": ("LogDayIntent", "contact"),
        "ACTIVITY": ("LogDayIntent", "activity"),
        "MEETING_OUTCOME": ("MeetingOutcomeIntent", "outcome"),
    }[slot_type]
    for value in kind.values:
        for phrase in (value.name, *value.synonyms):
            elicit = Elicitation(slot, {"name": intent, "slots": {}})
            resolution = en_us.resolve(phrase, elicit=elicit)
            assert (resolution.intent, resolution.slot_id(slot)) == (intent, value.id), phrase


def _filled(model: InteractionModel, intent: str, items: tuple[str | SlotRef, ...]) -> str:
    words: list[str] = []
    for item in items:
        if isinstance(item, str):
            words.append(item)
            continue
        slot_type = model.intents[intent].slots[item.name]
        if slot_type == "AMAZON.NUMBER":
            words.append("seven")
        elif slot_type == "AMAZON.TIME":
            words.append("nine pm")
        else:
            words.append(model.types[slot_type].values[0].name)
    return " ".join(words)


def test_every_sample_of_the_model_resolves_to_its_own_intent(
    model: InteractionModel, en_us: Resolver
) -> None:
    wrong = []
    for name, intent in model.intents.items():
        for sample in intent.samples:
            said = _filled(model, name, sample.items)
            got = en_us.resolve(said).intent
            if got != name:
                wrong.append(f"{said!r} ({sample.text!r} of {name}) → {got}")
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
