"""What the conversation rooms share: the session between turns, questions, common replies.

A yes/no question is a `Question` (its words, its reprompt, what yes and no do), kept in
the one table in `questions.py`; `ask` speaks one and remembers it for the next turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import context, screens
from skill.alexa.speech import Reply
from skill.domain.model import CONTACT_EXPECTED_STAGES, Stage
from skill.services import Caller, ProgressResult, Status

PENDING = "pending"  # the key of the yes/no question the last reply asked
ELICITING = "eliciting"  # the LogDayIntent slot the last reply asked for
LOG_SO_FAR = "log"  # slot ids resolved so far in the day-log dialog

#: Intents that can answer what the previous reply asked; any other drops that question.
ANSWERS = frozenset(
    {
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "LogDayIntent",
        "MeetingOutcomeIntent",
        "AMAZON.FallbackIntent",
    }
)

Answer = Callable[[HandlerInput], Response]


class Question(NamedTuple):
    """A yes/no question: the message that asks it (None when the sentence before it
    already does), its reprompt, and what each answer does."""

    key: str
    reprompt: str
    yes: Answer
    no: Answer
    ask: str | None = None
    #: Placeholders the question's words need (e.g. the reminder's spoken time).
    values: Callable[[HandlerInput], dict[str, Any]] | None = None

    def words(self, handler_input: HandlerInput) -> dict[str, Any]:
        """The placeholders for this question's messages."""
        return self.values(handler_input) if self.values is not None else {}


class IntentHandler(AbstractRequestHandler):
    """A handler for the intents named in `INTENTS`."""

    INTENTS: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        if getattr(request, "object_type", None) != "IntentRequest":
            return False
        return getattr(getattr(request, "intent", None), "name", None) in self.INTENTS


def ctx(handler_input: HandlerInput) -> context.RequestContext:
    """The request's context."""
    return context.get(handler_input)


def caller(handler_input: HandlerInput) -> Caller:
    """Who is asking (a request without a user fails into the apology)."""
    return context.get(handler_input).user()


def reply(handler_input: HandlerInput) -> Reply:
    """An empty reply in the user's language."""
    return Reply(context.get(handler_input).strings)


def session(handler_input: HandlerInput) -> dict[str, Any]:
    """The session attributes, to remember things between turns ({} outside a session)."""
    if handler_input.request_envelope.session is None:
        return {}
    manager = handler_input.attributes_manager
    attrs: dict[str, Any] | None = manager.session_attributes
    if attrs is None:
        attrs = {}
        manager.session_attributes = attrs
    return attrs


def forget_unanswered(handler_input: HandlerInput, intent_name: str | None) -> None:
    """An intent that cannot answer the open question or slot leaves it behind."""
    if handler_input.request_envelope.session is not None and intent_name not in ANSWERS:
        attrs = handler_input.attributes_manager.session_attributes or {}
        for key in (PENDING, ELICITING, LOG_SO_FAR, "outcome_tries"):
            attrs.pop(key, None)


def _table() -> dict[str, Question]:
    # The table refers to every room's answers, and the rooms ask through here: it is
    # looked up when asked, once every room is loaded.
    from skill.alexa.questions import QUESTIONS

    return QUESTIONS


def has_question(key: str) -> bool:
    """Whether `key` names a yes/no question (session attributes come from outside)."""
    return key in _table()


def question(key: str) -> Question:
    """The yes/no question with this key."""
    return _table()[key]


def ask(handler_input: HandlerInput, said: Reply, key: str) -> Response:
    """Ask the yes/no question `key` after what `said` holds, and wait for the answer."""
    asked = question(key)
    values = asked.words(handler_input)
    if asked.ask is not None:
        said.add(asked.ask, **values)
    session(handler_input)[PENDING] = key
    return said.ask(handler_input, asked.reprompt, **values)


def needs_reflect(status: Status) -> bool:
    """Whether the reflect questions still have to be answered before anything else."""
    return not status.started or status.stage is Stage.REFLECT


def ask_safety(handler_input: HandlerInput, said: Reply, lead: str) -> Response:
    """Reflect, question one ("Did you feel safe and respected?"), after the `lead` message."""
    said.add(lead)
    return ask(handler_input, said, "safety")


def offer_next(handler_input: HandlerInput, said: Reply, status: Status) -> Response:
    """End a greeting with the obvious next step as a yes/no question."""
    return ask(handler_input, said, "tip_offer" if status.logged_today else "log_offer")


def days_sentence(said: Reply, status: Status) -> None:
    """The sentence about the user's days that fits their stage (from the meeting on, the
    rebuild's days, never the no-contact clock; a zero figure is left out, and so are the
    days a milestone sentence has just said)."""
    if status.milestone is not None and status.milestone == status.no_contact_days:
        return
    if status.stage in CONTACT_EXPECTED_STAGES:
        if status.met and status.days_since_meeting:
            said.add("rebuild.since", days=said.days(status.days_since_meeting))
        else:
            said.add(f"days.{status.stage.value}")
    elif status.no_contact_days == 0:
        zero = "moving_on.zero" if status.stage is Stage.MOVING_ON else "no_contact.zero"
        said.add(f"days.{zero}")
    elif status.stage is Stage.MOVING_ON:
        said.add("days.moving_on", days=said.days(status.no_contact_days))
    else:
        said.add("days.no_contact", days=said.days(status.no_contact_days))


def show_screen(
    handler_input: HandlerInput,
    said: Reply,
    status: Status,
    screen: screens.Screen = "streak",
    *,
    progress: ProgressResult | None = None,
    updated: bool = False,
) -> None:
    """Show a screen (on a device with one) and the card of what `said` holds."""
    screens.show(
        handler_input,
        said.strings,
        status,
        screen,
        apl=ctx(handler_input).apl,
        card_text=said.text(),
        progress=progress,
        updated=updated,
    )


def tell_with_screen(
    handler_input: HandlerInput,
    said: Reply,
    status: Status,
    screen: screens.Screen = "streak",
    *,
    progress: ProgressResult | None = None,
    updated: bool = False,
) -> Response:
    """Say it, end the session, and show a screen and the card."""
    show_screen(handler_input, said, status, screen, progress=progress, updated=updated)
    return said.tell(handler_input)


def declined(handler_input: HandlerInput) -> Response:
    """'No' to an offer: fine, see you tomorrow."""
    return reply(handler_input).add("offer.declined").tell(handler_input)
