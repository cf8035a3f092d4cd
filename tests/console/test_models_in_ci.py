"""The 17 real interaction models in CI: no checker finding, an evaluation set per locale that
is not the samples, the console's scores on it at or above the thresholds, and example phrases
the console understands (issue 17)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.nlu.evaluations.expected import Expected
from ask_smapi_model.v1.skill.nlu.evaluations.inputs import Inputs

from coach_console.checker import Source, Utterances, check_locale, read_model, split_invocation
from coach_console.evaluation import (
    SLOT_THRESHOLD,
    Evaluator,
    evaluation_path,
    intent_threshold,
    read_annotations,
)
from coach_console.model import FALLBACK_INTENT, InteractionModel
from coach_console.nlu import Resolver

SOURCE = Source.default()
LOCALES = SOURCE.locales()
MIN_ANNOTATIONS_PER_CUSTOM_INTENT = 10
SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"


def test_all_seventeen_locales_are_checked() -> None:
    assert len(LOCALES) == 17


@pytest.mark.parametrize("locale", LOCALES)
def test_the_model_checker_finds_nothing(locale: str) -> None:
    findings = check_locale(SOURCE, locale)
    assert not findings, "\n".join(finding.render() for finding in findings)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_evaluation_set_has_ten_annotations_per_custom_intent_in_amazons_format(
    locale: str,
) -> None:
    path = evaluation_path(SOURCE.directory, locale)
    assert path.is_file(), f"no evaluation set for {locale}"
    serializer = DefaultSerializer()
    for entry in json.loads(path.read_text(encoding="utf-8"))["data"]:
        assert set(entry) == {"inputs", "expected"}
        inputs = serializer.deserialize(json.dumps(entry["inputs"]), Inputs)
        assert inputs.utterance
        for expected in entry["expected"]:
            assert serializer.deserialize(json.dumps(expected), Expected).intent.name
    annotations = read_annotations(path)
    model = InteractionModel.load(locale, [SOURCE.directory])
    unknown = {a.intent for a in annotations} - set(model.intents) - {FALLBACK_INTENT}
    assert not unknown, f"annotations expect intents the model lacks: {sorted(unknown)}"
    for annotation in annotations:
        slots = model.intents[annotation.intent].slots if annotation.intent in model.intents else {}
        assert set(annotation.slots) <= set(slots), annotation
    per_intent = Counter(annotation.intent for annotation in annotations)
    thin = {
        name: per_intent[name]
        for name in model.intents
        if not name.startswith("AMAZON.") and per_intent[name] < MIN_ANNOTATIONS_PER_CUSTOM_INTENT
    }
    assert not thin, f"fewer than {MIN_ANNOTATIONS_PER_CUSTOM_INTENT} annotations: {thin}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_evaluation_utterance_is_one_of_the_models_samples(locale: str) -> None:
    path = evaluation_path(SOURCE.directory, locale)
    if not path.is_file():
        pytest.fail(f"no evaluation set for {locale}")
    model = read_model(locale, SOURCE.model(locale))
    own = [sample for sample in model.samples if not sample.builtin]  # not the console's
    utterances = Utterances.of([*own, *model.slot_samples])
    samples = [
        annotation.utterance
        for annotation in read_annotations(path)
        if model.normalize(annotation.utterance) in utterances
    ]
    assert not samples, f"evaluation utterances that are samples: {samples}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_console_understands_the_evaluation_set_well_enough(locale: str) -> None:
    path = evaluation_path(SOURCE.directory, locale)
    if not path.is_file():
        pytest.fail(f"no evaluation set for {locale}")
    model = InteractionModel.load(locale, [SOURCE.directory])
    score = Evaluator(model).score(locale, read_annotations(path))
    misses = "\n".join(miss.describe() for miss in score.misses())
    assert score.intent_accuracy >= intent_threshold(locale), misses
    assert score.slot_accuracy is not None, "no annotation expects a slot"
    assert score.slot_accuracy >= SLOT_THRESHOLD, misses


@pytest.mark.parametrize("locale", LOCALES)
def test_the_console_understands_every_example_phrase_of_the_locale(locale: str) -> None:
    phrases = SOURCE.example_phrases(locale)
    assert phrases, f"the manifest has no example phrases for {locale}"
    model = InteractionModel.load(locale, [SOURCE.directory])
    resolver = Resolver(model, skill_id=SKILL_ID)
    checked = read_model(locale, SOURCE.model(locale))
    for phrase in phrases:
        assert split_invocation(checked, phrase) is not None, phrase
        invocation = resolver.split_invocation(phrase)
        assert invocation is not None, f"the console does not hear the skill named in {phrase!r}"
        kind, rest = invocation
        if kind == "intent":
            assert resolver.resolve(rest).intent != FALLBACK_INTENT, phrase
