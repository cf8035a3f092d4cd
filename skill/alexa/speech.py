"""Building replies: sentences from the locale's strings, sounds, questions with reprompts."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.i18n import Strings, ssml
from skill.services import Status

#: Played before a milestone sentence (Alexa Skills Kit sound library).
MILESTONE_SOUND = (
    '<audio src="soundbank://soundlibrary/ui/gameshow/amzn_ui_sfx_gameshow_positive_response_01"/>'
)
SOUND_MARK = "[[milestone-sound]]"


class Reply:
    """Collects sentences, then answers as a statement (session ends) or a question."""

    def __init__(self, strings: Strings) -> None:
        self.strings = strings
        self.parts: list[str] = []

    def add(self, key: str, *, plural: int | None = None, **values: Any) -> Reply:
        """Append a message by key (`plural`: the number a message in plural forms agrees
        with)."""
        self.parts.append(self.strings.text(key, plural=plural, **values))
        return self

    def add_text(self, text: str) -> Reply:
        """Append text that is already in the user's language."""
        self.parts.append(text)
        return self

    def days(self, n: int) -> str:
        """'1 day' / '12 days' in the user's language."""
        return self.strings.count("unit.day", n)

    def milestone(self, status: Status) -> Reply:
        """Celebrate a milestone that came due with this request, with a sound."""
        if status.milestone is not None:  # each milestone has a sentence of its own
            self.add(
                f"milestone.{status.milestone}", sound=SOUND_MARK, days=self.days(status.milestone)
            )
        return self

    def speech(self) -> str:
        """The SSML body (without the <speak> wrapper the SDK adds)."""
        text = ssml(" ".join(p.strip() for p in self.parts if p.strip()))
        return text.replace(SOUND_MARK, MILESTONE_SOUND)

    def text(self) -> str:
        """The reply as plain text (for cards), without sounds."""
        joined = " ".join(p.strip() for p in self.parts if p.strip())
        return joined.replace(SOUND_MARK, "").strip()

    def tell(self, handler_input: HandlerInput) -> Response:
        """Say it and end the session."""
        return (
            handler_input.response_builder.speak(self.speech())
            .set_should_end_session(True)
            .response
        )

    def ask(self, handler_input: HandlerInput, reprompt_key: str, **values: Any) -> Response:
        """Say it, ask, and keep the session open with a reprompt."""
        reprompt = ssml(self.strings.text(reprompt_key, **values))
        return handler_input.response_builder.speak(self.speech()).ask(reprompt).response
