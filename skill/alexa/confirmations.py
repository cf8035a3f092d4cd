"""Choices that change the journey for good, each confirmed with a yes/no question first:
moving on, starting over, deleting every row the user has."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog


class _Confirm(dialog.IntentHandler):
    """An intent answered by asking its yes/no question (`QUESTION`) first."""

    QUESTION = ""

    def handle(self, handler_input: HandlerInput) -> Response:
        return dialog.ask(handler_input, dialog.reply(handler_input), self.QUESTION)


class MovedOnIntentHandler(_Confirm):
    """'I don't want them back': confirm first."""

    INTENTS = ("MovedOnIntent",)
    QUESTION = "moved_on"


class DeleteDataIntentHandler(_Confirm):
    """'Delete my data': confirm first."""

    INTENTS = ("DeleteDataIntent",)
    QUESTION = "delete"


class StartOverIntentHandler(_Confirm):
    """'Start over': confirm first (someone who never started answers the reflect questions)."""

    INTENTS = ("StartOverIntent",)
    QUESTION = "start_over"

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        status = services.status(ctx.uow(), ctx.user())
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        return dialog.ask(handler_input, said.milestone(status), self.QUESTION)


def _kept(key: str) -> dialog.Answer:
    """A 'no' that changes nothing: say so."""

    def answer(handler_input: HandlerInput) -> Response:
        return dialog.reply(handler_input).add(key).tell(handler_input)

    return answer


moved_on_kept = _kept("moved_on.no")
start_over_kept = _kept("start_over.no")
delete_kept = _kept("delete.no")


def move_on(handler_input: HandlerInput) -> Response:
    """Moving on, confirmed: a win."""
    services.move_on(dialog.ctx(handler_input).uow(), dialog.caller(handler_input))
    return dialog.reply(handler_input).add("moved_on.yes").tell(handler_input)


def start_over(handler_input: HandlerInput) -> Response:
    """Starting over, confirmed: the reflect questions again (the day logs stay)."""
    services.start_over(dialog.ctx(handler_input).uow(), dialog.caller(handler_input))
    return dialog.ask_safety(handler_input, dialog.reply(handler_input), "reflect.safety.ask")


def delete(handler_input: HandlerInput) -> Response:
    """Deleting, confirmed: every row of the user goes, and the session forgets them too."""
    deleted = services.delete_user(
        dialog.ctx(handler_input).uow(), dialog.caller(handler_input).user_hash
    )
    handler_input.attributes_manager.session_attributes = {}
    said = dialog.reply(handler_input).add("delete.done" if deleted else "delete.nothing")
    return said.tell(handler_input)
