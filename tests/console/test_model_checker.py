"""`comeback-coach models check` on small synthetic models: a good model has no finding, and
each rule catches the model that breaks it."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coach_console import checker
from coach_console.checker import Finding, Source, check_locale
from skill.cli import main

LOCALE = "en-US"


def good_model() -> dict[str, Any]:
    """A small en-US model that breaks no rule."""
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "comeback coach",
                "intents": [
                    {"name": "AMAZON.HelpIntent", "samples": []},
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.CancelIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                    {"name": "AMAZON.NavigateHomeIntent", "samples": []},
                    {"name": "AMAZON.YesIntent", "samples": []},
                    {"name": "AMAZON.NoIntent", "samples": []},
                    {
                        "name": "LogDayIntent",
                        "slots": [
                            {"name": "contact", "type": "CONTACT_STATUS", "samples": ["{contact}"]},
                            {
                                "name": "activity",
                                "type": "ACTIVITY",
                                "samples": ["{activity}", "I went to {activity}"],
                            },
                            {
                                "name": "confidence",
                                "type": "AMAZON.NUMBER",
                                "samples": ["{confidence}", "I feel {confidence}"],
                            },
                        ],
                        "samples": [
                            "log my day",
                            "log today",
                            "{contact} today I did {activity} and I feel {confidence}",
                        ],
                    },
                    {"name": "SlipIntent", "samples": ["I texted my ex", "we met up"]},
                    {"name": "StreakIntent", "samples": ["what's my streak", "how many days"]},
                    {
                        "name": "SetReminderIntent",
                        "slots": [{"name": "time", "type": "AMAZON.TIME"}],
                        "samples": ["remind me at {time}", "remind me at nine p. m."],
                    },
                ],
                "types": [
                    {
                        "name": "CONTACT_STATUS",
                        "values": [
                            {
                                "id": "NONE",
                                "name": {"value": "no contact", "synonyms": ["zero contact"]},
                            },
                            {
                                "id": "SOME",
                                "name": {"value": "some contact", "synonyms": ["a little contact"]},
                            },
                        ],
                    },
                    {
                        "name": "ACTIVITY",
                        "values": [
                            {
                                "id": "EXERCISE",
                                "name": {"value": "exercise", "synonyms": ["the gym"]},
                            },
                            {"id": "NONE", "name": {"value": "nothing", "synonyms": []}},
                        ],
                    },
                ],
            },
            "dialog": {
                "delegationStrategy": "SKILL_RESPONSE",
                "intents": [
                    {
                        "name": "LogDayIntent",
                        "confirmationRequired": False,
                        "prompts": {},
                        "slots": [
                            {
                                "name": name,
                                "type": slot_type,
                                "confirmationRequired": False,
                                "elicitationRequired": True,
                                "prompts": {"elicitation": f"Elicit.Slot.LogDayIntent.{name}"},
                            }
                            for name, slot_type in (
                                ("contact", "CONTACT_STATUS"),
                                ("activity", "ACTIVITY"),
                                ("confidence", "AMAZON.NUMBER"),
                            )
                        ],
                    }
                ],
            },
            "prompts": [
                {
                    "id": f"Elicit.Slot.LogDayIntent.{name}",
                    "variations": [{"type": "PlainText", "value": f"Tell me your {name}."}],
                }
                for name in ("contact", "activity", "confidence")
            ],
        }
    }


def good_manifest() -> dict[str, Any]:
    """A manifest publishing en-US with example phrases the good model says."""
    return {
        "manifest": {
            "publishingInformation": {
                "locales": {
                    LOCALE: {
                        "name": "Comeback Coach",
                        "examplePhrases": [
                            "Alexa, open comeback coach",
                            "Alexa, ask comeback coach to log my day",
                            "Alexa, ask comeback coach what's my streak",
                        ],
                    }
                }
            }
        }
    }


Model = dict[str, Any]


def _intent(model: Model, name: str) -> dict[str, Any]:
    intents = model["interactionModel"]["languageModel"]["intents"]
    return next(intent for intent in intents if intent["name"] == name)


def _type(model: Model, name: str) -> dict[str, Any]:
    types = model["interactionModel"]["languageModel"]["types"]
    return next(slot_type for slot_type in types if slot_type["name"] == name)


def _value(model: Model, type_name: str, value_id: str) -> dict[str, Any]:
    values = _type(model, type_name)["values"]
    name: dict[str, Any] = next(v for v in values if v["id"] == value_id)["name"]
    return name


def write(
    folder: Path,
    model: Model | None = None,
    manifest: dict[str, Any] | None = None,
    allowed: list[dict[str, str]] | None = None,
) -> Source:
    """The models folder: the model, the manifest and, if given, the locale's allow-list."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{LOCALE}.json").write_text(json.dumps(model or good_model()), encoding="utf-8")
    (folder / "skill.json").write_text(json.dumps(manifest or good_manifest()), encoding="utf-8")
    if allowed is not None:
        (folder / "allowed_overlaps").mkdir(exist_ok=True)
        (folder / "allowed_overlaps" / f"{LOCALE}.json").write_text(
            json.dumps({"allowed": allowed}), encoding="utf-8"
        )
    return Source(folder)


def findings_for(tmp_path: Path, change: Callable[[Model], None] | None = None) -> list[Finding]:
    """The findings for the good model after `change`."""
    model = good_model()
    if change is not None:
        change(model)
    return check_locale(write(tmp_path / "models", model), LOCALE)


def rules(findings: list[Finding]) -> set[str]:
    return {finding.rule for finding in findings}


# --------------------------------------------------------------------------- the good model


def test_a_good_model_has_no_finding(tmp_path: Path) -> None:
    assert findings_for(tmp_path) == []


def test_the_command_exits_zero_on_a_good_model_and_one_with_every_finding_on_a_bad_one(
    tmp_path: Path,
) -> None:
    good = write(tmp_path / "good")
    out = io.StringIO()
    assert main(["models", "check", "--models-dir", str(good.directory)], stdout=out) == 0
    assert "0 findings in 1 model" in out.getvalue()

    bad_model = good_model()
    _intent(bad_model, "StreakIntent")["samples"].append("I texted my ex")
    bad = write(tmp_path / "bad", bad_model)
    out = io.StringIO()
    status = main(["models", "check", "--models-dir", str(bad.directory)], stdout=out)
    assert status == 1
    assert 'en-US  conflict          SlipIntent, StreakIntent "i texted my ex"' in out.getvalue()
    assert "1 finding in 1 model" in out.getvalue()


def test_an_unknown_locale_or_a_broken_file_is_a_usage_error(tmp_path: Path) -> None:
    source = write(tmp_path / "models")
    err = io.StringIO()
    argv = ["models", "check", "--models-dir", str(source.directory), "--locale", "xx-XX"]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert "no interaction model for xx-XX" in err.getvalue()

    (source.directory / "skill.json").write_text("{not json", encoding="utf-8")
    err = io.StringIO()
    argv = ["models", "check", "--models-dir", str(source.directory)]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith("models check: Expecting property name")


# --------------------------------------------------------------------------- (a) conflicts


def test_an_utterance_of_two_intents_is_a_conflict_after_case_and_punctuation(
    tmp_path: Path,
) -> None:
    found = findings_for(
        tmp_path, lambda m: _intent(m, "StreakIntent")["samples"].append("I Texted my ex.")
    )
    assert [(f.rule, f.intent, f.sample) for f in found] == [
        ("conflict", "SlipIntent, StreakIntent", "i texted my ex")
    ]


def test_a_slot_value_expanded_into_a_sample_can_conflict_with_another_intent(
    tmp_path: Path,
) -> None:
    def change(model: Model) -> None:
        _intent(model, "LogDayIntent")["samples"].append("{contact} today")
        _intent(model, "SlipIntent")["samples"].append("a little contact today")

    found = findings_for(tmp_path, change)
    conflict = [f for f in found if f.rule == "conflict"]
    assert len(conflict) == 1
    assert conflict[0].sample == "a little contact today"
    assert 'LogDayIntent from "{contact} today"' in conflict[0].message


def test_a_sample_too_large_to_list_is_matched_as_a_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checker, "EXPANSION_LIMIT", 1)

    def change(model: Model) -> None:
        _intent(model, "SlipIntent")["samples"].append(
            "zero contact today I did the gym and I feel eight"
        )

    found = findings_for(tmp_path, change)
    assert [(f.rule, f.intent) for f in found] == [("conflict", "LogDayIntent, SlipIntent")]


def test_two_samples_too_large_to_list_are_compared_by_listing_the_smaller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checker, "EXPANSION_LIMIT", 1)
    found = findings_for(
        tmp_path,
        lambda m: _intent(m, "LogDayIntent")["samples"].append("remind me at {confidence}"),
    )
    assert [(f.rule, f.intent, f.sample) for f in found] == [
        ("conflict", "LogDayIntent, SetReminderIntent", "remind me at seven")
    ]


def test_the_consoles_built_in_phrases_take_part(tmp_path: Path) -> None:
    found = findings_for(
        tmp_path, lambda m: _intent(m, "StreakIntent")["samples"].append("help me")
    )
    assert [(f.rule, f.intent) for f in found] == [("conflict", "AMAZON.HelpIntent, StreakIntent")]
    assert "built-in phrases" in found[0].message


# --------------------------------------------------------------------------- (b) unslotted values


def test_a_sample_that_says_its_own_slots_value_without_the_slot_is_caught(
    tmp_path: Path,
) -> None:
    found = findings_for(
        tmp_path, lambda m: _intent(m, "LogDayIntent")["samples"].append("I had zero contact today")
    )
    assert [(f.rule, f.sample) for f in found] == [("unslotted-value", "I had zero contact today")]
    assert '"zero contact", a value of {contact}' in found[0].message


def test_a_slot_sample_that_says_another_slots_value_is_caught(tmp_path: Path) -> None:
    def change(model: Model) -> None:
        _intent(model, "LogDayIntent")["slots"][1]["samples"].append("{activity} and no contact")

    found = findings_for(tmp_path, change)
    assert rules(found) == {"unslotted-value"}
    assert "sample of slot activity" in found[0].sample


# --------------------------------------------------------------------------- (c) values as samples


def _texted_is_contact(model: Model) -> None:
    _value(model, "CONTACT_STATUS", "SOME")["synonyms"].append("I texted my ex")


def test_a_slot_synonym_that_is_another_intents_sample_is_caught(tmp_path: Path) -> None:
    found = findings_for(tmp_path, _texted_is_contact)
    assert [(f.rule, f.intent, f.sample) for f in found] == [
        ("value-is-sample", "SlipIntent", "i texted my ex")
    ]


def test_a_reviewed_overlap_in_the_allow_list_is_not_a_finding(tmp_path: Path) -> None:
    model = good_model()
    _texted_is_contact(model)
    allowed = [
        {
            "slotType": "CONTACT_STATUS",
            "phrase": "I texted my ex",
            "intent": "SlipIntent",
            "reason": "both record the same slip",
        }
    ]
    assert check_locale(write(tmp_path / "models", model, allowed=allowed), LOCALE) == []


def test_an_allow_list_entry_needs_a_reason_and_goes_when_the_overlap_does(
    tmp_path: Path,
) -> None:
    model = good_model()
    _texted_is_contact(model)
    allowed = [
        {"slotType": "CONTACT_STATUS", "phrase": "I texted my ex", "intent": "SlipIntent"},
        {
            "slotType": "CONTACT_STATUS",
            "phrase": "we met up",
            "intent": "SlipIntent",
            "reason": "no longer a synonym",
        },
    ]
    found = check_locale(write(tmp_path / "models", model, allowed=allowed), LOCALE)
    assert sorted((f.rule, f.sample) for f in found) == [
        ("allow-list", "i texted my ex"),
        ("allow-list", "we met up"),
        ("value-is-sample", "i texted my ex"),
    ]


# --------------------------------------------------------------------------- (d) Amazon's rules


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Comeback Coach", "lower case"),
        ("coach", "two words"),
        ("alexa coach", 'wake word "alexa"'),
        ("open comeback coach", 'launch phrase "open"'),
        ("coach number 2", "only letters"),
        ("coach for breakups", "connecting word"),
        ("the coach", "article or preposition"),
    ],
)
def test_an_invocation_name_against_amazons_requirements_is_caught(
    tmp_path: Path, name: str, problem: str
) -> None:
    def change(model: Model) -> None:
        model["interactionModel"]["languageModel"]["invocationName"] = name

    found = [f for f in findings_for(tmp_path, change) if f.rule == "invocation-name"]
    assert any(problem in f.message for f in found), found


@pytest.mark.parametrize(
    ("sample", "rule"),
    [
        ("what's my streak now?", "sample-characters"),
        ("streak for 2 weeks", "sample-characters"),
        ("my streak, please", "sample-characters"),
        ("tell me my streak " + "again " * 35, "sample-length"),
        ("my streak {mood}", "slot-reference"),
        ("my streak {contact", "slot-reference"),
        ("How many days", "duplicate-sample"),
    ],
)
def test_a_sample_against_amazons_rules_is_caught(tmp_path: Path, sample: str, rule: str) -> None:
    found = findings_for(tmp_path, lambda m: _intent(m, "StreakIntent")["samples"].append(sample))
    assert rules(found) == {rule}


def test_periods_of_abbreviations_apostrophes_and_hyphens_are_allowed(tmp_path: Path) -> None:
    def change(model: Model) -> None:
        _intent(model, "StreakIntent")["samples"] += [
            "what's my streak so far",
            "my no-contact run",
        ]

    assert findings_for(tmp_path, change) == []


def test_a_slot_sample_must_hold_its_slot(tmp_path: Path) -> None:
    def change(model: Model) -> None:
        _intent(model, "LogDayIntent")["slots"][2]["samples"].append("pretty good")

    found = findings_for(tmp_path, change)
    assert [(f.rule, f.message) for f in found] == [
        ("slot-reference", "a sample of slot confidence must hold it")
    ]


def test_a_slot_value_too_long_or_an_id_twice_is_caught(tmp_path: Path) -> None:
    def change(model: Model) -> None:
        _value(model, "ACTIVITY", "EXERCISE")["synonyms"].append("a very long walk " * 9)
        _type(model, "ACTIVITY")["values"].append({"id": "NONE", "name": {"value": "nada"}})

    found = findings_for(tmp_path, change)
    messages = sorted(f.message for f in found if f.rule == "slot-value")
    assert messages == ["ACTIVITY has the id twice", "ACTIVITY: 153 characters, at most 140"]


def test_an_elicited_slot_needs_a_prompt_that_exists_and_samples_for_the_answer(
    tmp_path: Path,
) -> None:
    def change(model: Model) -> None:
        root = model["interactionModel"]
        slots = root["dialog"]["intents"][0]["slots"]
        slots[0]["prompts"] = {}
        slots[1]["prompts"] = {"elicitation": "Elicit.Slot.Missing"}
        root["prompts"][2]["variations"] = []
        del _intent(model, "LogDayIntent")["slots"][0]["samples"]

    found = [f.message for f in findings_for(tmp_path, change) if f.rule == "dialog-prompt"]
    assert sorted(found) == [
        "prompt Elicit.Slot.LogDayIntent.confidence has no variations",
        "slot contact is elicited but has no slot samples for the answer",
        "slot contact is elicited with no prompt",
        "the elicitation prompt Elicit.Slot.Missing of slot activity does not exist",
    ]


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("open comeback coach", "wake word"),
        ("Alexa, ask comeback coach to dance", '"dance" is not an utterance'),
        ("Alexa, ask breakup buddy to log my day", "the invocation name"),
    ],
)
def test_example_phrases_must_name_the_skill_and_say_a_sample(
    tmp_path: Path, phrase: str, problem: str
) -> None:
    manifest = good_manifest()
    manifest["manifest"]["publishingInformation"]["locales"][LOCALE]["examplePhrases"][2] = phrase
    found = check_locale(write(tmp_path / "models", manifest=manifest), LOCALE)
    assert [(f.rule, f.sample) for f in found] == [("example-phrase", phrase)]
    assert problem in found[0].message


def test_at_most_three_example_phrases_and_the_locale_is_published(tmp_path: Path) -> None:
    manifest = good_manifest()
    locales = manifest["manifest"]["publishingInformation"]["locales"]
    locales[LOCALE]["examplePhrases"].append("Alexa, ask comeback coach how many days")
    found = check_locale(write(tmp_path / "models", manifest=manifest), LOCALE)
    assert [f.message for f in found] == ["4 example phrases, at most 3"]

    unpublished = copy.deepcopy(manifest)
    unpublished["manifest"]["publishingInformation"]["locales"] = {}
    found = check_locale(write(tmp_path / "other", manifest=unpublished), LOCALE)
    assert [f.message for f in found] == ["the manifest does not publish this locale"]


def test_names_types_and_definitions_follow_amazons_rules(tmp_path: Path) -> None:
    def change(model: Model) -> None:
        language_model = model["interactionModel"]["languageModel"]
        language_model["intents"].append({"name": "Log Day Intent", "samples": ["write it down"]})
        language_model["intents"].append({"name": "SlipIntent", "samples": ["I caved"]})
        _intent(model, "StreakIntent")["slots"] = [{"name": "kind", "type": "STREAK_KIND"}]
        language_model["types"].append({"name": "EMPTY", "values": []})

    found = sorted((f.intent, f.sample, f.message) for f in findings_for(tmp_path, change))
    assert found == [
        ("", "EMPTY", "a custom slot type needs values"),
        ("Log Day Intent", "", "an intent name is letters and underscores"),
        ("SlipIntent", "", "the intent is defined twice"),
        ("StreakIntent", "", "slot kind has the undefined type STREAK_KIND"),
    ]
