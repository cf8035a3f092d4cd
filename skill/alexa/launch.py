"""Opening the skill: the reflect questions for someone new, a greeting for someone back."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog, reminders


class LaunchRequestHandler(AbstractRequestHandler):
    """New user: the reflect question. Returning user: days, milestone, next step."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input) or is_intent_name(
            "AMAZON.NavigateHomeIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        can_remind = ctx.api is not None
        status = services.open_session(
            ctx.uow(),
            ctx.user(),
            offer_reminder=reminders.offer_due if can_remind else None,
        )
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            lead = "welcome.new" if status.is_new else "reflect.before_we_start"
            return dialog.ask_safety(handler_input, said, lead)
        said.add("welcome.back").milestone(status)
        dialog.days_sentence(said, status)
        if can_remind and reminders.offer_due(status):
            return dialog.ask(handler_input, said, "reminder_offer")
        return dialog.offer_next(handler_input, said, status)


# -- answers to the reflect questions (see questions.py) -----------------------------------


def felt_safe(handler_input: HandlerInput) -> Response:
    """Safe and respected: the second question, whether it is worth pursuing."""
    return dialog.ask(handler_input, dialog.reply(handler_input), "worth")


def felt_unsafe(handler_input: HandlerInput) -> Response:
    """Not safe: moving on, the abuse line, and never a suggestion of contact."""
    status = services.answer_safety(
        dialog.ctx(handler_input).uow(), dialog.caller(handler_input), safe=False
    )
    said = dialog.reply(handler_input).add("reflect.unsafe")
    return dialog.offer_next(handler_input, said, status)


def worth_it(handler_input: HandlerInput) -> Response:
    """Worth pursuing: no contact starts today."""
    return _start(handler_input, worth=True)


def not_worth_it(handler_input: HandlerInput) -> Response:
    """Not worth it: moving on, a brave choice."""
    return _start(handler_input, worth=False)


def _start(handler_input: HandlerInput, *, worth: bool) -> Response:
    status = services.answer_worth_pursuing(
        dialog.ctx(handler_input).uow(), dialog.caller(handler_input), worth_it=worth
    )
    said = dialog.reply(handler_input)
    said.add("reflect.start_no_contact" if worth else "reflect.start_moving_on")
    return dialog.offer_next(handler_input, said, status)
