"""`comeback-coach models evaluate`: NLU annotation sets read and scored with the console's
resolver, on the small test model and on the en-US starter set."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.nlu.evaluations.expected import Expected
from ask_smapi_model.v1.skill.nlu.evaluations.inputs import Inputs

from coach_console.evaluation import (
    Annotation,
    AnnotationError,
    Evaluator,
    Score,
    intent_threshold,
    parse_annotations,
    read_annotations,
    score_table,
)
from coach_console.model import InteractionModel
from skill.cli import main

from .conftest import REPO, SMALL_MODEL

STARTER = REPO / "tests" / "fixtures" / "evaluation" / "en-US.json"


def annotation_set(*rows: tuple[str, str, dict[str, str]]) -> dict[str, Any]:
    """An NLU annotation set body."""
    return {
        "data": [
            {
                "inputs": {"utterance": utterance},
                "expected": [
                    {
                        "intent": {
                            "name": intent,
                            **(
                                {"slots": {k: {"value": v} for k, v in slots.items()}}
                                if slots
                                else {}
                            ),
                        }
                    }
                ],
            }
            for utterance, intent, slots in rows
        ]
    }


@pytest.fixture
def evaluator(small_model: InteractionModel) -> Evaluator:
    return Evaluator(small_model)


def test_the_starter_set_is_an_nlu_annotation_set_body_amazons_classes_read() -> None:
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    serializer = DefaultSerializer()
    for entry in data["data"]:
        inputs = serializer.deserialize(json.dumps(entry["inputs"]), Inputs)
        expected = serializer.deserialize(json.dumps(entry["expected"][0]), Expected)
        assert inputs.utterance == entry["inputs"]["utterance"]
        assert expected.intent.name == entry["expected"][0]["intent"]["name"]
        slots = entry["expected"][0]["intent"].get("slots") or {}
        assert {k: v.value for k, v in (expected.intent.slots or {}).items()} == {
            k: v["value"] for k, v in slots.items()
        }
    annotations = read_annotations(STARTER)
    assert len(annotations) == len(data["data"])
    assert Annotation("remind me every day at nine pm", "SetReminderIntent", {"time": "21:00"}) in (
        annotations
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], '{"data": [...]}'),
        ({"data": [{"expected": [{"intent": {"name": "X"}}]}]}, "data[0]: missing or malformed"),
        ({"data": [{"inputs": {"utterance": " "}, "expected": []}]}, "non-empty string"),
        (
            {"data": [{"inputs": {"utterance": "hi"}, "expected": [{}, {}]}]},
            "exactly one entry",
        ),
        (
            {"data": [{"inputs": {"utterance": "hi"}, "expected": [{"intent": {"name": ""}}]}]},
            "intent.name",
        ),
    ],
)
def test_a_set_that_is_not_an_annotation_set_is_refused_with_where(data: Any, message: str) -> None:
    with pytest.raises(AnnotationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_annotations(data)


def test_intent_accuracy_is_the_share_of_annotations_understood_as_their_intent(
    evaluator: Evaluator,
) -> None:
    annotations = parse_annotations(
        annotation_set(
            ("log my day please", "LogDayIntent", {}),
            ("how many days now", "StreakIntent", {}),
            ("I texted my ex again", "SlipIntent", {}),
            ("sing me a song about the weather", "StreakIntent", {}),
        )
    )
    score = evaluator.score("en-US", annotations)
    assert score.intent_accuracy == 0.75
    assert [miss.annotation.utterance for miss in score.misses()] == [
        "sing me a song about the weather"
    ]
    assert score.slot_accuracy is None
    assert "no annotation expects a slot" in score.shortfalls()


def test_a_slot_is_right_by_its_value_or_by_the_same_value_id(evaluator: Evaluator) -> None:
    annotations = parse_annotations(
        annotation_set(
            # heard "no contact" and "gym": right by the ids NONE and EXERCISE; "eight" is 8
            (
                "no contact today I went to the gym I feel eight",
                "LogDayIntent",
                {"contact": "no", "activity": "exercise", "confidence": "eight"},
            ),
            # the value itself
            ("remind me at nine pm", "SetReminderIntent", {"time": "21:00"}),
        )
    )
    score = evaluator.score("en-US", annotations)
    assert (score.slots_right, score.slots_counted) == (4, 4)
    assert score.slot_accuracy == 1.0


def test_a_wrong_missing_or_extra_slot_counts_as_wrong(evaluator: Evaluator) -> None:
    annotations = parse_annotations(
        annotation_set(
            # contact wrong (no contact is not some contact), activity right, confidence extra
            (
                "no contact today I went to the gym I feel eight",
                "LogDayIntent",
                {"contact": "some contact", "activity": "exercise"},
            ),
            # missing: nothing fills the confidence here
            ("log my day", "LogDayIntent", {"confidence": "7"}),
            # the wrong intent loses its slots
            ("what's my streak", "SetReminderIntent", {"time": "21:00"}),
        )
    )
    score = evaluator.score("en-US", annotations)
    assert (score.slots_right, score.slots_counted) == (1, 5)
    assert score.shortfalls() == [
        "intent accuracy 66.7% is below 95%",
        "slot accuracy 20.0% is below 90%",
    ]


def test_an_invocation_prefix_is_taken_off_as_the_chat_does(evaluator: Evaluator) -> None:
    annotations = parse_annotations(
        annotation_set(("Alexa, ask comeback coach how many days", "StreakIntent", {}))
    )
    assert evaluator.score("en-US", annotations).intent_accuracy == 1.0


def test_thresholds_are_stricter_for_english() -> None:
    assert intent_threshold("en-GB") == 0.95
    assert intent_threshold("de-DE") == 0.90


def test_the_table_says_each_locales_scores_and_whether_it_passes(evaluator: Evaluator) -> None:
    annotations = parse_annotations(
        annotation_set(("my confidence is eight", "LogDayIntent", {"confidence": "8"}))
    )
    scores = [evaluator.score("en-US", annotations), Score("de-DE", [])]
    assert score_table(scores, markdown=True) == [
        "| locale | annotations | intent accuracy | needed | slot accuracy | passes |",
        "|---|---|---|---|---|---|",
        "| en-US | 1 | 100.0% | 95% | 100.0% (1/1) | yes |",
        "| de-DE | 0 | 0.0% | 90% | n/a | NO |",
    ]


def _models_with(tmp_path: Path, evaluation: dict[str, Any] | None) -> Path:
    folder = tmp_path / "models"
    folder.mkdir(parents=True)
    (folder / "en-US.json").write_text(json.dumps(SMALL_MODEL), encoding="utf-8")
    if evaluation is not None:
        (folder / "evaluation").mkdir()
        (folder / "evaluation" / "en-US.json").write_text(json.dumps(evaluation), encoding="utf-8")
    return folder


def test_the_command_passes_a_locale_at_its_thresholds_and_fails_one_below(
    tmp_path: Path,
) -> None:
    good = _models_with(
        tmp_path / "good",
        annotation_set(
            ("log my day please", "LogDayIntent", {}),
            ("my confidence is eight", "LogDayIntent", {"confidence": "8"}),
        ),
    )
    out = io.StringIO()
    assert main(["models", "evaluate", "--models-dir", str(good), "--markdown"], stdout=out) == 0
    assert "| en-US | 2 | 100.0% | 95% | 100.0% (1/1) | yes |" in out.getvalue()

    bad = _models_with(
        tmp_path / "bad",
        annotation_set(
            ("sing me a song", "LogDayIntent", {}),
            ("my confidence is eight", "LogDayIntent", {"confidence": "8"}),
        ),
    )
    out, err = io.StringIO(), io.StringIO()
    argv = ["models", "evaluate", "--models-dir", str(bad), "-v"]
    assert main(argv, stdout=out, stderr=err) == 1
    assert (
        'en-US  missed "sing me a song": expected LogDayIntent, heard AMAZON.FallbackIntent'
        in out.getvalue()
    )
    assert "en-US  LogDayIntent: 1 of 2 understood" in out.getvalue()
    assert "en-US: intent accuracy 50.0% is below 95%" in err.getvalue()


def test_a_locale_without_an_evaluation_set_fails(tmp_path: Path) -> None:
    err = io.StringIO()
    folder = _models_with(tmp_path, None)
    assert main(["models", "evaluate", "--models-dir", str(folder)], stderr=err) == 1
    assert "en-US: no evaluation set" in err.getvalue()


def test_the_starter_set_runs_against_the_real_en_us_model(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(REPO / "interaction_models" / "en-US.json", folder)
    (folder / "evaluation").mkdir()
    shutil.copy(STARTER, folder / "evaluation" / "en-US.json")
    out = io.StringIO()
    main(["models", "evaluate", "--models-dir", str(folder)], stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines()[1].startswith("en-US            16")
