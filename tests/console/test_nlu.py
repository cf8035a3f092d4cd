"""The offline resolver, against a small model of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach_console.languages import ENGLISH, language_for
from coach_console.model import (
    FALLBACK_INTENT,
    InteractionModel,
    ModelNotFoundError,
    find_model,
    normalize,
)
from coach_console.nlu import Elicitation, Resolver

from .conftest import SKILL_ID, SMALL_MODEL


def slots_of(resolver: Resolver, text: str) -> dict[str, tuple[str | None, str | None]]:
    resolution = resolver.resolve(text)
    return {
        name: (fill.value, fill.resolved_id())
        for name, fill in resolution.slots.items()
        if fill.value is not None
    }


def test_a_sample_said_word_for_word_resolves_to_its_intent(resolver: Resolver) -> None:
    assert resolver.resolve("what's my streak").intent == "StreakIntent"
    assert resolver.resolve("Log my day.").intent == "LogDayIntent"
    assert resolver.resolve("I texted my ex").intent == "SlipIntent"


def test_all_three_slots_fill_from_one_sentence(resolver: Resolver) -> None:
    said = "no contact today, I went to the gym, I feel eight"
    assert resolver.resolve(said).intent == "LogDayIntent"
    assert slots_of(resolver, said) == {
        "contact": ("no contact", "NONE"),
        "activity": ("gym", "EXERCISE"),
        "confidence": ("8", None),
    }


def test_a_custom_value_resolves_with_the_block_alexa_sends(resolver: Resolver) -> None:
    slot = resolver.resolve("no contact today I went to the gym I feel 7").intent_json()["slots"]
    assert slot["activity"]["resolutions"] == {
        "resolutionsPerAuthority": [
            {
                "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.ACTIVITY",
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": "exercise", "id": "EXERCISE"}}],
            }
        ]
    }
    assert slot["activity"]["value"] == "gym"
    assert slot["activity"]["source"] == "USER"
    assert slot["activity"]["slotValue"]["resolutions"] == slot["activity"]["resolutions"]


def test_an_unknown_custom_value_is_sent_with_er_success_no_match(resolver: Resolver) -> None:
    slot = resolver.resolve("no contact today I went to the pottery class I feel 7")
    activity = slot.intent_json()["slots"]["activity"]
    assert activity["value"] == "pottery class"
    authority = activity["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"] == {"code": "ER_SUCCESS_NO_MATCH"}
    assert "values" not in authority
    assert slot.slot_id("activity") is None


def test_unfilled_slots_are_sent_by_name_without_a_value(resolver: Resolver) -> None:
    intent = resolver.resolve("log my day").intent_json()
    assert intent == {
        "name": "LogDayIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "contact": {"name": "contact", "confirmationStatus": "NONE"},
            "activity": {"name": "activity", "confirmationStatus": "NONE"},
            "confidence": {"name": "confidence", "confirmationStatus": "NONE"},
        },
    }


def test_intents_in_the_dialog_model_start_with_dialog_state_started(resolver: Resolver) -> None:
    assert resolver.resolve("log my day").dialog_state == "STARTED"
    assert resolver.resolve("what's my streak").dialog_state is None


@pytest.mark.parametrize(
    ("said", "value"),
    [("eight", "8"), ("10", "10"), ("twenty one", "21"), ("twenty-one", "21"), ("zero", "0")],
)
def test_amazon_number_takes_digits_and_words_and_sends_digits(
    resolver: Resolver, said: str, value: str
) -> None:
    assert slots_of(resolver, f"my confidence is {said}") == {"confidence": (value, None)}


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("nine pm", "21:00"),
        ("9pm", "21:00"),
        ("nine thirty p.m.", "21:30"),
        ("7:30 am", "07:30"),
        ("7:30", "07:30"),
        ("21:15", "21:15"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("twelve am", "00:00"),
        ("half past six in the evening", "18:30"),
        ("quarter to ten pm", "21:45"),
        ("eight o'clock", "08:00"),
        ("seven oh five am", "07:05"),
    ],
)
def test_amazon_time_reads_spoken_times_the_way_alexa_resolves_them(
    resolver: Resolver, said: str, value: str
) -> None:
    resolution = resolver.resolve(f"remind me to log my day at {said}")
    assert resolution.intent == "SetReminderIntent"
    assert resolution.slot_value("time") == value


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("yes", "AMAZON.YesIntent"),
        ("yeah sure", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("no thanks", "AMAZON.NoIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("what can I say", "AMAZON.HelpIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("go home", "AMAZON.NavigateHomeIntent"),
    ],
)
def test_built_in_intents_are_understood_without_samples(
    resolver: Resolver, said: str, intent: str
) -> None:
    assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("whats my streak", "StreakIntent"),
        ("what is my streak", "StreakIntent"),
        ("what's my streak please", "StreakIntent"),
        ("how meny days", "StreakIntent"),
        ("Alexa, log my day", "LogDayIntent"),
        ("um log my day", "LogDayIntent"),
        ("I texted my ex yesterday", "SlipIntent"),
    ],
)
def test_small_wording_differences_still_resolve(
    resolver: Resolver, said: str, intent: str
) -> None:
    assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize(
    "said", ["banana bread recipe", "play some jazz", "", "   ", "what's the weather in Paris"]
)
def test_anything_unmatched_goes_to_the_fallback_intent(resolver: Resolver, said: str) -> None:
    resolution = resolver.resolve(said)
    assert resolution.intent == FALLBACK_INTENT
    assert resolution.intent_json() == {
        "name": FALLBACK_INTENT,
        "confirmationStatus": "NONE",
        "slots": {},
    }


def pending(slot: str, **filled: str) -> Elicitation:
    slots = {name: {"name": name, "value": value} for name, value in filled.items()}
    return Elicitation(slot, {"name": "LogDayIntent", "slots": slots})


def test_the_next_utterance_fills_the_elicited_slot_and_keeps_the_others(
    resolver: Resolver,
) -> None:
    resolution = resolver.resolve("the gym", elicit=pending("activity", contact="no"))
    assert resolution.intent == "LogDayIntent"
    assert resolution.dialog_state == "IN_PROGRESS"
    assert resolution.slot_id("activity") == "EXERCISE"
    assert resolution.slot_value("contact") == "no"
    assert resolution.slot_value("confidence") is None


def test_yes_answers_an_elicited_contact_slot_rather_than_the_yes_intent(
    resolver: Resolver,
) -> None:
    resolution = resolver.resolve("yes", elicit=pending("contact"))
    assert (resolution.intent, resolution.slot_id("contact")) == ("LogDayIntent", "SOME")


def test_a_slot_sample_fills_the_elicited_slot(resolver: Resolver) -> None:
    resolution = resolver.resolve("I feel nine", elicit=pending("confidence"))
    assert resolution.slot_value("confidence") == "9"


def test_a_number_anywhere_in_the_answer_fills_an_elicited_number(resolver: Resolver) -> None:
    resolution = resolver.resolve("hmm I guess like a six", elicit=pending("confidence"))
    assert (resolution.intent, resolution.slot_value("confidence")) == ("LogDayIntent", "6")


def test_stop_and_help_still_work_while_a_slot_is_elicited(resolver: Resolver) -> None:
    assert resolver.resolve("stop", elicit=pending("contact")).intent == "AMAZON.StopIntent"
    assert resolver.resolve("help", elicit=pending("confidence")).intent == "AMAZON.HelpIntent"


def test_another_intent_said_outright_wins_over_the_elicitation(resolver: Resolver) -> None:
    resolution = resolver.resolve("what's my streak", elicit=pending("activity"))
    assert resolution.intent == "StreakIntent"


def test_an_unmatched_answer_to_an_elicited_custom_slot_is_sent_unresolved(
    resolver: Resolver,
) -> None:
    resolution = resolver.resolve("pottery", elicit=pending("activity"))
    assert resolution.intent == "LogDayIntent"
    assert resolution.slot_value("activity") == "pottery"
    assert resolution.slot_id("activity") is None


def test_a_non_number_answer_to_an_elicited_number_falls_back(resolver: Resolver) -> None:
    assert resolver.resolve("banana", elicit=pending("confidence")).intent == FALLBACK_INTENT


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("open comeback coach", ("launch", "")),
        ("Alexa, launch Comeback Coach", ("launch", "")),
        ("talk to comeback coach", ("launch", "")),
        ("ask comeback coach to log my day", ("intent", "log my day")),
        ("tell comeback coach that I texted my ex", ("intent", "i texted my ex")),
        ("log my day", None),
    ],
)
def test_invocation_phrases_open_the_skill_or_carry_a_one_shot_request(
    resolver: Resolver, said: str, expected: tuple[str, str] | None
) -> None:
    assert resolver.split_invocation(said) == expected


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("seven", 7),
        ("twenty one", 21),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("two thousand and twenty five", 2025),
        ("eight nine", None),
        ("twenty twenty", None),
        ("banana", None),
        ("and", None),
    ],
)
def test_english_number_words_read_as_one_number_or_none(words: str, value: int | None) -> None:
    assert ENGLISH.parse_number(words.split()) == value


def test_normalising_drops_punctuation_and_expands_contractions() -> None:
    assert normalize("What's my streak?!", ENGLISH) == ["what", "is", "my", "streak"]
    assert normalize("I can\u2019t go on", ENGLISH) == ["i", "can", "not", "go", "on"]
    said = normalize("give me today's tip at 9pm", ENGLISH)
    assert " ".join(said) == "give me todays tip at 9 pm"


def test_languages_without_a_pack_still_load_with_only_the_models_samples() -> None:
    pack = language_for("sv-SE")
    assert pack.code == "sv"
    assert pack.builtin_phrases == {}
    assert language_for("de-DE").builtin_phrases["AMAZON.YesIntent"][0] == "ja"


@pytest.mark.parametrize(
    ("locale", "said", "intent"),
    [
        ("ja-JP", "はい", "AMAZON.YesIntent"),
        ("de-DE", "Nein, danke!", "AMAZON.NoIntent"),
        ("fr-FR", "Arrête", "AMAZON.StopIntent"),
        ("es-MX", "ayuda", "AMAZON.HelpIntent"),
        ("pt-BR", "não", "AMAZON.NoIntent"),
        ("sv-SE", "ja", FALLBACK_INTENT),
    ],
)
def test_built_in_phrases_come_from_the_locales_language(
    locale: str, said: str, intent: str
) -> None:
    document = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "comeback coach",
                "intents": [{"name": "AMAZON.YesIntent"}, {"name": "AMAZON.NoIntent"}],
            }
        }
    }
    model = InteractionModel.from_dict(document, locale)
    assert Resolver(model, skill_id=SKILL_ID).resolve(said).intent == intent


def test_models_are_read_from_the_first_folder_that_has_the_locale(tmp_path: Path) -> None:
    first, second = tmp_path / "installed", tmp_path / "repo"
    first.mkdir()
    second.mkdir()
    (second / "en-GB.json").write_text(json.dumps(SMALL_MODEL), encoding="utf-8")
    (first / "en-GB.json").write_text(json.dumps(SMALL_MODEL), encoding="utf-8")
    assert find_model("en-GB", [first, second]) == first / "en-GB.json"
    model = InteractionModel.load("en-GB", [second])
    assert model.invocation_name == "comeback coach"
    assert model.locale == "en-GB"


def test_an_unknown_locale_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "en-US.json").write_text(json.dumps(SMALL_MODEL), encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=r"xx-XX.*en-US"):
        InteractionModel.load("xx-XX", [tmp_path])
