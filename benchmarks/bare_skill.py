"""The baseline: a bare ask-sdk-core hello-world skill, built with SkillBuilder.

It is invoked exactly the way `CoachSkill.invoke` is: the event dict is dumped to JSON,
deserialized into a RequestEnvelope, dispatched, and the ResponseEnvelope serialized back.
(`SkillBuilder.lambda_handler()` would also rebuild the CustomSkill on every call; the skill
here is built once, as ours is.) It imports nothing of ours, so the cold-start benchmark can
load it by path.
"""

from __future__ import annotations

import json
from typing import Any, cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import RequestEnvelope, Response

SPEECH = "Hello world!"


class LaunchRequestHandler(AbstractRequestHandler):
    """Launch: hello, and keep the session open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak(SPEECH).ask(SPEECH).response


class HelloIntentHandler(AbstractRequestHandler):
    """Every intent: hello, and end the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak(SPEECH).set_should_end_session(True).response


class SessionEndedRequestHandler(AbstractRequestHandler):
    """Session ended: nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


_builder = SkillBuilder()
_builder.add_request_handler(LaunchRequestHandler())
_builder.add_request_handler(HelloIntentHandler())
_builder.add_request_handler(SessionEndedRequestHandler())
_skill = _builder.create()
_serializer = DefaultSerializer()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda handler: event dict → deserialize → invoke → serialize."""
    envelope = _serializer.deserialize(json.dumps(event), RequestEnvelope)
    return cast(dict[str, Any], _serializer.serialize(_skill.invoke(envelope, context)))
