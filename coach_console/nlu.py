"""An offline stand-in for Alexa's language understanding, driven by an interaction model.

Each sample utterance becomes a sequence of words and slot references. A typed utterance is
aligned with every sample (a small edit distance where a slot swallows one or more words, and
a slot of a built-in type only accepts what that type can parse); the cheapest alignment wins.
Exact matches cost nothing, so a sample said word for word always wins; small differences in
wording (a filler word, a typo, a missing word) cost a little, so they still resolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .languages import ENGLISH
from .model import FALLBACK_INTENT, IntentDef, InteractionModel, Sample, SlotRef, normalize

MATCH_THRESHOLD = 0.75
ELICIT_THRESHOLD = 0.6

JSON = dict[str, Any]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SlotFill:
    """A slot as Alexa sends it: the spoken value and, for custom types, its resolution."""

    name: str
    value: str | None = None
    resolutions: JSON | None = None

    def resolved_id(self) -> str | None:
        """The entity-resolution id when the value matched, else None."""
        if not self.resolutions:
            return None
        for authority in self.resolutions.get("resolutionsPerAuthority", []):
            if authority["status"]["code"] == "ER_SUCCESS_MATCH":
                return str(authority["values"][0]["value"]["id"])
        return None

    def to_json(self) -> JSON:
        """The slot object of an IntentRequest."""
        slot: JSON = {"name": self.name, "confirmationStatus": "NONE"}
        if self.value is None:
            return slot
        slot["value"] = self.value
        slot["source"] = "USER"
        simple: JSON = {"type": "Simple", "value": self.value}
        if self.resolutions is not None:
            slot["resolutions"] = self.resolutions
            simple["resolutions"] = self.resolutions
        slot["slotValue"] = simple
        return slot

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any] | None) -> SlotFill:
        """Read a slot back from an `updatedIntent`."""
        data = data or {}
        value = data.get("value")
        resolutions = data.get("resolutions")
        return cls(name, None if value is None else str(value), resolutions)


@dataclass(frozen=True)
class Resolution:
    """What the utterance was understood as."""

    intent: str
    slots: Mapping[str, SlotFill]
    score: float
    dialog_state: str | None = None
    sample: str | None = None

    def intent_json(self) -> JSON:
        """The `request.intent` object Alexa would send."""
        return {
            "name": self.intent,
            "confirmationStatus": "NONE",
            "slots": {name: fill.to_json() for name, fill in self.slots.items()},
        }

    def slot_id(self, name: str) -> str | None:
        """The resolved value id of a slot, if any."""
        fill = self.slots.get(name)
        return fill.resolved_id() if fill else None

    def slot_value(self, name: str) -> str | None:
        """The spoken value of a slot, if any."""
        fill = self.slots.get(name)
        return fill.value if fill else None


@dataclass(frozen=True)
class Elicitation:
    """A pending `Dialog.ElicitSlot`: the next utterance fills `slot` of `updated_intent`."""

    slot: str
    updated_intent: Mapping[str, Any]

    @property
    def intent(self) -> str:
        """The name of the intent being filled."""
        return str(self.updated_intent.get("name", ""))

    @classmethod
    def from_directive(cls, directive: Mapping[str, Any]) -> Elicitation:
        """Read a `Dialog.ElicitSlot` directive."""
        return cls(str(directive["slotToElicit"]), dict(directive.get("updatedIntent") or {}))


@dataclass(frozen=True)
class _Fill:
    value: str
    cost: float
    resolutions: JSON | None
    resolved: bool


@dataclass(frozen=True)
class _Match:
    sample: Sample
    cost: float
    score: float
    fills: Mapping[str, _Fill]
    exact_words: int

    def key(self) -> tuple[float, int, int, int, int]:
        resolved = sum(1 for fill in self.fills.values() if fill.resolved)
        unresolved = len(self.fills) - resolved
        origin = 1 if self.sample.for_slot is None else 0
        return (round(self.score, 6), self.exact_words, resolved, -unresolved, origin)


def _typo_cost(expected: str, said: str) -> float:
    """What saying `said` for `expected` costs: little for a slip of a letter or two in a long
    word ("tonite", "meine" for "mein"), a whole word otherwise. Words that merely look alike
    ("angerufen", called, and "angegriffen", attacked) differ by more than a typo, and are
    different words: taking one for the other could hear a threat as a phone call."""
    shortest = min(len(expected), len(said))
    if shortest < 4:
        return 1.0
    distance = Levenshtein.distance(expected, said, score_cutoff=2)
    if distance <= 1:
        return 0.2
    return 0.5 if distance == 2 and shortest >= 7 else 1.0


# --------------------------------------------------------------------------- the resolver


class Resolver:
    """Turns typed utterances into Alexa intents for one interaction model."""

    def __init__(
        self,
        model: InteractionModel,
        *,
        skill_id: str,
        threshold: float = MATCH_THRESHOLD,
        elicit_threshold: float = ELICIT_THRESHOLD,
    ) -> None:
        self.model = model
        self.skill_id = skill_id
        self.threshold = threshold
        self.elicit_threshold = elicit_threshold
        self._pack = model.language
        self._wake_words = self._phrases(model.language.wake_words)
        self._least_costs: dict[str, float] = {}  # per word: see `_Utterance._least_cost`

    # ---- public

    def resolve(self, text: str, *, elicit: Elicitation | None = None) -> Resolution:
        """The intent (with slots) Alexa would send for `text`; Fallback when nothing fits."""
        tokens = self._strip_wake_word(normalize(text, self._pack))
        if not tokens:
            return self._fallback()
        utterance = _Utterance(self, tokens)
        if elicit is not None and elicit.intent in self.model.intents:
            answer = self._resolve_elicited(utterance, elicit)
            if answer is not None:
                return answer
        best = self._best(utterance, self._all_samples())
        if best is None or best.score < self.threshold:
            return self._fallback()
        return self._resolution(best)

    def split_invocation(self, text: str) -> tuple[str, str] | None:
        """Recognise "open comeback coach" → ("launch", "") and "ask comeback coach to log my
        day" → ("intent", "log my day"), in the language's own word order ("カムバックコーチを
        開いて", "カムバックコーチで今日を記録して"); None when the text does not name the skill."""
        pack = self._pack
        tokens = self._strip_wake_word(normalize(text, pack))
        name = normalize(self.model.invocation_name, pack)
        if not name or len(tokens) < len(name):
            return None
        if tokens == name:
            return ("launch", "")
        # The console also takes the English verbs in every language.
        for verb in self._phrases((*pack.launch_verbs, *ENGLISH.launch_verbs)):
            if tokens == [*verb, *name]:
                return ("launch", "")
        for suffix in self._phrases(pack.launch_suffixes):
            if tokens == [*name, *suffix]:
                return ("launch", "")
        prefixes = [[*verb, *name] for verb in self._phrases(pack.one_shot_verbs)]
        prefixes += [[*name, *particle] for particle in self._phrases(pack.one_shot_particles)]
        for prefix in sorted(prefixes, key=len, reverse=True):
            if tokens[: len(prefix)] == prefix and len(tokens) > len(prefix):
                return ("intent", self._request(tokens[len(prefix) :]))
        return None

    def _phrases(self, phrases: Iterable[str]) -> list[list[str]]:
        """Phrases of the pack as tokens, without repeats."""
        found = (normalize(phrase, self._pack) for phrase in phrases)
        unique = {tuple(tokens): tokens for tokens in found if tokens}
        return list(unique.values())

    def _request(self, rest: list[str]) -> str:
        """The request of a one-shot invocation, without the word joining it to the name."""
        for joiner in sorted(self._phrases(self._pack.one_shot_joiners), key=len, reverse=True):
            if rest[: len(joiner)] == joiner and len(rest) > len(joiner):
                rest = rest[len(joiner) :]
                break
        return self._pack.join(rest)

    def authority(self, type_name: str) -> str:
        """The entity-resolution authority for a custom slot type."""
        return f"amzn1.er-authority.echo-sdk.{self.skill_id}.{type_name}"

    # ---- internals

    def _strip_wake_word(self, tokens: list[str]) -> list[str]:
        stripped = True
        while stripped:
            stripped = False
            for wake in self._wake_words:
                if tokens[: len(wake)] == wake:
                    tokens, stripped = tokens[len(wake) :], True
        return tokens

    def _fallback(self) -> Resolution:
        return Resolution(FALLBACK_INTENT, {}, 0.0, None)

    def _all_samples(self) -> Iterable[Sample]:
        for intent in self.model.intents.values():
            yield from intent.samples

    def _best(
        self, utterance: _Utterance, samples: Iterable[Sample], prefer_slot: str | None = None
    ) -> _Match | None:
        """The best alignment; at equal scores, one that fills `prefer_slot` wins. Samples are
        aligned from the most promising down, and the rest skipped once none can do better or
        reach the lowest score that is ever accepted."""
        floor = min(self.threshold, self.elicit_threshold)
        candidates = [
            (bound, -order, sample)
            for order, sample in enumerate(samples)
            if (bound := utterance.upper_bound(sample)) >= floor
        ]
        candidates.sort(key=lambda candidate: candidate[0], reverse=True)
        best: _Match | None = None
        best_key: tuple[float, bool, int, int, int, int, int] | None = None
        for bound, first, sample in candidates:
            if best is not None and bound < best.score:
                break
            match = utterance.align(sample)
            if match is None:
                continue
            score, exact, resolved, unresolved, origin = match.key()
            key = (score, prefer_slot in match.fills, exact, resolved, unresolved, origin, first)
            if best_key is None or key > best_key:
                best, best_key = match, key
        return best

    def _resolve_elicited(self, utterance: _Utterance, elicit: Elicitation) -> Resolution | None:
        intent = self.model.intents[elicit.intent]
        slot_type = intent.slots.get(elicit.slot)
        if slot_type is None:
            return None
        bare = Sample(intent.name, (SlotRef(elicit.slot),), "{" + elicit.slot + "}", elicit.slot)
        own_samples = [
            *intent.samples,
            *(s for s in intent.slot_samples if s.for_slot == elicit.slot),
            bare,
        ]
        own = self._best(utterance, own_samples, prefer_slot=elicit.slot)
        other_samples = (s for s in self._all_samples() if s.intent != intent.name)
        other = self._best(utterance, other_samples)
        other_score = other.score if other is not None else 0.0
        if own is not None and own.score >= self.elicit_threshold and own.score >= other_score:
            return self._merge(elicit, intent, own)
        if other is not None and other.score >= self.threshold:
            return self._resolution(other)
        # Alexa fills the slot with what was said even when it matches no value.
        if slot_type in self.model.types:
            fill = utterance.custom_fill(slot_type, 0, len(utterance.tokens), limit_unmatched=False)
            if fill is not None:
                synthetic = _Match(bare, fill.cost, 0.0, {elicit.slot: fill}, 0)
                return self._merge(elicit, intent, synthetic)
        if slot_type == "AMAZON.NUMBER":
            number = utterance.first_number()
            if number is not None:
                synthetic = _Match(bare, 0.0, 0.0, {elicit.slot: number}, 0)
                return self._merge(elicit, intent, synthetic)
        return None

    def _merge(self, elicit: Elicitation, intent: IntentDef, match: _Match) -> Resolution:
        previous = elicit.updated_intent.get("slots") or {}
        slots = {name: SlotFill.from_json(name, previous.get(name)) for name in intent.slots}
        for name, fill in match.fills.items():
            slots[name] = SlotFill(name, fill.value, fill.resolutions)
        return Resolution(intent.name, slots, match.score, "IN_PROGRESS", match.sample.text)

    def _resolution(self, match: _Match) -> Resolution:
        intent = self.model.intents[match.sample.intent]
        slots = {name: SlotFill(name) for name in intent.slots}
        for name, fill in match.fills.items():
            slots[name] = SlotFill(name, fill.value, fill.resolutions)
        state = "STARTED" if intent.name in self.model.dialog_intents or intent.slots else None
        return Resolution(intent.name, slots, match.score, state, match.sample.text)


class _Utterance:
    """One tokenised utterance, with caches for slot readings and word similarity."""

    def __init__(self, resolver: Resolver, tokens: list[str]) -> None:
        self.resolver = resolver
        self.tokens = tokens
        self.token_set = frozenset(tokens)
        self.pack = resolver.model.language
        self._slot_cache: dict[tuple[str, int, int], _Fill | None] = {}
        self._word_cache: dict[tuple[str, str], float] = {}
        self._least = resolver._least_costs

    # ---- slot readings

    def slot_fill(self, slot_type: str, start: int, end: int) -> _Fill | None:
        key = (slot_type, start, end)
        if key not in self._slot_cache:
            self._slot_cache[key] = self._read_slot(slot_type, start, end)
        return self._slot_cache[key]

    def _read_slot(self, slot_type: str, start: int, end: int) -> _Fill | None:
        words = self.tokens[start:end]
        if slot_type == "AMAZON.NUMBER":
            number = self.pack.parse_number(words)
            return None if number is None else _Fill(str(number), 0.0, None, True)
        if slot_type == "AMAZON.TIME":
            time = self.pack.parse_time(words)
            return None if time is None else _Fill(time, 0.0, None, True)
        if slot_type in self.resolver.model.types:
            return self.custom_fill(slot_type, start, end, limit_unmatched=True)
        # Other built-in types (names, search queries…) take the words as they are.
        return _Fill(self.pack.join(words), 0.2, None, True)

    def custom_fill(
        self, slot_type: str, start: int, end: int, *, limit_unmatched: bool
    ) -> _Fill | None:
        """The slot read as a custom type: an exact value or synonym, then a close one, else an
        unmatched value the way Alexa sends one (at most `max_unmatched_tokens` tokens if
        `limit_unmatched`)."""
        words = self.tokens[start:end]
        spoken = " ".join(words)
        said = self.pack.join(words)
        kind = self.resolver.model.types[slot_type]
        found = kind.phrases.get(spoken)
        cost = 0.0
        if found is None and len(words) > 1 and words[0] in self.pack.articles:
            found = kind.phrases.get(" ".join(words[1:]))
            cost = 0.1
        if found is None and len(spoken) >= 4:
            best = process.extractOne(
                spoken, list(kind.phrases), scorer=fuzz.ratio, score_cutoff=85
            )
            if best is not None:
                found, cost = kind.phrases[best[0]], 0.4
        if found is not None:
            values = [{"value": {"name": value.name, "id": value.id}} for value in found]
            authority = {
                "authority": self.resolver.authority(slot_type),
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": values,
            }
            return _Fill(said, cost, {"resolutionsPerAuthority": [authority]}, True)
        if limit_unmatched and len(words) > self.pack.max_unmatched_tokens:
            return None
        no_match = {
            "authority": self.resolver.authority(slot_type),
            "status": {"code": "ER_SUCCESS_NO_MATCH"},
        }
        cost = 0.5 + 0.25 * (len(words) - 1)
        return _Fill(said, cost, {"resolutionsPerAuthority": [no_match]}, False)

    def first_number(self) -> _Fill | None:
        """The first number said anywhere in the utterance ("I guess like an eight")."""
        for start in range(len(self.tokens)):
            for end in range(len(self.tokens), start, -1):
                fill = self.slot_fill("AMAZON.NUMBER", start, end)
                if fill is not None:
                    return fill
        return None

    # ---- alignment

    def _word_cost(self, expected: str, said: str) -> float:
        if expected == said:
            return 0.0
        key = (expected, said)
        if key not in self._word_cache:
            self._word_cache[key] = _typo_cost(expected, said)
        return self._word_cache[key]

    def _skip_cost(self, word: str) -> float:
        return 0.3 if word in self.pack.fillers else 1.0

    def _least_cost(self, word: str) -> float:
        """The least a word can cost when the other side does not have it: skipped, or
        swapped for a look-alike (only words of four letters or more have look-alikes)."""
        cost = self._least.get(word)
        if cost is None:
            cost = self._least[word] = min(self._skip_cost(word), 0.2 if len(word) >= 4 else 1.0)
        return cost

    def upper_bound(self, sample: Sample) -> float:
        """A score no alignment with `sample` can beat: its words that were not said cost at
        least their least cost, and so, when it has no slots, do words said that it lacks."""
        n, m = len(sample.items), len(self.tokens)
        if n == 0:
            return 0.0
        said, least = self.token_set, self._least_cost
        missing = sum([least(word) for word in sample.literals if word not in said])
        if sample.literal_count == n:
            known = sample.literal_set
            extra = sum([least(token) for token in self.tokens if token not in known])
            missing = max(missing, extra)
        return max(0.0, 1.0 - missing / max(n, m))

    def align(self, sample: Sample) -> _Match | None:
        """The cheapest alignment of this utterance with `sample`, or None."""
        items, tokens = sample.items, self.tokens
        n, m = len(items), len(tokens)
        if n == 0:
            return None
        if sample.literal_count == 0 and m > self.pack.max_slot_tokens * n:
            return None
        intent = self.resolver.model.intents.get(sample.intent)
        slot_types = intent.slots if intent else {}
        inf = float("inf")
        cost = [[inf] * (m + 1) for _ in range(n + 1)]
        back: dict[tuple[int, int], tuple[int, int, _Fill | None, bool]] = {}
        cost[0][0] = 0.0

        def relax(
            i: int, j: int, value: float, origin: tuple[int, int, _Fill | None, bool]
        ) -> None:
            if value < cost[i][j]:
                cost[i][j] = value
                back[(i, j)] = origin

        for i in range(n + 1):
            for j in range(m + 1):
                here = cost[i][j]
                if here == inf:
                    continue
                if j < m:
                    relax(i, j + 1, here + self._skip_cost(tokens[j]), (i, j, None, False))
                if i == n:
                    continue
                item = items[i]
                if isinstance(item, str):
                    relax(i + 1, j, here + self._skip_cost(item), (i, j, None, False))
                    if j < m:
                        word = self._word_cost(item, tokens[j])
                        relax(i + 1, j + 1, here + word, (i, j, None, word == 0.0))
                    continue
                relax(i + 1, j, here + 1.0, (i, j, None, False))
                slot_type = slot_types.get(item.name)
                if slot_type is None:
                    continue
                for k in range(j + 1, min(m, j + self.pack.max_slot_tokens) + 1):
                    fill = self.slot_fill(slot_type, j, k)
                    if fill is not None:
                        relax(i + 1, k, here + fill.cost, (i, j, fill, False))
        total = cost[n][m]
        if total == inf:
            return None
        fills: dict[str, _Fill] = {}
        exact_words = 0
        i, j = n, m
        while (i, j) != (0, 0):
            pi, pj, fill, exact = back[(i, j)]
            if fill is not None:
                slot = items[pi]
                assert isinstance(slot, SlotRef)
                fills[slot.name] = fill
            exact_words += int(exact)
            i, j = pi, pj
        if sample.literal_count == 0 and not all(fill.resolved for fill in fills.values()):
            return None
        score = max(0.0, 1.0 - total / max(n, m))
        return _Match(sample, total, score, fills, exact_words)
