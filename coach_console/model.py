"""A locale's ASK interaction model as the console's resolver reads it: intents with their
sample utterances (as words and slot references), slot types with their values and synonyms,
and where the model files are found (`skill.paths.interaction_model_dirs()`, as the skill
itself finds them). Nothing here matches an utterance: that is `nlu`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from skill.paths import interaction_model_dirs

from .languages import LanguagePack, language_for

FALLBACK_INTENT = "AMAZON.FallbackIntent"
REQUIRED_BUILTINS = (
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
)
DEFAULT_LOCALE = "en-US"


class ModelNotFoundError(LookupError):
    """No interaction model exists for the requested locale."""


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class SlotRef:
    """A `{slot}` placeholder inside a sample utterance."""

    name: str


Item = str | SlotRef


@dataclass(frozen=True)
class Sample:
    """One sample utterance of an intent, as words and slot references."""

    intent: str
    items: tuple[Item, ...]
    text: str
    for_slot: str | None = None  # set for a slot's own elicitation samples

    @cached_property
    def literals(self) -> tuple[str, ...]:
        """The plain words of the sample, in order."""
        return tuple(item for item in self.items if isinstance(item, str))

    @cached_property
    def literal_set(self) -> frozenset[str]:
        """The distinct plain words of the sample."""
        return frozenset(self.literals)

    @property
    def literal_count(self) -> int:
        """How many plain words the sample has."""
        return len(self.literals)


@dataclass(frozen=True)
class TypeValue:
    """One value of a custom slot type."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotType:
    """A custom slot type, with a phrase index over its values and synonyms."""

    name: str
    values: tuple[TypeValue, ...]
    phrases: Mapping[str, tuple[TypeValue, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntentDef:
    """An intent of the model: its slots (name → type) and samples."""

    name: str
    slots: Mapping[str, str]
    samples: tuple[Sample, ...]
    slot_samples: tuple[Sample, ...] = ()


@dataclass(frozen=True)
class InteractionModel:
    """The parts of an ASK interaction model the console needs."""

    locale: str
    invocation_name: str
    intents: Mapping[str, IntentDef]
    types: Mapping[str, SlotType]
    dialog_intents: frozenset[str]
    language: LanguagePack
    path: Path | None = None

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], locale: str, *, path: Path | None = None
    ) -> InteractionModel:
        """Read an ASK interaction model document (`{"interactionModel": {...}}`)."""
        root = data.get("interactionModel", data)
        language_model = root["languageModel"]
        pack = language_for(locale)
        types = {
            raw["name"]: _slot_type(raw, pack) for raw in language_model.get("types", []) or []
        }
        intents: dict[str, IntentDef] = {}
        for raw in language_model.get("intents", []):
            name = raw["name"]
            slots = {slot["name"]: slot["type"] for slot in raw.get("slots", []) or []}
            phrases = list(raw.get("samples", []) or [])
            phrases += [p for p in pack.builtin_phrases.get(name, ()) if p not in phrases]
            samples = tuple(_sample(name, phrase, pack) for phrase in phrases)
            slot_samples = tuple(
                _sample(name, phrase, pack, for_slot=slot["name"])
                for slot in raw.get("slots", []) or []
                for phrase in slot.get("samples", []) or []
            )
            intents[name] = IntentDef(name, slots, samples, slot_samples)
        for name in REQUIRED_BUILTINS:
            if name not in intents:
                phrases = list(pack.builtin_phrases.get(name, ()))
                intents[name] = IntentDef(
                    name, {}, tuple(_sample(name, phrase, pack) for phrase in phrases)
                )
        dialog = root.get("dialog") or {}
        dialog_intents = frozenset(intent["name"] for intent in dialog.get("intents", []) or [])
        return cls(
            locale=locale,
            invocation_name=str(language_model.get("invocationName", "")),
            intents=intents,
            types=types,
            dialog_intents=dialog_intents,
            language=pack,
            path=path,
        )

    @classmethod
    def load(cls, locale: str, search: Sequence[Path] | None = None) -> InteractionModel:
        """Load `<locale>.json` from the installed package or the repository."""
        path = find_model(locale, search)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls.from_dict(data, locale, path=path)


def available_locales(search: Sequence[Path] | None = None) -> list[str]:
    """The locales that have an interaction model."""
    found = {
        path.stem
        for directory in (search or interaction_model_dirs())
        if directory.is_dir()
        for path in directory.glob("*-*.json")
    }
    return sorted(found)


def find_model(locale: str, search: Sequence[Path] | None = None) -> Path:
    """The path of the interaction model for `locale`."""
    for directory in search or interaction_model_dirs():
        candidate = directory / f"{locale}.json"
        if candidate.is_file():
            return candidate
    known = ", ".join(available_locales(search)) or "none"
    raise ModelNotFoundError(f"no interaction model for {locale} (available: {known})")


def _slot_type(raw: Mapping[str, Any], pack: LanguagePack) -> SlotType:
    values: list[TypeValue] = []
    index: dict[str, list[TypeValue]] = {}
    for entry in raw.get("values", []) or []:
        name = entry["name"]["value"]
        synonyms = tuple(entry["name"].get("synonyms", []) or [])
        value = TypeValue(id=str(entry.get("id") or name), name=name, synonyms=synonyms)
        values.append(value)
        for phrase in (name, *synonyms):
            key = " ".join(normalize(phrase, pack))
            if key and value not in index.setdefault(key, []):
                index[key].append(value)
    return SlotType(raw["name"], tuple(values), {key: tuple(found) for key, found in index.items()})


_PLACEHOLDER = re.compile(r"\{\s*([^{}\s]+)\s*\}")


def _sample(intent: str, text: str, pack: LanguagePack, for_slot: str | None = None) -> Sample:
    items: list[Item] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        items.extend(normalize(text[position : match.start()], pack))
        items.append(SlotRef(match[1]))
        position = match.end()
    items.extend(normalize(text[position:], pack))
    return Sample(intent, tuple(items), text, for_slot)


# --------------------------------------------------------------------------- text


def normalize(text: str, pack: LanguagePack) -> list[str]:
    """Lower-case words without punctuation, contractions expanded ("What's up?" → what is up);
    one token per character in a language written without spaces."""
    return pack.tokenize(text)
