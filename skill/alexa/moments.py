"""Moments of need, at any stage: the urge to reach out, the ex reaching out, and a safety
concern, which is answered at once whatever was being asked."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import services
from skill.alexa import day_log, dialog
from skill.domain.model import CALL_STAGES, CONTACT_EXPECTED_STAGES

#: Ways through an urge, `urge.way.0` … in every language; the next urge gets the next way.
URGE_WAYS = 8


class UrgeIntentHandler(dialog.IntentHandler):
    """'I want to text my ex': the feeling heard, one way to ride it out, what it protects."""

    INTENTS = ("UrgeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        result = services.record_urge(ctx.uow(), ctx.user(), URGE_WAYS)
        status, said = result.status, dialog.reply(handler_input)
        if dialog.needs_reflect(status):  # help first, then the questions that set the plan
            said.add("urge.ack").add("urge.way.0")
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        if status.unsafe:
            return said.add("urge.unsafe").tell(handler_input)
        if status.stage in CONTACT_EXPECTED_STAGES or result.way is None:
            return said.add("urge.expected").tell(handler_input)
        said.add("urge.ack").add(f"urge.way.{result.way}")
        if status.no_contact_days:
            said.add("urge.protecting", days=said.days(status.no_contact_days))
        else:
            said.add("urge.protecting.zero")
        return said.tell(handler_input)


class ExReachedOutIntentHandler(dialog.IntentHandler):
    """'My ex texted me': not a slip by itself; what to do depends on the stage."""

    INTENTS = ("ExReachedOutIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        status = services.status(ctx.uow(), ctx.user())
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        if status.unsafe:
            return said.add("exreach.unsafe").tell(handler_input)
        if status.stage in CONTACT_EXPECTED_STAGES:
            return said.add("exreach.expected").tell(handler_input)
        if status.stage in CALL_STAGES:  # a milestone that came due is not skipped
            return said.milestone(status).add("exreach.ready").tell(handler_input)
        said.milestone(status).add("exreach.before")
        return dialog.ask(handler_input, said, "did_reply")


def replied(handler_input: HandlerInput) -> Response:
    """'Did you reply?' yes: was it only about practical things?"""
    return dialog.ask(handler_input, dialog.reply(handler_input), "practical")


def did_not_reply(handler_input: HandlerInput) -> Response:
    """'Did you reply?' no: the strength that took."""
    return dialog.reply(handler_input).add("exreach.no_reply").tell(handler_input)


def practical(handler_input: HandlerInput) -> Response:
    """Only practical things: necessary contact, which breaks nothing."""
    ctx = dialog.ctx(handler_input)
    services.record_necessary_contact(ctx.uow(), ctx.user())
    return dialog.reply(handler_input).add("exreach.practical").tell(handler_input)


def not_practical(handler_input: HandlerInput) -> Response:
    """More than practical things: a slip, met without blame."""
    ctx = dialog.ctx(handler_input)
    return day_log.tell_slip(handler_input, services.record_slip(ctx.uow(), ctx.user()))


class SafetyConcernIntentHandler(dialog.IntentHandler):
    """'My ex hit me': at any moment, warm words, the abuse line and the emergency number;
    the journey becomes one that was not safe. Nothing said is stored, only that flag."""

    INTENTS = ("SafetyConcernIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        if ctx.caller is not None:
            services.mark_unsafe(ctx.uow(), ctx.caller)
        dialog.session(handler_input).clear()  # whatever was being asked can wait
        return dialog.reply(handler_input).add("safety.concern").tell(handler_input)
