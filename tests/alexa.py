"""A test driver that talks to the skill the way Alexa does: JSON envelopes in and out."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures" / "alexa"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000c0ac"
API_ENDPOINT = "https://api.amazonalexa.com"

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def load_lambda_handler() -> Any:
    """Import lambda/handler.py afresh (its folder name is a keyword, so by path)."""
    spec = importlib.util.spec_from_file_location(
        f"lambda_handler_{uuid.uuid4().hex}", ROOT / "lambda" / "handler.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plain(ssml: str | None) -> str:
    """SSML to the words a person hears (sounds shown as [sound])."""
    if not ssml:
        return ""
    text = re.sub(r"<audio[^>]*/>", "[sound]", ssml)
    text = re.sub(r"<[^>]+>", "", text)
    return (
        text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
    ).strip()


class Turn:
    """One response, with the parts a test looks at."""

    def __init__(self, envelope: dict[str, Any]) -> None:
        self.envelope = envelope
        self.response: dict[str, Any] = envelope.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return plain(self.ssml)

    @property
    def reprompt(self) -> str:
        speech = (self.response.get("reprompt") or {}).get("outputSpeech") or {}
        return plain(speech.get("ssml"))

    @property
    def ended(self) -> bool:
        return bool(self.response.get("shouldEndSession"))

    @property
    def directives(self) -> list[dict[str, Any]]:
        return list(self.response.get("directives") or [])

    @property
    def elicited_slot(self) -> str | None:
        for d in self.directives:
            if d.get("type") == "Dialog.ElicitSlot":
                return str(d["slotToElicit"])
        return None

    def __repr__(self) -> str:
        return f"Turn({self.speech!r}, ended={self.ended})"


class Alexa:
    """A user at a device: a clock, a locale, a session, and the envelopes Alexa would send."""

    def __init__(
        self,
        handler: Handler,
        *,
        user_id: str = "amzn1.ask.account.TESTUSER",
        locale: str = "en-US",
        now: datetime | None = None,
        device_id: str = "amzn1.ask.device.TESTDEVICE",
        api_token: str | None = None,
        skill_id: str = SKILL_ID,
        reminders_granted: bool = False,
        apl: bool = False,
    ) -> None:
        self.handler = handler
        self.user_id = user_id
        self.locale = locale
        self.now = now or datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
        self.device_id = device_id
        self.api_token = api_token
        self.skill_id = skill_id
        self.reminders_granted = reminders_granted
        self.apl = apl
        self.session_id: str | None = None
        self.attributes: dict[str, Any] = {}
        self.last: Turn | None = None

    # -- time --------------------------------------------------------------------------

    def next_day(self, days: int = 1) -> Alexa:
        self.now += timedelta(days=days)
        self.end_session()
        return self

    def end_session(self) -> None:
        self.session_id = None
        self.attributes = {}

    # -- envelopes ---------------------------------------------------------------------

    def envelope(self, request: dict[str, Any], *, new: bool | None = None) -> dict[str, Any]:
        is_new = self.session_id is None if new is None else new
        if self.session_id is None:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        user: dict[str, Any] = {"userId": self.user_id}
        if self.reminders_granted:
            user["permissions"] = {
                "scopes": {"alexa::alerts:reminders:skill:readwrite": {"status": "GRANTED"}}
            }
        interfaces: dict[str, Any] = {}
        if self.apl:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2024.2"}}
        system: dict[str, Any] = {
            "application": {"applicationId": self.skill_id},
            "user": user,
            "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
            "apiEndpoint": API_ENDPOINT,
        }
        if self.api_token:
            system["apiAccessToken"] = self.api_token
        base = {
            "type": request.pop("type"),
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": self.locale,
        }
        base.update(request)
        return {
            "version": "1.0",
            "session": {
                "new": is_new,
                "sessionId": self.session_id,
                "application": {"applicationId": self.skill_id},
                "attributes": copy.deepcopy(self.attributes),
                "user": {"userId": self.user_id},
            },
            "context": {"System": system},
            "request": base,
        }

    def send(self, event: dict[str, Any]) -> Turn:
        result = self.handler(json.loads(json.dumps(event)), None)
        turn = Turn(json.loads(json.dumps(result)))
        self.last = turn
        self.attributes = copy.deepcopy(result.get("sessionAttributes") or {})
        if turn.ended or event["request"]["type"] == "SessionEndedRequest":
            self.end_session()
        return turn

    def connections_response(self, name: str, status: str, token: str) -> Turn:
        return self.send(
            self.envelope(
                {
                    "type": "Connections.Response",
                    "name": name,
                    "status": {"code": "200", "message": "OK"},
                    "payload": {"status": status},
                    "token": token,
                }
            )
        )

    def launch(self) -> Turn:
        self.end_session()
        return self.send(self.envelope({"type": "LaunchRequest"}))

    def intent(
        self,
        name: str,
        *,
        dialog_state: str | None = None,
        resolutions: dict[str, tuple[str, str] | None] | None = None,
        **slot_values: str | None,
    ) -> Turn:
        """Send an IntentRequest; `resolutions` maps slot → (id, TYPE) for ER_SUCCESS_MATCH,
        or None for ER_SUCCESS_NO_MATCH."""
        slots: dict[str, Any] = {}
        for slot, value in slot_values.items():
            entry: dict[str, Any] = {"name": slot, "confirmationStatus": "NONE"}
            if value is not None:
                entry["value"] = value
            if resolutions and slot in resolutions:
                resolved = resolutions[slot]
                authority = f"amzn1.er-authority.echo-sdk.{self.skill_id}."
                if resolved is None:
                    entry["resolutions"] = {
                        "resolutionsPerAuthority": [
                            {
                                "authority": authority + "X",
                                "status": {"code": "ER_SUCCESS_NO_MATCH"},
                            }
                        ]
                    }
                else:
                    value_id, slot_type = resolved
                    entry["resolutions"] = {
                        "resolutionsPerAuthority": [
                            {
                                "authority": authority + slot_type,
                                "status": {"code": "ER_SUCCESS_MATCH"},
                                "values": [{"value": {"name": value or value_id, "id": value_id}}],
                            }
                        ]
                    }
            slots[slot] = entry
        request: dict[str, Any] = {
            "type": "IntentRequest",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots},
        }
        if dialog_state:
            request["dialogState"] = dialog_state
        return self.send(self.envelope(request))

    def say_yes(self) -> Turn:
        return self.intent("AMAZON.YesIntent")

    def say_no(self) -> Turn:
        return self.intent("AMAZON.NoIntent")

    def session_ended(self, reason: str = "USER_INITIATED") -> Turn:
        return self.send(self.envelope({"type": "SessionEndedRequest", "reason": reason}))

    # -- journeys ------------------------------------------------------------------------

    def onboard(self) -> Turn:
        """A new user answers yes (safe) and yes (worth pursuing): no contact from today."""
        self.launch()
        self.say_yes()
        turn = self.say_yes()
        self.end_session()
        return turn

    def log_day(
        self, contact: str = "no contact", activity: str = "gym", confidence: int = 7
    ) -> Turn:
        """Log a whole day in one utterance."""
        turn = self.intent(
            "LogDayIntent", contact=contact, activity=activity, confidence=str(confidence)
        )
        self.end_session()
        return turn
