"""When something fails: a spoken apology in the user's language, never a stack trace."""

from __future__ import annotations

import logging
import traceback

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import context
from skill.alexa.builtins import is_silent
from skill.alexa.speech import Reply
from skill.db.database import describe
from skill.i18n import Strings

log = logging.getLogger(__name__)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: a spoken apology in the user's language (silence for events)."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        if isinstance(exception, context.NoCaller):  # expected: answered, nothing stored
            log.warning("request answered without storing anything: %s", exception)
        else:
            self._log(exception)
        invocation = handler_input.context
        if isinstance(invocation, context.Invocation):
            invocation.failed = True
        if is_silent(handler_input):
            return handler_input.response_builder.response
        ctx = handler_input.attributes_manager.request_attributes.get(context.ATTR)
        strings = ctx.strings if isinstance(ctx, context.RequestContext) else Strings("en-US")
        return Reply(strings).add("error").ask(handler_input, "error.reprompt")

    @staticmethod
    def _log(exception: Exception) -> None:
        # The frames, never the messages: a driver's names the database's host and port.
        frames = "".join(traceback.format_tb(exception.__traceback__))
        log.error(
            "request failed: %s\nTraceback (most recent call last):\n%s",
            describe(exception),
            frames.rstrip(),
        )
