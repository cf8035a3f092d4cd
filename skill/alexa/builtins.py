"""Alexa's built-in intents and requests that need few words: yes and no, help, stop,
fallback, the crisis line, the end of a session, skill events and unknown requests."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill import services
from skill.alexa import day_log, dialog
from skill.alexa.dialog import ELICITING, LOG_SO_FAR, PENDING

log = logging.getLogger(__name__)

#: Request types answered with an empty response, never with words (PRODUCT.md §5): events,
#: and requests that are not for a conversation (Alexa forbids speech in reply to them).
SILENT_PREFIXES = (
    "AlexaSkillEvent.",
    "AudioPlayer.",
    "PlaybackController.",
    "System.",
    "Messaging.",
    "Connections.",
    "CanFulfillIntentRequest",
)


def unexpected_yes_no(handler_input: HandlerInput) -> Response:
    """A yes or no when nothing was asked."""
    said = dialog.reply(handler_input).add("unexpected_yes_no")
    return said.ask(handler_input, "fallback.reprompt")


class YesNoIntentHandler(dialog.IntentHandler):
    """Yes and No: answer the pending question or elicited slot; out of context, say so."""

    INTENTS = ("AMAZON.YesIntent", "AMAZON.NoIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        attrs = dialog.session(handler_input)
        eliciting = attrs.pop(ELICITING, None)
        if eliciting in day_log.LOG_SLOTS:
            return day_log.answer_elicited(handler_input, str(eliciting), yes)
        pending = attrs.pop(PENDING, None)
        if not isinstance(pending, str) or not dialog.has_question(pending):
            return unexpected_yes_no(handler_input)
        asked = dialog.question(pending)
        return (asked.yes if yes else asked.no)(handler_input)


class FallbackIntentHandler(dialog.IntentHandler):
    """Anything we did not understand: ask the open question again, or offer examples."""

    INTENTS = ("AMAZON.FallbackIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        attrs = dialog.session(handler_input)
        eliciting = attrs.get(ELICITING)
        if eliciting in day_log.LOG_SLOTS:
            so_far = dict(attrs.get(LOG_SO_FAR) or {})
            return day_log.continue_day_log(handler_input, so_far, str(eliciting))
        pending = attrs.get(PENDING)
        if isinstance(pending, str) and dialog.has_question(pending):
            # The user was answering a yes/no question: ask it again rather than change topic.
            asked = dialog.question(pending)
            values = asked.words(handler_input)
            said = dialog.reply(handler_input).add("fallback.retry").add(asked.reprompt, **values)
            return said.ask(handler_input, asked.reprompt, **values)
        said = dialog.reply(handler_input).add("fallback")
        return said.ask(handler_input, "fallback.reprompt")


class HelpIntentHandler(dialog.IntentHandler):
    """Help that fits the stage the user is in."""

    INTENTS = ("AMAZON.HelpIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        status = services.status(ctx.uow(), ctx.user())
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "help.reflect")
        said.milestone(status).add(f"help.{status.stage.value}")
        return said.ask(handler_input, "help.reprompt")


class StopCancelIntentHandler(dialog.IntentHandler):
    """Stop and Cancel: a short goodbye."""

    INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        return dialog.reply(handler_input).add("goodbye").tell(handler_input)


class SupportIntentHandler(dialog.IntentHandler):
    """Crisis: warmth and the locale's line at once; nothing is stored or logged."""

    INTENTS = ("SupportIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        strings = dialog.ctx(handler_input).strings
        said = dialog.reply(handler_input).add(
            "support", crisis_line=strings.text("crisis_line"), emergency=strings.text("emergency")
        )
        dialog.session(handler_input).clear()
        return said.tell(handler_input)


class SessionEndedRequestHandler(AbstractRequestHandler):
    """The session ended: nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        log.info("session ended: %s", getattr(reason, "value", reason))
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: delete every row they have."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        if ctx.caller is not None:
            deleted = services.delete_user(ctx.uow(), ctx.caller.user_hash)
            log.info("skill disabled: user data %s", "deleted" if deleted else "absent")
        return handler_input.response_builder.response


def is_silent(handler_input: HandlerInput) -> bool:
    """Whether the request is an event that must be answered without words."""
    request_type = getattr(handler_input.request_envelope.request, "object_type", None)
    return request_type == "SessionEndedRequest" or str(request_type or "").startswith(
        SILENT_PREFIXES
    )


class SilentRequestHandler(AbstractRequestHandler):
    """Events that need no words: other skill events, system exceptions, CanFulfill."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_silent(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if getattr(request, "object_type", None) == "System.ExceptionEncountered":
            error = getattr(request, "error", None)
            log.warning("Alexa reported an error: %s", getattr(error, "object_type", None))
        return handler_input.response_builder.response


class UnknownIntentHandler(AbstractRequestHandler):
    """An intent this version does not know (a newer model, a stray request): as Fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        said = dialog.reply(handler_input).add("fallback")
        return said.ask(handler_input, "fallback.reprompt")
