"""Alexa request envelopes, built the way the Alexa service builds them.

The console never has an `apiAccessToken`: the skill is given the user's time zone directly
(`zone_lookup`) and sees no permissions, exactly like a user who granted none.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

CONSOLE_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-c0ffeec0ac4e"
API_ENDPOINT = "https://api.amazonalexa.com"


def _opaque(prefix: str, seed: str) -> str:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return prefix + base64.b32encode(digest).decode("ascii").rstrip("=")


def user_id_for(name: str) -> str:
    """A stable Alexa-style user id for a console user name ("me" → amzn1.ask.account.…)."""
    return _opaque("amzn1.ask.account.", f"comeback-coach-console-user:{name}")


def device_id_for(name: str) -> str:
    """A stable Alexa-style device id for a console user name."""
    return _opaque("amzn1.ask.device.", f"comeback-coach-console-device:{name}")


def new_session_id() -> str:
    """A fresh session id."""
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def new_request_id() -> str:
    """A fresh request id."""
    return f"amzn1.echo-api.request.{uuid.uuid4()}"


def alexa_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second, as Alexa writes `request.timestamp`."""
    if moment.tzinfo is None:
        raise ValueError("request timestamps need an aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Caller:
    """Who is talking and from where: the parts of an envelope that stay put across requests."""

    user_id: str
    device_id: str
    locale: str = "en-US"
    skill_id: str = CONSOLE_SKILL_ID

    @classmethod
    def named(cls, name: str, *, locale: str = "en-US", skill_id: str | None = None) -> Caller:
        """A caller whose ids derive from a console user name."""
        return cls(user_id_for(name), device_id_for(name), locale, skill_id or CONSOLE_SKILL_ID)


@dataclass
class SessionState:
    """An Alexa session as the service tracks it between requests."""

    session_id: str = field(default_factory=new_session_id)
    new: bool = True
    attributes: JSON = field(default_factory=dict)


def _session(caller: Caller, session: SessionState) -> JSON:
    body: JSON = {
        "new": session.new,
        "sessionId": session.session_id,
        "application": {"applicationId": caller.skill_id},
        "user": {"userId": caller.user_id},
    }
    if not session.new:
        body["attributes"] = dict(session.attributes)
    return body


def _context(caller: Caller) -> JSON:
    return {
        "System": {
            "application": {"applicationId": caller.skill_id},
            "user": {"userId": caller.user_id},
            "device": {"deviceId": caller.device_id, "supportedInterfaces": {}},
            "apiEndpoint": API_ENDPOINT,
        }
    }


def envelope(caller: Caller, session: SessionState | None, request: JSON) -> JSON:
    """A full request envelope around `request`; no session for out-of-session events."""
    body: JSON = {"version": "1.0"}
    if session is not None:
        body["session"] = _session(caller, session)
    body["context"] = _context(caller)
    body["request"] = request
    return body


def _request(kind: str, caller: Caller, now: datetime) -> JSON:
    return {
        "type": kind,
        "requestId": new_request_id(),
        "timestamp": alexa_timestamp(now),
        "locale": caller.locale,
    }


def launch_request(caller: Caller, session: SessionState, now: datetime) -> JSON:
    """ "Alexa, open comeback coach"."""
    request = _request("LaunchRequest", caller, now)
    request["shouldLinkResultBeReturned"] = False
    return envelope(caller, session, request)


def intent_request(
    caller: Caller,
    session: SessionState,
    now: datetime,
    intent: Mapping[str, Any],
    dialog_state: str | None = None,
) -> JSON:
    """An IntentRequest for `intent` (`{"name", "confirmationStatus", "slots"}`)."""
    request = _request("IntentRequest", caller, now)
    if dialog_state is not None:
        request["dialogState"] = dialog_state
    request["intent"] = dict(intent)
    return envelope(caller, session, request)


def session_ended_request(
    caller: Caller,
    session: SessionState,
    now: datetime,
    reason: str = "USER_INITIATED",
    error: Mapping[str, str] | None = None,
) -> JSON:
    """A SessionEndedRequest (USER_INITIATED, EXCEEDED_MAX_REPROMPTS or ERROR)."""
    request = _request("SessionEndedRequest", caller, now)
    request["reason"] = reason
    if error is not None:
        request["error"] = dict(error)
    return envelope(caller, session, request)


def skill_disabled_event(caller: Caller, now: datetime) -> JSON:
    """The `AlexaSkillEvent.SkillDisabled` event sent when the user disables the skill."""
    request = _request("AlexaSkillEvent.SkillDisabled", caller, now)
    request["eventCreationTime"] = request["timestamp"]
    request["eventPublishingTime"] = request["timestamp"]
    request["body"] = {"userInformation": {"consent": "NONE"}}
    return envelope(caller, None, request)
