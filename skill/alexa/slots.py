"""Reading slot values: the entity-resolution id when Alexa sends one, else the spoken
value matched against the locale's values and synonyms in its interaction model."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from functools import cache
from typing import TYPE_CHECKING, Any

from skill.i18n import ssml
from skill.paths import interaction_model_dirs

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

    from skill.alexa.speech import Reply

_MODEL_DIRS = interaction_model_dirs()


def elicit(
    handler_input: HandlerInput,
    said: Reply,
    intent_name: str,
    slot: str,
    reprompt_key: str,
    values: Mapping[str, str | None] | None = None,
) -> Response:
    """Say `said` and ask for `slot` of `intent_name` with Dialog.ElicitSlot, carrying the
    slot `values` known so far (the intent's model must declare `slot` in its dialog
    section). The dialog classes are imported here, not at the top: ask_sdk_model.dialog's
    package imports every dialog directive, a cost no launch should pay."""
    from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
    from ask_sdk_model.dialog import ElicitSlotDirective

    intent = Intent(
        name=intent_name,
        confirmation_status=IntentConfirmationStatus.NONE,
        slots={
            name: Slot(name=name, value=value, confirmation_status=SlotConfirmationStatus.NONE)
            for name, value in (values or {slot: None}).items()
        },
    )
    reprompt = said.strings.text(reprompt_key)
    return (
        handler_input.response_builder.speak(said.speech())
        .ask(ssml(reprompt))
        .add_directive(ElicitSlotDirective(updated_intent=intent, slot_to_elicit=slot))
        .response
    )


def _normalize(text: str) -> str:
    """Casefolded, punctuation dropped; combining marks (Devanagari vowel signs, Arabic
    diacritics) are kept, since dropping them would split words in two."""
    kept = (
        ch
        if ch.isalnum() or ch.isspace() or ch == "'" or unicodedata.category(ch)[0] == "M"
        else " "
        for ch in unicodedata.normalize("NFC", text.casefold())
    )
    return re.sub(r"\s+", " ", "".join(kept)).strip()


@cache
def slot_values(locale: str) -> dict[str, dict[str, str]]:
    """For each slot type of the locale's model: normalized value or synonym → value id."""
    for folder in _MODEL_DIRS:
        path = folder / f"{locale}.json"
        if path.exists():
            break
    else:
        return {}
    model = json.loads(path.read_text(encoding="utf-8"))
    types = model["interactionModel"]["languageModel"].get("types", [])
    table: dict[str, dict[str, str]] = {}
    for slot_type in types:
        lookup: dict[str, str] = {}
        for value in slot_type.get("values", []):
            name = value["name"]
            value_id = value.get("id") or name["value"]
            for word in [name["value"], *name.get("synonyms", [])]:
                lookup.setdefault(_normalize(word), value_id)
        table[slot_type["name"]] = lookup
    return table


def resolve_id(slot: Any, slot_type: str, locale: str, allowed: AbstractSet[str]) -> str | None:
    """The value id of a custom slot, or None when it is empty or not one we know."""
    if slot is None:
        return None
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if getattr(status, "value", status) == "ER_SUCCESS_MATCH":
            for wrapper in authority.values or []:
                value_id = wrapper.value.id or wrapper.value.name
                if value_id in allowed:
                    return str(value_id)
    spoken = getattr(slot, "value", None)
    if not spoken or not isinstance(spoken, str):
        return None
    lookup = slot_values(locale).get(slot_type) or slot_values("en-US").get(slot_type, {})
    found = lookup.get(_normalize(spoken))
    if found in allowed:
        return found
    upper = spoken.strip().upper().replace(" ", "_")
    return upper if upper in allowed else None


def spoken_value(slot: Any) -> str | None:
    """The raw slot value when there is one."""
    value = getattr(slot, "value", None) if slot is not None else None
    return value if isinstance(value, str) and value.strip() else None


def number(slot: Any) -> int | None:
    """An AMAZON.NUMBER slot as an int ('?' and anything else that is not a whole number: None)."""
    value = spoken_value(slot)
    if value is None:
        return None
    value = value.strip()
    if not re.fullmatch(r"-?\d{1,6}", value):
        return None
    return int(value)
