"""`comeback-coach models check`: the interaction models checked offline, the way Amazon's
utterance conflict detection and model build would, and against what the skill needs.

Every sample is expanded with its slot values and synonyms (AMAZON.NUMBER and AMAZON.TIME with
a few number words of the language) into the concrete utterances a user could say, normalised
the way the console folds what is typed (case, punctuation, spaces, contractions). Then:

- `conflict`: a concrete utterance claimed by two intents;
- `unslotted-value`: a sample that says a value (or synonym) of its own intent's slot in words
  without carrying the slot, so the value never reaches the skill;
- `value-is-sample`: a slot value or synonym that is word for word another intent's sample,
  unless `interaction_models/allowed_overlaps/<locale>.json` lists it with a reason;
- Amazon's published rules that can be checked offline: `invocation-name`, `names`,
  `sample-characters`,
  `sample-length`, `slot-reference`, `duplicate-sample`, `slot-value`, `dialog-prompt` and
  `example-phrase` (the manifest's example phrases name the skill and say one of the samples).

Rules and limits, from the Alexa Skills Kit documentation: an invocation name is lower-case
letters, spaces, possessive apostrophes and periods of abbreviations, two words or more, with no
wake word and no launch or connecting phrase; sample utterances hold letters, spaces, periods of
abbreviations, apostrophes and hyphens (numbers spelled out), at most 200 characters each; a
slot value or synonym holds at most 140 characters; a skill has one to three example phrases,
the first with the wake word, each "<wake word>, <launch phrase> <invocation name> ..." with an
utterance that is a sample of the model.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.paths import interaction_model_dirs

from .languages import LanguagePack, language_for

SAMPLE_MAX_CHARS = 200
SLOT_VALUE_MAX_CHARS = 140
MAX_EXAMPLE_PHRASES = 3
#: A sample expanding to more utterances than this is matched as a pattern, not listed.
EXPANSION_LIMIT = 2000
#: Two patterns of different intents are compared by listing the smaller one up to this.
PATTERN_LISTING_LIMIT = 200_000
#: Numbers said for an AMAZON.NUMBER slot, and hours for an AMAZON.TIME slot.
REPRESENTATIVE_NUMBERS = (1, 2, 5, 7, 8, 10)
REPRESENTATIVE_HOURS = (7, 9)

WAKE_WORDS = ("alexa", "amazon", "echo", "computer")
LAUNCH_PHRASES = (
    "ask",
    "begin",
    "enable",
    "launch",
    "load",
    "open",
    "play",
    "resume",
    "run",
    "start",
    "talk to",
    "tell",
    "use",
)
ENGLISH_CONNECTING_WORDS = frozenset(
    {"to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether"}
)
ENGLISH_TWO_WORD_FORBIDDEN = frozenset({"the", "a", "an", "for", "to", "of"})

RULES = (
    "conflict",
    "unslotted-value",
    "value-is-sample",
    "invocation-name",
    "names",
    "sample-characters",
    "sample-length",
    "slot-reference",
    "duplicate-sample",
    "slot-value",
    "dialog-prompt",
    "example-phrase",
    "allow-list",
)

ALLOW_LIST_DIR = "allowed_overlaps"
MANIFEST = "skill.json"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ABBREVIATION_PERIOD = re.compile(r"(?:^|(?<=[\s.]))\w{1,3}\.(?=\s|$)")
_UNSPACED = frozenset({"ja", "zh"})


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with a model: where, which rule, and what."""

    locale: str
    rule: str
    intent: str
    sample: str
    message: str

    def render(self) -> str:
        """One readable line."""
        where = self.intent or "-"
        said = f' "{self.sample}"' if self.sample else ""
        return f"{self.locale}  {self.rule:<17} {where}{said}: {self.message}"


# --------------------------------------------------------------------------- the model as samples


@dataclass(frozen=True)
class Slot:
    """A slot reference in a sample, with the phrases that can fill it (normalised)."""

    name: str
    type: str
    phrases: tuple[str, ...]


Piece = tuple[str, ...] | Slot


@dataclass(frozen=True)
class Sample:
    """A sample utterance of an intent (or of one of its slots), as literal words and slots."""

    intent: str
    text: str
    pieces: tuple[Piece, ...]
    for_slot: str | None = None
    builtin: bool = False

    @property
    def slots(self) -> tuple[Slot, ...]:
        """The slot references, in order."""
        return tuple(piece for piece in self.pieces if isinstance(piece, Slot))

    @property
    def size(self) -> int:
        """How many concrete utterances it expands to."""
        size = 1
        for slot in self.slots:
            size *= max(1, len(slot.phrases))
        return size

    def expand(self) -> Iterator[str]:
        """Every concrete utterance, as normalised words joined by spaces."""
        choices = [
            (list(piece.phrases) or [f"<{piece.type}>"])
            if isinstance(piece, Slot)
            else [" ".join(piece)]
            for piece in self.pieces
        ]
        for combination in itertools.product(*choices):
            yield " ".join(part for part in combination if part)

    def pattern(self) -> re.Pattern[str]:
        """A regular expression matching exactly the concrete utterances."""
        parts = []
        for piece in self.pieces:
            if isinstance(piece, Slot):
                options = sorted(piece.phrases or (f"<{piece.type}>",), key=len, reverse=True)
                parts.append("(?:" + "|".join(re.escape(option) for option in options) + ")")
            elif piece:
                parts.append(re.escape(" ".join(piece)))
        return re.compile(" ".join(parts))


@dataclass
class LocaleModel:
    """A locale's interaction model read for checking: raw JSON and its samples expanded."""

    locale: str
    raw: Mapping[str, Any]
    pack: LanguagePack
    samples: list[Sample] = field(default_factory=list)
    slot_samples: list[Sample] = field(default_factory=list)
    type_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: custom slot type → intents with a slot of that type
    type_users: dict[str, set[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def language_model(self) -> Mapping[str, Any]:
        """`interactionModel.languageModel`."""
        root = self.raw.get("interactionModel", self.raw)
        return root.get("languageModel") or {}

    def finding(self, rule: str, intent: str, sample: str, message: str) -> None:
        """Record a finding."""
        self.findings.append(Finding(self.locale, rule, intent, sample, message))

    def words(self, text: str) -> list[str]:
        """The words of `text` with case, punctuation and spacing normalised (one per
        character in a language written without spaces)."""
        return plain_words(self.pack, text)

    def normalize(self, text: str) -> str:
        """`words` joined by spaces: the key two utterances are compared by."""
        return " ".join(self.words(text))

    def show(self, said: str) -> str:
        """A normalised utterance as the language writes it."""
        return self.pack.join(said.split())


def plain_words(pack: LanguagePack, text: str) -> list[str]:
    """Words without case, punctuation or extra spaces; contractions stay as they are."""
    folded = pack.fold(text)
    kept = "".join(c if _is_letter(c) or c.isdigit() or c == "'" else " " for c in folded)
    words = [word.strip("'") for word in kept.split()]
    if pack.unspaced or pack.code in _UNSPACED:
        return [char for word in words for char in word]
    return [word for word in words if word]


def read_model(locale: str, raw: Mapping[str, Any]) -> LocaleModel:
    """Read `raw` (an ASK model document) into samples with their slot phrases."""
    model = LocaleModel(locale, raw, language_for(locale))
    language_model = model.language_model
    for slot_type in language_model.get("types", []) or []:
        phrases: list[str] = []
        for entry in slot_type.get("values", []) or []:
            name = entry.get("name") or {}
            for phrase in (name.get("value", ""), *(name.get("synonyms") or [])):
                normal = model.normalize(str(phrase))
                if normal and normal not in phrases:
                    phrases.append(normal)
        model.type_phrases[str(slot_type.get("name"))] = tuple(phrases)
    for intent in language_model.get("intents", []) or []:
        name = str(intent.get("name"))
        slots = {str(slot.get("name")): str(slot.get("type")) for slot in intent.get("slots") or []}
        for slot_type in slots.values():
            if slot_type in model.type_phrases:
                model.type_users.setdefault(slot_type, set()).add(name)
        texts = [str(text) for text in intent.get("samples") or []]
        for text in texts:
            sample = _sample(model, name, text, slots)
            if sample is not None:
                model.samples.append(sample)
        if name.startswith("AMAZON."):
            for text in model.pack.builtin_phrases.get(name, ()):
                if text not in texts:
                    sample = _sample(model, name, text, slots, builtin=True)
                    if sample is not None:
                        model.samples.append(sample)
        for slot in intent.get("slots") or []:
            for text in slot.get("samples") or []:
                sample = _sample(model, name, str(text), slots, for_slot=str(slot.get("name")))
                if sample is not None:
                    model.slot_samples.append(sample)
    return model


def _sample(
    model: LocaleModel,
    intent: str,
    text: str,
    slots: Mapping[str, str],
    *,
    for_slot: str | None = None,
    builtin: bool = False,
) -> Sample | None:
    """The sample as pieces; a malformed slot reference is a finding and the sample is left out."""
    shown = text if for_slot is None else f"{text} (sample of slot {for_slot})"
    pieces: list[Piece] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        pieces.append(tuple(model.words(text[position : match.start()])))
        name = match[1].strip()
        if name not in slots:
            model.finding("slot-reference", intent, shown, f"{{{name}}} is not a slot of {intent}")
            return None
        pieces.append(Slot(name, slots[name], _slot_phrases(model, slots[name])))
        position = match.end()
    literal = _PLACEHOLDER.sub(" ", text)
    if "{" in literal or "}" in literal:
        model.finding("slot-reference", intent, shown, "unbalanced curly brackets")
        return None
    pieces.append(tuple(model.words(text[position:])))
    return Sample(intent, text, tuple(p for p in pieces if p != ()), for_slot, builtin)


def _slot_phrases(model: LocaleModel, slot_type: str) -> tuple[str, ...]:
    if slot_type in model.type_phrases:
        return model.type_phrases[slot_type]
    if slot_type == "AMAZON.NUMBER":
        return number_words(model.pack, REPRESENTATIVE_NUMBERS)
    if slot_type == "AMAZON.TIME":
        return number_words(model.pack, REPRESENTATIVE_HOURS)
    return ()


def number_words(pack: LanguagePack, values: Iterable[int]) -> tuple[str, ...]:
    """The shortest way the language writes each number in words (digits if it has none)."""
    by_value: dict[int, str] = {}
    for phrase, value in pack.number_phrases.items():
        if value not in by_value or len(phrase) < len(by_value[value]):
            by_value[value] = phrase
    return tuple(by_value.get(value, str(value)) for value in values)


# --------------------------------------------------------------------------- the utterances


@dataclass
class Utterances:
    """The concrete utterances of a model's intent samples: listed, or as patterns when large."""

    listed: dict[str, dict[str, Sample]] = field(default_factory=dict)
    patterns: list[tuple[Sample, re.Pattern[str]]] = field(default_factory=list)

    @classmethod
    def of(cls, samples: Iterable[Sample]) -> Utterances:
        """Index `samples`."""
        index = cls()
        for sample in samples:
            if sample.size > EXPANSION_LIMIT:
                index.patterns.append((sample, sample.pattern()))
                continue
            for said in sample.expand():
                index.listed.setdefault(said, {}).setdefault(sample.intent, sample)
        return index

    def claims(self, said: str) -> dict[str, Sample]:
        """The intents (with a sample of each) that `said` is an utterance of."""
        found = dict(self.listed.get(said, {}))
        for sample, pattern in self.patterns:
            if sample.intent not in found and pattern.fullmatch(said):
                found[sample.intent] = sample
        return found

    def __contains__(self, said: str) -> bool:
        return bool(self.claims(said))


# --------------------------------------------------------------------------- the rules


def check_conflicts(model: LocaleModel, utterances: Utterances) -> None:
    """A concrete utterance claimed by two intents."""
    claimed: dict[str, dict[str, Sample]] = {
        said: dict(owners) for said, owners in utterances.listed.items()
    }
    for sample, pattern in utterances.patterns:
        for said, owners in claimed.items():
            if sample.intent not in owners and pattern.fullmatch(said):
                owners[sample.intent] = sample
    for (first, first_pattern), (second, second_pattern) in itertools.combinations(
        utterances.patterns, 2
    ):
        if first.intent == second.intent:
            continue
        small, large = sorted(
            ((first, first_pattern), (second, second_pattern)), key=lambda p: p[0].size
        )
        if small[0].size > PATTERN_LISTING_LIMIT:
            model.finding(
                "conflict",
                f"{first.intent}, {second.intent}",
                f"{first.text} / {second.text}",
                "too many utterances to compare; split these samples",
            )
            continue
        (small_sample, _), (large_sample, large_pattern) = small, large
        for said in small_sample.expand():
            if large_pattern.fullmatch(said):  # one utterance is enough to show the overlap
                owners = claimed.setdefault(said, {})
                owners[small_sample.intent] = small_sample
                owners[large_sample.intent] = large_sample
                break
    for said, owners in sorted(claimed.items()):
        if len(owners) < 2:
            continue
        intents = sorted(owners)
        origins = "; ".join(
            f"{intent} from "
            + (
                f'"{owners[intent].text}"'
                if model.normalize(owners[intent].text) != said
                else "a sample"
            )
            + (" (the console's built-in phrases)" if owners[intent].builtin else "")
            for intent in intents
        )
        model.finding("conflict", ", ".join(intents), model.show(said), f"claimed by {origins}")


def check_unslotted_values(model: LocaleModel) -> None:
    """A sample saying a value of one of its intent's custom slots without carrying the slot."""
    intents = {
        str(intent.get("name")): {
            str(slot.get("name")): str(slot.get("type")) for slot in intent.get("slots") or []
        }
        for intent in model.language_model.get("intents", []) or []
    }
    for sample in [*model.samples, *model.slot_samples]:
        if sample.builtin:
            continue
        carried = {slot.name for slot in sample.slots}
        segments = [piece for piece in sample.pieces if isinstance(piece, tuple)]
        for slot_name, slot_type in intents.get(sample.intent, {}).items():
            if slot_name in carried or slot_type not in model.type_phrases:
                continue
            for phrase in model.type_phrases[slot_type]:
                words = tuple(phrase.split())
                if any(_contains(segment, words) for segment in segments):
                    shown = sample.text
                    if sample.for_slot:
                        shown += f" (sample of slot {sample.for_slot})"
                    model.finding(
                        "unslotted-value",
                        sample.intent,
                        shown,
                        f'says "{model.show(phrase)}", a value of {{{slot_name}}} ({slot_type}), '
                        "without the slot, so the value never reaches the skill",
                    )
                    break


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return any(tuple(words[i : i + n]) == tuple(part) for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class AllowedOverlap:
    """A reviewed overlap: a slot phrase that may also be a sample of `intent`."""

    slot_type: str
    phrase: str
    intent: str
    reason: str


def read_allow_list(model: LocaleModel, path: Path) -> list[AllowedOverlap]:
    """The locale's allow-list (`{"allowed": [{"slotType", "phrase", "intent", "reason"}]}`)."""
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["allowed"]
        allowed = [
            AllowedOverlap(
                str(entry["slotType"]),
                model.normalize(str(entry["phrase"])),
                str(entry["intent"]),
                str(entry.get("reason") or "").strip(),
            )
            for entry in entries
        ]
    except (ValueError, KeyError, TypeError) as error:
        model.finding("allow-list", "", "", f"{path.name} cannot be read: {error}")
        return []
    for entry in allowed:
        if not entry.reason:
            model.finding(
                "allow-list", entry.intent, entry.phrase, "an allowed overlap needs a reason"
            )
    return [entry for entry in allowed if entry.reason]


def check_values_that_are_samples(
    model: LocaleModel, utterances: Utterances, allowed: Sequence[AllowedOverlap]
) -> None:
    """A slot value or synonym that is word for word another intent's sample."""
    allowed_keys = {(entry.slot_type, entry.phrase, entry.intent) for entry in allowed}
    used: set[tuple[str, str, str]] = set()
    for slot_type, phrases in sorted(model.type_phrases.items()):
        users = model.type_users.get(slot_type, set())
        for phrase in phrases:
            for intent, sample in sorted(utterances.claims(phrase).items()):
                if intent in users:
                    continue
                key = (slot_type, phrase, intent)
                if key in allowed_keys:
                    used.add(key)
                    continue
                model.finding(
                    "value-is-sample",
                    intent,
                    model.show(phrase),
                    f"a {slot_type} value or synonym is also a sample of {intent}"
                    + (f' ("{sample.text}")' if model.normalize(sample.text) != phrase else "")
                    + f"; remove one, or allow it in {ALLOW_LIST_DIR}/{model.locale}.json "
                    "with a reason",
                )
    for entry in allowed:
        if (entry.slot_type, entry.phrase, entry.intent) not in used:
            model.finding(
                "allow-list",
                entry.intent,
                model.show(entry.phrase),
                f"allowed as a {entry.slot_type} phrase and a sample of {entry.intent}, "
                "but it is not both any more; remove the entry",
            )


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def check_invocation_name(model: LocaleModel) -> None:
    """Amazon's invocation name requirements that can be checked offline."""
    name = str(model.language_model.get("invocationName", ""))
    problems: list[str] = []
    if not name.strip():
        problems.append("it is empty")
    if name != name.lower():
        problems.append("it must be lower case")
    odd = sorted({c for c in name if not (_is_letter(c) or c in " '.\u2019")})
    if odd:
        problems.append(
            "it may hold only letters, spaces, apostrophes and periods, not " + "".join(odd)
        )
    words = name.split()
    unspaced = model.pack.unspaced or model.pack.code in _UNSPACED
    if not unspaced and len(words) < 2:
        problems.append("it needs two words or more")
    folded = model.normalize(name)
    tokens = folded.split()
    wake = {model.normalize(w) for w in (*WAKE_WORDS, *model.pack.wake_words)}
    launch = {
        model.normalize(p)
        for p in (*LAUNCH_PHRASES, *model.pack.launch_verbs, *model.pack.one_shot_verbs)
    }
    for phrase in sorted(wake | launch):
        if not phrase:
            continue
        hit = phrase in name if unspaced else _contains(tokens, phrase.split())
        if hit:
            kind = "wake word" if phrase in wake else "launch phrase"
            problems.append(f'it holds the {kind} "{phrase}"')
    if model.pack.code == "en":
        connecting = sorted(ENGLISH_CONNECTING_WORDS & set(tokens))
        if connecting:
            problems.append("it holds the connecting word(s) " + ", ".join(connecting))
        if len(tokens) == 2 and ENGLISH_TWO_WORD_FORBIDDEN & set(tokens):
            problems.append("a two-word name may not hold an article or preposition")
    for problem in problems:
        model.finding("invocation-name", "", name, problem)


def _sample_character_problem(text: str) -> str | None:
    bare = _PLACEHOLDER.sub(" ", text)
    bare = _ABBREVIATION_PERIOD.sub(lambda m: m[0][:-1], bare)
    digits = sorted({c for c in bare if unicodedata.category(c) == "Nd"})
    if digits:
        return "numbers must be spelled out, not " + "".join(digits)
    allowed = "'\u2019-{}"  # curly brackets out of place are a slot-reference finding
    odd = sorted({c for c in bare if not (_is_letter(c) or c.isspace() or c in allowed)})
    if odd:
        return (
            "only letters, spaces, apostrophes, hyphens and periods of abbreviations, not "
            + " ".join(odd)
        )
    return None


def check_samples(model: LocaleModel) -> None:
    """Characters, length and duplicates of every sample; slot samples carry their slot."""
    for intent in model.language_model.get("intents", []) or []:
        name = str(intent.get("name"))
        seen: dict[str, str] = {}
        for text in intent.get("samples") or []:
            _check_sample_text(model, name, str(text))
            key = model.normalize(str(text))
            if key in seen:
                model.finding(
                    "duplicate-sample", name, str(text), f'the same sample as "{seen[key]}"'
                )
            seen.setdefault(key, str(text))
        for slot in intent.get("slots") or []:
            slot_name = str(slot.get("name"))
            slot_seen: set[str] = set()
            for text in slot.get("samples") or []:
                shown = f"{text} (sample of slot {slot_name})"
                _check_sample_text(model, name, str(text), shown)
                if not any(m[1].strip() == slot_name for m in _PLACEHOLDER.finditer(str(text))):
                    model.finding(
                        "slot-reference", name, shown, f"a sample of slot {slot_name} must hold it"
                    )
                key = model.normalize(str(text))
                if key in slot_seen:
                    model.finding("duplicate-sample", name, shown, "listed twice")
                slot_seen.add(key)
            if not _SLOT_NAME.match(slot_name):
                model.finding("slot-reference", name, "", f"slot name {slot_name!r} is not valid")


def _check_sample_text(
    model: LocaleModel, intent: str, text: str, shown: str | None = None
) -> None:
    shown = shown or text
    problem = _sample_character_problem(text)
    if problem:
        model.finding("sample-characters", intent, shown, problem)
    if len(text) > SAMPLE_MAX_CHARS:
        model.finding(
            "sample-length", intent, shown, f"{len(text)} characters, at most {SAMPLE_MAX_CHARS}"
        )
    if not text.strip():
        model.finding("sample-length", intent, shown, "an empty sample")


_NAME = re.compile(r"^[A-Za-z_]+$")


def check_names(model: LocaleModel) -> None:
    """Intent and slot type names are letters and underscores (built-ins are AMAZON.<name>),
    each is defined once, a custom slot type has values, and every slot's type exists."""
    language_model = model.language_model
    types = [str(slot_type.get("name")) for slot_type in language_model.get("types") or []]
    for name, count in sorted(Counter(types).items()):
        if count > 1:
            model.finding("names", "", name, "the slot type is defined twice")
    for slot_type in language_model.get("types") or []:
        name = str(slot_type.get("name"))
        if not _NAME.match(name.removeprefix("AMAZON.")):
            model.finding("names", "", name, "a slot type name is letters and underscores")
        if not slot_type.get("values"):
            model.finding("names", "", name, "a custom slot type needs values")
    intents = [str(intent.get("name")) for intent in language_model.get("intents") or []]
    for name, count in sorted(Counter(intents).items()):
        if count > 1:
            model.finding("names", name, "", "the intent is defined twice")
        if not _NAME.match(name.removeprefix("AMAZON.")):
            model.finding("names", name, "", "an intent name is letters and underscores")
    for intent in language_model.get("intents") or []:
        for slot in intent.get("slots") or []:
            slot_type = str(slot.get("type"))
            if not slot_type.startswith("AMAZON.") and slot_type not in types:
                model.finding(
                    "names",
                    str(intent.get("name")),
                    "",
                    f"slot {slot.get('name')} has the undefined type {slot_type}",
                )


def check_slot_values(model: LocaleModel) -> None:
    """Every custom value has a name; values and synonyms are short and spelled out."""
    for slot_type in model.language_model.get("types", []) or []:
        type_name = str(slot_type.get("name"))
        ids: set[str] = set()
        for entry in slot_type.get("values", []) or []:
            name = entry.get("name") or {}
            value_id = str(entry.get("id") or "")
            if value_id and value_id in ids:
                model.finding("slot-value", "", value_id, f"{type_name} has the id twice")
            ids.add(value_id)
            for phrase in (name.get("value"), *(name.get("synonyms") or [])):
                phrase = str(phrase or "")
                if not phrase.strip():
                    model.finding("slot-value", "", value_id, f"an empty {type_name} value")
                elif len(phrase) > SLOT_VALUE_MAX_CHARS:
                    model.finding(
                        "slot-value",
                        "",
                        phrase,
                        f"{type_name}: {len(phrase)} characters, at most {SLOT_VALUE_MAX_CHARS}",
                    )


def check_dialog(model: LocaleModel) -> None:
    """Each elicited slot of the dialog model has a prompt that exists, with variations, and
    slot samples for a bare answer; every prompt named exists."""
    root = model.raw.get("interactionModel", model.raw)
    prompts = {
        str(prompt.get("id")): prompt.get("variations") or []
        for prompt in root.get("prompts") or []
    }
    intents = {
        str(intent.get("name")): intent for intent in model.language_model.get("intents") or []
    }
    for dialog_intent in (root.get("dialog") or {}).get("intents") or []:
        intent_name = str(dialog_intent.get("name"))
        declared = {
            str(slot.get("name")): slot for slot in intents.get(intent_name, {}).get("slots") or []
        }
        if intent_name not in intents:
            model.finding("dialog-prompt", intent_name, "", "a dialog intent the model lacks")
        for slot in dialog_intent.get("slots") or []:
            slot_name = str(slot.get("name"))
            slot_prompts = slot.get("prompts") or {}
            if slot_name not in declared:
                model.finding(
                    "dialog-prompt", intent_name, "", f"dialog slot {slot_name} undeclared"
                )
            if slot.get("elicitationRequired") and not slot_prompts.get("elicitation"):
                model.finding(
                    "dialog-prompt", intent_name, "", f"slot {slot_name} is elicited with no prompt"
                )
            for kind, prompt_id in sorted(slot_prompts.items()):
                if str(prompt_id) not in prompts:
                    model.finding(
                        "dialog-prompt",
                        intent_name,
                        "",
                        f"the {kind} prompt {prompt_id} of slot {slot_name} does not exist",
                    )
                elif not prompts[str(prompt_id)]:
                    model.finding(
                        "dialog-prompt", intent_name, "", f"prompt {prompt_id} has no variations"
                    )
            if slot.get("elicitationRequired") and not (declared.get(slot_name) or {}).get(
                "samples"
            ):
                model.finding(
                    "dialog-prompt",
                    intent_name,
                    "",
                    f"slot {slot_name} is elicited but has no slot samples for the answer",
                )


def split_invocation(model: LocaleModel, phrase: str) -> tuple[str, list[str]] | None:
    """("launch", []) for "<wake word>, open <name>", ("intent", words) for "<wake word>, ask
    <name> [joiner] <words>", in the language's own word order; None when the phrase does not
    start with the wake word, or does not name the skill with a launch phrase."""
    pack = model.pack

    def phrases(texts: Iterable[str]) -> list[list[str]]:
        found = {tuple(model.words(text)) for text in texts}
        return sorted((list(words) for words in found if words), key=len, reverse=True)

    words = model.words(phrase)
    for wake in phrases(pack.wake_words):
        if words[: len(wake)] == wake:
            words = words[len(wake) :]
            break
    else:
        return None
    name = model.words(str(model.language_model.get("invocationName", "")))
    if not name:
        return None
    verbs = phrases((*pack.launch_verbs, *LAUNCH_PHRASES))
    launches = [[*verb, *name] for verb in verbs]
    launches += [[*name, *suffix] for suffix in phrases(pack.launch_suffixes)]
    if words == name or words in launches:
        return ("launch", [])
    prefixes = [[*verb, *name] for verb in phrases((*pack.one_shot_verbs, *pack.launch_verbs))]
    prefixes += [[*name, *particle] for particle in phrases(pack.one_shot_particles)]
    for prefix in sorted(prefixes, key=len, reverse=True):
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            rest = words[len(prefix) :]
            for joiner in phrases(pack.one_shot_joiners):
                if rest[: len(joiner)] == joiner and len(rest) > len(joiner):
                    return ("intent", rest[len(joiner) :])
            return ("intent", rest)
    return None


def check_example_phrases(
    model: LocaleModel, utterances: Utterances, phrases: Sequence[str]
) -> None:
    """The manifest's example phrases: wake word, launch phrase, invocation name, and an
    utterance that is one of the locale's samples."""
    if not phrases:
        model.finding("example-phrase", "", "", "the manifest has no example phrases")
    if len(phrases) > MAX_EXAMPLE_PHRASES:
        model.finding(
            "example-phrase",
            "",
            "",
            f"{len(phrases)} example phrases, at most {MAX_EXAMPLE_PHRASES}",
        )
    for phrase in phrases:
        split = split_invocation(model, phrase)
        if split is None:
            model.finding(
                "example-phrase",
                "",
                phrase,
                "it must be the wake word, a launch phrase and the invocation name "
                f'"{model.language_model.get("invocationName", "")}"',
            )
            continue
        kind, rest = split
        if kind == "intent":
            # Without the joining word ("ask ... to log my day") or with it ("... that ...").
            said = " ".join(rest)
            whole = model.words(phrase)
            with_joiner = " ".join(whole[len(whole) - len(rest) - 1 :])
            if said not in utterances and with_joiner not in utterances:
                model.finding(
                    "example-phrase",
                    "",
                    phrase,
                    f'"{model.show(said)}" is not an utterance of any intent\'s samples',
                )


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Source:
    """Where the models are: `<locale>.json`, `skill.json` and the allow-lists."""

    directory: Path

    @classmethod
    def default(cls) -> Source:
        """The repository's (or installed package's) `interaction_models/`."""
        for directory in interaction_model_dirs():
            if (directory / MANIFEST).is_file():
                return cls(directory)
        return cls(interaction_model_dirs()[-1])

    def locales(self) -> list[str]:
        """Every locale with a model."""
        return sorted(path.stem for path in self.directory.glob("*-*.json"))

    def model(self, locale: str) -> dict[str, Any]:
        """The raw model of `locale`."""
        data: dict[str, Any] = json.loads(
            (self.directory / f"{locale}.json").read_text(encoding="utf-8")
        )
        return data

    def manifest(self) -> dict[str, Any]:
        """The raw skill manifest (empty when there is none)."""
        path = self.directory / MANIFEST
        if not path.is_file():
            return {}
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def example_phrases(self, locale: str) -> list[str] | None:
        """The manifest's example phrases for `locale`, or None when it has no entry."""
        locales = (
            self.manifest().get("manifest", {}).get("publishingInformation", {}).get("locales", {})
        )
        if locale not in locales:
            return None
        return [str(phrase) for phrase in locales[locale].get("examplePhrases") or []]

    def allow_list(self, locale: str) -> Path:
        """Where the locale's reviewed overlaps are listed."""
        return self.directory / ALLOW_LIST_DIR / f"{locale}.json"


def check_locale(source: Source, locale: str) -> list[Finding]:
    """Every finding for one locale's model."""
    model = read_model(locale, source.model(locale))
    utterances = Utterances.of(model.samples)
    check_invocation_name(model)
    check_names(model)
    check_samples(model)
    check_slot_values(model)
    check_dialog(model)
    check_conflicts(model, utterances)
    check_unslotted_values(model)
    check_values_that_are_samples(
        model, utterances, read_allow_list(model, source.allow_list(locale))
    )
    phrases = source.example_phrases(locale)
    if phrases is None:
        if source.manifest():
            model.finding("example-phrase", "", "", "the manifest does not publish this locale")
    else:
        check_example_phrases(model, utterances, phrases)
    return sorted(set(model.findings))


def check(source: Source, locales: Sequence[str] | None = None) -> dict[str, list[Finding]]:
    """Findings per locale."""
    return {locale: check_locale(source, locale) for locale in (locales or source.locales())}


def summary(results: Mapping[str, Sequence[Finding]]) -> list[str]:
    """A table: findings per locale and rule."""
    used = [rule for rule in RULES if any(f.rule == rule for fs in results.values() for f in fs)]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for locale, findings in results.items():
        for finding in findings:
            counts[locale][finding.rule] += 1
    header = ["locale", *used, "total"]
    rows = [
        [locale, *(str(counts[locale][rule]) for rule in used), str(len(results[locale]))]
        for locale in results
    ]
    totals = [str(sum(counts[locale][rule] for locale in results)) for rule in used]
    rows.append(["total", *totals, str(sum(len(findings) for findings in results.values()))])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(
            cell.rjust(width) if i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
