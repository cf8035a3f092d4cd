"""`comeback-coach models evaluate`: how well the console's offline resolver understands each
locale's evaluation set.

An evaluation set is `interaction_models/evaluation/<locale>.json`, the body of the Alexa NLU
Evaluation Tool's "update annotations" request, so the same file can be run against the real
model with `ask smapi update-annotations-for-nlu-annotation-sets`:

    {"data": [{"inputs": {"utterance": "..."},
               "expected": [{"intent": {"name": "X", "slots": {"slot": {"value": "..."}}}}]}]}

Each utterance is resolved the way `comeback-coach chat` resolves what is typed (an "ask
<invocation name> to ..." prefix is taken off first). Intent accuracy is the share of
annotations resolved to their expected intent. Slot accuracy counts, over the annotations that
expect slots, every expected slot and every extra one the resolver filled: an expected slot is
right when its value matches the resolved value once both are normalised (the same number for
AMAZON.NUMBER), or when both resolve to the same custom slot value id; a missing or extra slot
is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import InteractionModel
from .nlu import Resolution, Resolver, SlotFill

EVALUATION_DIR = "evaluation"
SLOT_THRESHOLD = 0.90
EVALUATION_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000000"


def intent_threshold(locale: str) -> float:
    """The intent accuracy a locale must reach: 95% in English, 90% elsewhere."""
    return 0.95 if locale.lower().startswith("en-") else 0.90


class AnnotationError(ValueError):
    """An evaluation set that is not an NLU annotation set body."""


@dataclass(frozen=True)
class Annotation:
    """One utterance with the intent and slot values it should be understood as."""

    utterance: str
    intent: str
    slots: Mapping[str, str] = field(default_factory=dict)


def parse_annotations(data: Any) -> list[Annotation]:
    """The annotations of an NLU annotation set body; AnnotationError if it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise AnnotationError('expected {"data": [...]}')
    annotations = []
    for index, entry in enumerate(data["data"]):
        where = f"data[{index}]"
        try:
            utterance = entry["inputs"]["utterance"]
            expected = entry["expected"]
            if not isinstance(utterance, str) or not utterance.strip():
                raise AnnotationError(f"{where}: inputs.utterance must be a non-empty string")
            if not isinstance(expected, list) or len(expected) != 1:
                raise AnnotationError(f"{where}: expected must hold exactly one entry")
            intent = expected[0]["intent"]
            name = intent["name"]
            raw_slots = intent.get("slots") or {}
            slots = {str(slot): str(value["value"]) for slot, value in raw_slots.items()}
        except (KeyError, TypeError, AttributeError) as error:
            raise AnnotationError(f"{where}: missing or malformed {error}") from None
        if not isinstance(name, str) or not name:
            raise AnnotationError(f"{where}: expected[0].intent.name must be a string")
        annotations.append(Annotation(utterance, name, slots))
    return annotations


def read_annotations(path: Path) -> list[Annotation]:
    """The annotations in `path`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise AnnotationError(f"{path.name} is not JSON: {error}") from None
    return parse_annotations(data)


@dataclass(frozen=True)
class Outcome:
    """How one annotation was understood."""

    annotation: Annotation
    resolution: Resolution
    slots_right: int
    slots_counted: int

    @property
    def intent_right(self) -> bool:
        """Whether the expected intent was understood."""
        return self.resolution.intent == self.annotation.intent

    def describe(self) -> str:
        """The miss, as one line."""
        heard = ", ".join(
            f"{name}={fill.value!r}"
            for name, fill in self.resolution.slots.items()
            if fill.value is not None
        )
        expected = ", ".join(f"{name}={value!r}" for name, value in self.annotation.slots.items())
        return (
            f'"{self.annotation.utterance}": expected {self.annotation.intent}'
            + (f" ({expected})" if expected else "")
            + f", heard {self.resolution.intent}"
            + (f" ({heard})" if heard else "")
        )


@dataclass(frozen=True)
class Score:
    """A locale's scores on its evaluation set."""

    locale: str
    outcomes: Sequence[Outcome]

    @property
    def annotations(self) -> int:
        """How many annotations were evaluated."""
        return len(self.outcomes)

    @property
    def intent_accuracy(self) -> float:
        """The share of annotations understood as their expected intent."""
        if not self.outcomes:
            return 0.0
        return sum(outcome.intent_right for outcome in self.outcomes) / len(self.outcomes)

    @property
    def slots_right(self) -> int:
        """Expected slots understood right."""
        return sum(outcome.slots_right for outcome in self.outcomes)

    @property
    def slots_counted(self) -> int:
        """Expected slots, and extra slots filled, over the annotations that expect slots."""
        return sum(outcome.slots_counted for outcome in self.outcomes)

    @property
    def slot_accuracy(self) -> float | None:
        """Right slots over counted slots; None when no annotation expects a slot."""
        if not self.slots_counted:
            return None
        return self.slots_right / self.slots_counted

    def by_intent(self) -> dict[str, tuple[int, int]]:
        """Per expected intent: how many annotations were understood as it, out of how many."""
        counts: dict[str, tuple[int, int]] = {}
        for outcome in self.outcomes:
            right, total = counts.get(outcome.annotation.intent, (0, 0))
            counts[outcome.annotation.intent] = (right + outcome.intent_right, total + 1)
        return dict(sorted(counts.items()))

    def misses(self) -> list[Outcome]:
        """The annotations with a wrong intent or a wrong slot."""
        return [
            outcome
            for outcome in self.outcomes
            if not outcome.intent_right or outcome.slots_right < outcome.slots_counted
        ]

    def shortfalls(self) -> list[str]:
        """Why the locale does not meet its thresholds (nothing when it does)."""
        problems = []
        if not self.outcomes:
            problems.append("no annotations")
        elif self.intent_accuracy < intent_threshold(self.locale):
            problems.append(
                f"intent accuracy {self.intent_accuracy:.1%} is below "
                f"{intent_threshold(self.locale):.0%}"
            )
        slots = self.slot_accuracy
        if slots is None:
            problems.append("no annotation expects a slot")
        elif slots < SLOT_THRESHOLD:
            problems.append(f"slot accuracy {slots:.1%} is below {SLOT_THRESHOLD:.0%}")
        return problems


class Evaluator:
    """Resolves annotations with the console's resolver for one locale's model."""

    def __init__(self, model: InteractionModel, *, skill_id: str = EVALUATION_SKILL_ID) -> None:
        self.model = model
        self.resolver = Resolver(model, skill_id=skill_id)

    def understand(self, utterance: str) -> Resolution:
        """What the console makes of `utterance`, as `chat` would."""
        text = utterance
        invocation = self.resolver.split_invocation(text)
        if invocation is not None:
            kind, rest = invocation
            text = rest if kind == "intent" else ""
        return self.resolver.resolve(text)

    def outcome(self, annotation: Annotation) -> Outcome:
        """How `annotation` was understood, with its slots counted."""
        resolution = self.understand(annotation.utterance)
        if not annotation.slots:
            return Outcome(annotation, resolution, 0, 0)
        heard = {name: fill for name, fill in resolution.slots.items() if fill.value is not None}
        same_intent = resolution.intent == annotation.intent
        right = sum(
            1
            for name, value in annotation.slots.items()
            if same_intent
            and name in heard
            and self.same_value(annotation.intent, name, value, heard[name])
        )
        extra = sum(1 for name in heard if name not in annotation.slots)
        return Outcome(annotation, resolution, right, len(annotation.slots) + extra)

    def same_value(self, intent: str, slot: str, expected: str, fill: SlotFill) -> bool:
        """Whether the resolved slot holds the expected value."""
        pack = self.model.language
        said = fill.value or ""
        if pack.tokenize(expected) == pack.tokenize(said):
            return True
        definition = self.model.intents.get(intent)
        slot_type = definition.slots.get(slot) if definition else None
        if slot_type == "AMAZON.NUMBER":
            wanted = pack.parse_number(pack.tokenize(expected))
            return wanted is not None and wanted == pack.parse_number(pack.tokenize(said))
        kind = self.model.types.get(slot_type or "")
        if kind is None:
            return False
        ids = {value.id for value in kind.phrases.get(" ".join(pack.tokenize(expected)), ())}
        return fill.resolved_id() in ids

    def score(self, locale: str, annotations: Sequence[Annotation]) -> Score:
        """The scores of `annotations`."""
        return Score(locale, [self.outcome(annotation) for annotation in annotations])


def evaluation_path(models_dir: Path, locale: str) -> Path:
    """Where a locale's evaluation set lives."""
    return models_dir / EVALUATION_DIR / f"{locale}.json"


def score_table(scores: Sequence[Score], *, markdown: bool = False) -> list[str]:
    """The scores per locale as text (or Markdown) lines."""
    rows = []
    for score in scores:
        slots = score.slot_accuracy
        rows.append(
            [
                score.locale,
                str(score.annotations),
                f"{score.intent_accuracy:.1%}",
                f"{intent_threshold(score.locale):.0%}",
                "n/a"
                if slots is None
                else f"{slots:.1%} ({score.slots_right}/{score.slots_counted})",
                "yes" if not score.shortfalls() else "NO",
            ]
        )
    header = ["locale", "annotations", "intent accuracy", "needed", "slot accuracy", "passes"]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return lines
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
