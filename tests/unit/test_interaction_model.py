"""The Alexa interaction models and the skill manifest keep the product contract (PRODUCT §5).

Every ``interaction_models/<locale>.json`` file is checked, so a new locale is held to the same
rules the moment its file appears.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.interaction_model.delegation_strategy_type import (
    DelegationStrategyType,
)
from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
    InteractionModelData,
)
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

REPO_ROOT = Path(__file__).parents[2]
MODELS_DIR = REPO_ROOT / "interaction_models"
MANIFEST_PATH = MODELS_DIR / "skill.json"
LOCALE_FILES = sorted(p for p in MODELS_DIR.glob("*.json") if p.name != MANIFEST_PATH.name)

# PRODUCT §5: intent -> {slot name: slot type}. Names are fixed.
CONTRACT_INTENTS: dict[str, dict[str, str]] = {
    "LogDayIntent": {
        "contact": "CONTACT_STATUS",
        "activity": "ACTIVITY",
        "confidence": "AMAZON.NUMBER",
    },
    "SlipIntent": {},
    "StreakIntent": {},
    "DailyTipIntent": {},
    "AmIReadyIntent": {},
    "ProgressIntent": {},
    "MeetingIntent": {},
    "MeetingOutcomeIntent": {"outcome": "MEETING_OUTCOME"},
    "MovedOnIntent": {},
    "StartOverIntent": {},
    "SetReminderIntent": {"time": "AMAZON.TIME"},
    "CancelReminderIntent": {},
    "DeleteDataIntent": {},
    "SupportIntent": {},
    "UrgeIntent": {},
    "ExReachedOutIntent": {},
    "SafetyConcernIntent": {},
}
BUILT_IN_INTENTS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
}
CONTRACT_VALUE_IDS: dict[str, set[str]] = {
    "CONTACT_STATUS": {"NONE", "SOME", "NECESSARY"},
    "ACTIVITY": {"FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE"},
    "MEETING_OUTCOME": {"AGAIN", "UNSURE", "NO_SPARK"},
}
# Slots the handlers elicit with Dialog.ElicitSlot (PRODUCT §5): they need a dialog model entry.
ELICITED_SLOTS = {
    "LogDayIntent": ["contact", "activity", "confidence"],
    "MeetingOutcomeIntent": ["outcome"],
    "SetReminderIntent": ["time"],
}
MIN_SAMPLES_PER_CUSTOM_INTENT = 10

# The example utterances of PRODUCT §5, as an en-US user would say them.
EN_US_CONTRACT_EXAMPLES: dict[str, list[str]] = {
    "LogDayIntent": [
        "log my day",
        "log today",
        "no contact today, I went to the gym, I feel eight",
    ],
    "SlipIntent": ["I texted my ex", "I called her", "we met up"],
    "StreakIntent": ["what's my streak", "how many days"],
    "DailyTipIntent": ["give me today's tip", "a tip"],
    "AmIReadyIntent": ["am I ready", "can I contact my ex now"],
    "ProgressIntent": ["how am I doing", "my week"],
    "MeetingIntent": ["I'm meeting my ex", "how should I act at the meeting"],
    "MeetingOutcomeIntent": ["the meeting went well", "they want to meet again"],
    "MovedOnIntent": ["I don't want them back", "I'm over my ex"],
    "StartOverIntent": ["start over"],
    "SetReminderIntent": ["remind me to log my day at nine pm"],
    "CancelReminderIntent": ["stop my reminders"],
    "DeleteDataIntent": ["delete my data", "forget me"],
    "SupportIntent": ["I want to hurt myself", "I can't go on", "I want to die"],
    "UrgeIntent": ["I want to text my ex", "I miss him so much", "I'm about to call her"],
    "ExReachedOutIntent": ["my ex texted me", "she called me", "my ex wants to talk"],
    "SafetyConcernIntent": ["my ex hit me", "I'm scared of my ex", "my ex keeps threatening me"],
}

SLOT_REF = re.compile(r"\{([^{}]*)\}")


# ---------------------------------------------------------------- helpers


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _language_model(data: dict[str, Any]) -> dict[str, Any]:
    lm: dict[str, Any] = data["interactionModel"]["languageModel"]
    return lm


def _intents(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {intent["name"]: intent for intent in _language_model(data)["intents"]}


def _types(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in _language_model(data).get("types", [])}


def _normalize(utterance: str) -> str:
    return " ".join(utterance.casefold().split())


def _slots_in(utterance: str) -> list[str]:
    return SLOT_REF.findall(utterance)


def _all_samples(data: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(intent, slot or None, sample) for every intent sample and slot elicitation sample."""
    found: list[tuple[str, str | None, str]] = []
    for name, intent in _intents(data).items():
        found.extend((name, None, s) for s in intent.get("samples", []))
        for slot in intent.get("slots", []):
            found.extend((name, slot["name"], s) for s in slot.get("samples", []))
    return found


def _phrases_of(slot_type: dict[str, Any]) -> dict[str, set[str]]:
    """value id -> normalized value and synonyms."""
    return {
        v["id"]: {_normalize(v["name"]["value"])}
        | {_normalize(s) for s in v["name"].get("synonyms", [])}
        for v in slot_type["values"]
    }


def _understood_as(data: dict[str, Any], spoken: str) -> set[str]:
    """The intents with a sample that matches ``spoken``, slot values resolved like Alexa would.

    A custom-typed slot only matches one of its type's values or synonyms; a built-in typed slot
    (AMAZON.NUMBER, AMAZON.TIME) matches any words.
    """
    text = _normalize(re.sub(r"[,?!]", " ", spoken))
    types = _types(data)
    matches: set[str] = set()
    for name, intent in _intents(data).items():
        slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            parts = SLOT_REF.split(_normalize(sample))
            pattern = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                for i, part in enumerate(parts)
            )
            m = re.fullmatch(pattern, text)
            if m is None:
                continue
            ok = True
            for slot, said in m.groupdict().items():
                slot_type = types.get(slot_types.get(slot, ""))
                if slot_type is not None:
                    known = set().union(*_phrases_of(slot_type).values())
                    ok = ok and said.strip() in known
            if ok:
                matches.add(name)
    return matches


def _custom_intents(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n: i for n, i in _intents(data).items() if not n.startswith("AMAZON.")}


def _locale(path: Path) -> str:
    return path.stem


locale_files = pytest.mark.parametrize("path", LOCALE_FILES, ids=[p.stem for p in LOCALE_FILES])


# ---------------------------------------------------------------- interaction models


def test_there_is_an_en_us_interaction_model_and_a_skill_manifest() -> None:
    assert MODELS_DIR / "en-US.json" in LOCALE_FILES
    assert MANIFEST_PATH.is_file()


@locale_files
def test_the_model_deserializes_into_amazons_interaction_model_classes(path: Path) -> None:
    model = DefaultSerializer().deserialize(path.read_text(encoding="utf-8"), InteractionModelData)

    assert isinstance(model, InteractionModelData)
    schema = model.interaction_model
    names = {intent.name for intent in schema.language_model.intents}
    assert set(CONTRACT_INTENTS) | BUILT_IN_INTENTS <= names
    log_day = next(i for i in schema.language_model.intents if i.name == "LogDayIntent")
    assert {s.name: s.object_type for s in log_day.slots} == CONTRACT_INTENTS["LogDayIntent"]
    assert {t.name for t in schema.language_model.types} >= set(CONTRACT_VALUE_IDS)
    assert schema.dialog.delegation_strategy is DelegationStrategyType.SKILL_RESPONSE
    assert {p.id for p in schema.prompts}, "the model declares no prompts"


@locale_files
def test_the_invocation_name_is_a_valid_spoken_name(path: Path) -> None:
    name = _language_model(_load(path))["invocationName"]

    assert name == name.lower().strip()
    assert name
    assert not any(ch.isdigit() for ch in name)
    if _locale(path).startswith("en-"):
        assert name == "comeback coach"


@locale_files
def test_every_intent_of_the_product_contract_is_in_the_model(path: Path) -> None:
    intents = _intents(_load(path))

    missing = (set(CONTRACT_INTENTS) | BUILT_IN_INTENTS) - set(intents)
    assert not missing, f"missing intents: {sorted(missing)}"
    stray = set(_custom_intents(_load(path))) - set(CONTRACT_INTENTS)
    assert not stray, f"custom intents not in the product contract: {sorted(stray)}"


@locale_files
def test_every_contract_intent_declares_exactly_its_contract_slots(path: Path) -> None:
    intents = _intents(_load(path))

    for name, slots in CONTRACT_INTENTS.items():
        declared = {s["name"]: s["type"] for s in intents[name].get("slots", [])}
        assert declared == slots, name
    for name in BUILT_IN_INTENTS:
        assert not intents[name].get("slots"), name


@locale_files
def test_every_slot_type_has_exactly_the_contract_value_ids(path: Path) -> None:
    types = _types(_load(path))

    for type_name, ids in CONTRACT_VALUE_IDS.items():
        assert type_name in types, f"missing slot type {type_name}"
        declared = [v["id"] for v in types[type_name]["values"]]
        assert sorted(declared) == sorted(ids), type_name
    used = {s["type"] for i in _intents(_load(path)).values() for s in i.get("slots", [])}
    assert set(types) <= used, f"slot types no slot uses: {sorted(set(types) - used)}"


@locale_files
def test_every_slot_value_has_synonyms(path: Path) -> None:
    for type_name, slot_type in _types(_load(path)).items():
        for value in slot_type["values"]:
            assert value["name"]["value"].strip(), (type_name, value["id"])
            assert len(value["name"].get("synonyms", [])) >= 3, (type_name, value["id"])


@locale_files
def test_synonyms_do_not_collide_across_values_of_a_slot_type(path: Path) -> None:
    for type_name, slot_type in _types(_load(path)).items():
        owners: dict[str, set[str]] = defaultdict(set)
        for value in slot_type["values"]:
            phrases = [value["name"]["value"], *value["name"].get("synonyms", [])]
            normalized = [_normalize(p) for p in phrases]
            assert len(normalized) == len(set(normalized)), (type_name, value["id"], "repeats")
            for phrase in normalized:
                owners[phrase].add(value["id"])
        clashes = {p: sorted(ids) for p, ids in owners.items() if len(ids) > 1}
        assert not clashes, f"{type_name}: {clashes}"


@locale_files
def test_slot_values_and_synonyms_have_no_digits(path: Path) -> None:
    for type_name, phrases in (
        (t, p) for t, st in _types(_load(path)).items() for p in _phrases_of(st).values()
    ):
        for phrase in phrases:
            assert not any(unicodedata.category(ch).startswith("N") for ch in phrase), (
                type_name,
                phrase,
            )


@locale_files
def test_every_custom_intent_has_at_least_ten_samples(path: Path) -> None:
    for name, intent in _custom_intents(_load(path)).items():
        samples = {_normalize(s) for s in intent.get("samples", [])}
        assert len(samples) >= MIN_SAMPLES_PER_CUSTOM_INTENT, f"{name}: {len(samples)} samples"


@locale_files
def test_no_intent_lists_the_same_sample_twice(path: Path) -> None:
    for name, intent in _intents(_load(path)).items():
        samples = [_normalize(s) for s in intent.get("samples", [])]
        repeated = sorted({s for s in samples if samples.count(s) > 1})
        assert not repeated, f"{name}: {repeated}"


@locale_files
def test_no_sample_utterance_is_shared_by_two_intents(path: Path) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for name, intent in _intents(_load(path)).items():
        for sample in intent.get("samples", []):
            owners[_normalize(sample)].add(name)

    shared = {s: sorted(names) for s, names in owners.items() if len(names) > 1}
    assert not shared, shared


@locale_files
def test_samples_only_use_slots_their_intent_declares(path: Path) -> None:
    intents = _intents(_load(path))

    for intent_name, slot_name, sample in _all_samples(_load(path)):
        declared = {s["name"] for s in intents[intent_name].get("slots", [])}
        used = _slots_in(sample)
        assert set(used) <= declared, (intent_name, sample)
        assert len(used) == len(set(used)), (intent_name, sample, "slot used twice")
        assert sample.count("{") == sample.count("}") == len(used), (intent_name, sample)
        if slot_name is not None:
            assert slot_name in used, (intent_name, slot_name, sample)


@locale_files
def test_samples_have_no_digits_and_no_punctuation_but_apostrophes_and_abbreviations(
    path: Path,
) -> None:
    for intent_name, _slot, sample in _all_samples(_load(path)):
        words = SLOT_REF.sub(" ", sample)
        assert sample == sample.strip() and "  " not in sample, (intent_name, sample)
        for ch in words:
            category = unicodedata.category(ch)
            assert not category.startswith("N"), (intent_name, sample, "digit")
            if category.startswith("P") or category.startswith("S"):
                assert ch in "'.", (intent_name, sample, ch)
        for token in words.split():
            if "." in token:
                assert re.fullmatch(r"(\w\.)+", token), (intent_name, sample, "period")


@locale_files
def test_no_intent_sample_is_only_a_slot(path: Path) -> None:
    # A bare "{contact}" would take "yes" and "no" away from AMAZON.YesIntent and NoIntent;
    # bare answers belong in the slot's elicitation samples instead.
    for name, intent in _intents(_load(path)).items():
        for sample in intent.get("samples", []):
            assert SLOT_REF.sub("", sample).strip(), (name, sample)


@locale_files
def test_log_day_samples_use_each_slot_alone_and_together(path: Path) -> None:
    samples = _intents(_load(path))["LogDayIntent"]["samples"]
    slot_sets = {frozenset(_slots_in(s)) for s in samples}

    assert frozenset() in slot_sets, "no sample without slots, like 'log my day'"
    for slot in ("contact", "activity", "confidence"):
        assert frozenset({slot}) in slot_sets, f"no sample with {slot} alone"
    assert frozenset({"contact", "activity", "confidence"}) in slot_sets
    assert sum(len(s) == 2 for s in slot_sets) >= 2, "too few two-slot combinations"


@locale_files
def test_every_elicited_slot_has_elicitation_samples_for_a_bare_answer(path: Path) -> None:
    intents = _intents(_load(path))

    for intent_name, slot_names in ELICITED_SLOTS.items():
        slots = {s["name"]: s for s in intents[intent_name]["slots"]}
        for slot_name in slot_names:
            samples = slots[slot_name].get("samples", [])
            assert f"{{{slot_name}}}" in samples, (intent_name, slot_name)


@locale_files
def test_the_dialog_model_leaves_delegation_to_the_skill(path: Path) -> None:
    dialog = _load(path)["interactionModel"]["dialog"]

    assert dialog["delegationStrategy"] == "SKILL_RESPONSE"
    for intent in dialog["intents"]:
        assert intent.get("delegationStrategy", "SKILL_RESPONSE") == "SKILL_RESPONSE"
        assert intent["confirmationRequired"] is False, intent["name"]
        for slot in intent["slots"]:
            assert slot["confirmationRequired"] is False, (intent["name"], slot["name"])


@locale_files
def test_every_slot_elicited_by_the_dialog_model_has_a_prompt_in_prompts(path: Path) -> None:
    data = _load(path)
    intents = _intents(data)
    prompts = {p["id"]: p for p in data["interactionModel"]["prompts"]}
    referenced: set[str] = set()

    for intent in data["interactionModel"]["dialog"]["intents"]:
        declared = {s["name"]: s["type"] for s in intents[intent["name"]].get("slots", [])}
        for slot in intent["slots"]:
            assert declared.get(slot["name"]) == slot["type"], (intent["name"], slot["name"])
            refs = dict(slot.get("prompts", {}))
            if slot["elicitationRequired"]:
                assert "elicitation" in refs, (intent["name"], slot["name"])
            for prompt_id in refs.values():
                referenced.add(prompt_id)
                assert prompt_id in prompts, f"{intent['name']}.{slot['name']}: {prompt_id}"
                variations = prompts[prompt_id]["variations"]
                assert variations, prompt_id
                for variation in variations:
                    assert variation["type"] in {"PlainText", "SSML"}, prompt_id
                    assert variation["value"].strip(), prompt_id
    assert set(prompts) == referenced, f"unused prompts: {sorted(set(prompts) - referenced)}"


@pytest.mark.parametrize(("intent_name", "slot_names"), sorted(ELICITED_SLOTS.items()))
@locale_files
def test_the_dialog_model_declares_every_slot_the_skill_elicits(
    path: Path, intent_name: str, slot_names: list[str]
) -> None:
    dialog = _load(path)["interactionModel"]["dialog"]
    intent = next((i for i in dialog["intents"] if i["name"] == intent_name), None)

    assert intent is not None, f"{intent_name} is not in the dialog model"
    assert intent["delegationStrategy"] == "SKILL_RESPONSE"
    slots = {s["name"]: s for s in intent["slots"]}
    for slot_name in slot_names:
        assert slot_name in slots, (intent_name, slot_name)
        assert slots[slot_name]["elicitationRequired"] is True, (intent_name, slot_name)
        assert (
            slots[slot_name]["prompts"]["elicitation"] == f"Elicit.Slot.{intent_name}.{slot_name}"
        )


def test_en_us_elicitation_prompts_offer_the_answers_the_skill_understands() -> None:
    data = _load(MODELS_DIR / "en-US.json")
    prompts = {
        p["id"]: " ".join(v["value"].lower() for v in p["variations"])
        for p in data["interactionModel"]["prompts"]
    }

    assert "no contact" in prompts["Elicit.Slot.LogDayIntent.contact"]
    assert "necessary" in prompts["Elicit.Slot.LogDayIntent.contact"]
    assert "self care" in prompts["Elicit.Slot.LogDayIntent.activity"]
    assert "one to ten" in prompts["Elicit.Slot.LogDayIntent.confidence"]
    assert "no spark" in prompts["Elicit.Slot.MeetingOutcomeIntent.outcome"]


@pytest.mark.parametrize(
    ("intent_name", "spoken"),
    [(name, text) for name, texts in EN_US_CONTRACT_EXAMPLES.items() for text in texts],
)
def test_en_us_understands_every_example_utterance_of_the_product_contract(
    intent_name: str, spoken: str
) -> None:
    assert _understood_as(_load(MODELS_DIR / "en-US.json"), spoken) == {intent_name}


@pytest.mark.parametrize(
    ("type_name", "value_id", "spoken"),
    [
        ("CONTACT_STATUS", "NONE", "no contact"),
        ("CONTACT_STATUS", "NONE", "I didn't contact them"),
        ("CONTACT_STATUS", "SOME", "I texted them"),
        ("CONTACT_STATUS", "SOME", "we talked"),
        ("CONTACT_STATUS", "NECESSARY", "only about the kids"),
        ("CONTACT_STATUS", "NECESSARY", "logistics"),
        ("ACTIVITY", "NEW_LOOK", "haircut"),
        ("ACTIVITY", "NEW_LOOK", "new clothes"),
        ("ACTIVITY", "EXERCISE", "gym"),
        ("ACTIVITY", "EXERCISE", "yoga"),
        ("ACTIVITY", "NONE", "nothing"),
        ("MEETING_OUTCOME", "NO_SPARK", "no spark"),
        ("MEETING_OUTCOME", "UNSURE", "not sure"),
        ("MEETING_OUTCOME", "AGAIN", "they want to meet again"),
    ],
)
def test_en_us_slot_values_resolve_the_contract_phrases_to_their_ids(
    type_name: str, value_id: str, spoken: str
) -> None:
    phrases = _phrases_of(_types(_load(MODELS_DIR / "en-US.json"))[type_name])

    assert _normalize(spoken) in phrases[value_id]


# ---------------------------------------------------------------- skill manifest


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = _load(MANIFEST_PATH)["manifest"]
    return manifest


def test_the_manifest_deserializes_into_amazons_manifest_classes() -> None:
    envelope = DefaultSerializer().deserialize(
        MANIFEST_PATH.read_text(encoding="utf-8"), SkillManifestEnvelope
    )

    manifest = envelope.manifest
    assert manifest.manifest_version.value == "1.0"
    assert manifest.publishing_information.locales["en-US"].name == "Comeback Coach"
    assert "US" in [c.value for c in manifest.publishing_information.distribution_countries]
    assert manifest.publishing_information.is_available_worldwide is False
    assert manifest.apis.custom.endpoint.uri.startswith("arn:aws:lambda:")
    assert {e.event_name.value for e in manifest.events.subscriptions} == {
        "SKILL_ENABLED",
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
    }
    assert [p.name.value for p in manifest.permissions] == [
        "alexa::alerts:reminders:skill:readwrite"
    ]


def test_the_manifest_sends_skill_events_to_the_skill_endpoint() -> None:
    manifest = _manifest()
    arn = manifest["apis"]["custom"]["endpoint"]["uri"]

    assert re.fullmatch(r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+", arn)
    assert manifest["events"]["endpoint"]["uri"] == arn
    assert [s["eventName"] for s in manifest["events"]["subscriptions"]] == [
        "SKILL_ENABLED",
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
    ]


def test_the_manifest_asks_for_the_reminders_permission() -> None:
    names = [p["name"] for p in _manifest()["permissions"]]

    assert "alexa::alerts:reminders:skill:readwrite" in names


def test_the_en_us_description_says_it_is_not_a_substitute_for_professional_help() -> None:
    en_us = _manifest()["publishingInformation"]["locales"]["en-US"]
    description = " ".join(en_us["description"].split())

    assert "not a substitute for professional help" in description
    assert "988" in description
    assert en_us["name"] == "Comeback Coach"
    assert 0 < len(en_us["summary"]) <= 160
    assert len(description) <= 4000


def test_the_manifest_example_phrases_are_sample_utterances_of_the_en_us_model() -> None:
    data = _load(MODELS_DIR / "en-US.json")
    invocation = _language_model(data)["invocationName"]
    phrases = _manifest()["publishingInformation"]["locales"]["en-US"]["examplePhrases"]

    assert phrases[0] == f"Alexa, open {invocation}"
    assert 1 <= len(phrases) <= 3
    for phrase in phrases[1:]:
        m = re.fullmatch(rf"Alexa, ask {re.escape(invocation)} (?:to )?(.+)", phrase)
        assert m, phrase
        assert _understood_as(data, m.group(1)), phrase


def test_the_manifest_privacy_answers_match_the_skill() -> None:
    privacy = _manifest()["privacyAndCompliance"]

    assert privacy["allowsPurchases"] is False
    assert privacy["usesPersonalInfo"] is False
    assert privacy["isChildDirected"] is False
    assert privacy["isExportCompliant"] is True
    assert privacy["containsAds"] is False


@locale_files
def test_every_model_locale_is_published_in_the_manifest(path: Path) -> None:
    manifest = _manifest()
    locale = _locale(path)
    published = manifest["publishingInformation"]["locales"].get(locale)
    legal = manifest["privacyAndCompliance"]["locales"].get(locale)

    assert published is not None, f"{locale} has no publishing information"
    assert legal is not None, f"{locale} has no privacy policy"
    assert published["name"] and published["summary"] and published["description"]
    assert published["examplePhrases"] and published["keywords"]
    for url in (
        published["smallIconUri"],
        published["largeIconUri"],
        legal["privacyPolicyUrl"],
        legal["termsOfUseUrl"],
    ):
        assert url.startswith("https://"), url
