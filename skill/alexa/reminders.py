"""Daily reminders through the Alexa Reminders API, with the voice permission flow."""

from __future__ import annotations

import logging
import re
from datetime import time
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog, slots
from skill.alexa.alexa_api import REMINDERS_SCOPE, AlexaApiError
from skill.alexa.speech import Reply
from skill.i18n import Strings

log = logging.getLogger(__name__)

#: When the launch offers a reminder, this is the time it suggests.
OFFER_TIME = time(20, 0)
#: Logged days after which the launch offers a reminder (once).
OFFER_AFTER_LOG_DAYS = 3
TOKEN_PREFIX = "reminder@"
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time(value: Any) -> time | None:
    """An AMAZON.TIME value as a clock time ("21:00"); periods such as "EV" are not a time."""
    if not isinstance(value, str):
        return None
    match = _CLOCK.match(value.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def spoken_time(strings: Strings, at: time) -> str:
    """'9:00 PM' in en-US, '21:00' in German: the locale's short time."""
    from babel.dates import format_time  # only reminder replies need dates

    text = format_time(at, format="short", locale=strings.locale.replace("-", "_"))
    return text.replace("\u202f", " ").replace("\xa0", " ")


def offer_due(status: services.Status) -> bool:
    """Whether the launch should offer a reminder: a regular logger with none, never asked."""
    return (
        status.log_days >= OFFER_AFTER_LOG_DAYS
        and not status.has_reminder
        and not status.reminder_offered
    )


def ask_permission(handler_input: HandlerInput, at: time) -> Response:
    """Ask for the reminders permission by voice; Alexa answers with Connections.Response."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective  # rarely needed

    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=f"{TOKEN_PREFIX}{at.strftime('%H:%M')}",
    )
    return handler_input.response_builder.add_directive(directive).response


def set_daily_reminder(handler_input: HandlerInput, at: time) -> Response:
    """Create (or replace) the daily reminder at `at`, asking for permission when needed."""
    ctx = dialog.ctx(handler_input)
    strings = ctx.strings
    reply = Reply(strings)
    if ctx.api is None:
        return reply.add("reminder.no_api").tell(handler_input)
    if not ctx.reminders_granted:
        return ask_permission(handler_input, at)
    caller = dialog.caller(handler_input)
    state = services.reminder_state(ctx.uow(), caller)
    if ctx.request_id:
        try:
            ctx.api.speak_now(ctx.request_id, Reply(strings).add("reminder.one_moment").speech())
        except AlexaApiError as exc:
            log.info("progressive response skipped: %s", exc.kind)
    try:
        if state.token:
            ctx.api.delete_reminder(state.token)
        token = ctx.api.create_daily_reminder(
            hour=at.hour,
            minute=at.minute,
            zone=state.zone,
            locale=strings.locale,
            text=strings.text("reminder.text"),
            now=caller.now,
        )
    except AlexaApiError as exc:
        log.warning("reminder not set: %s", exc.kind)
        if exc.needs_permission:
            return ask_permission(handler_input, at)
        if state.token and exc.kind != "not_found":
            services.save_reminder(ctx.uow(), caller, None, None)
        return reply.add("reminder.failed").tell(handler_input)
    services.save_reminder(ctx.uow(), caller, token, at.strftime("%H:%M"))
    key = "reminder.replaced" if state.token else "reminder.set"
    return reply.add(key, time=spoken_time(strings, at)).tell(handler_input)


def offer_words(handler_input: HandlerInput) -> dict[str, Any]:
    """The placeholders of the launch's reminder offer: the time it suggests."""
    return {"time": spoken_time(dialog.ctx(handler_input).strings, OFFER_TIME)}


def offer_accepted(handler_input: HandlerInput) -> Response:
    """'Shall I remind you at 8 PM?' yes."""
    return set_daily_reminder(handler_input, OFFER_TIME)


def offer_declined(handler_input: HandlerInput) -> Response:
    """'Shall I remind you?' no: fine, and the day's next step instead."""
    ctx = dialog.ctx(handler_input)
    status = services.status(ctx.uow(), ctx.user())
    said = dialog.reply(handler_input).add("reminder.offer.declined")
    return dialog.offer_next(handler_input, said, status)


class SetReminderIntentHandler(dialog.IntentHandler):
    """'Remind me to log my day at nine pm': a daily reminder at that local time."""

    INTENTS = ("SetReminderIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        slot = (getattr(intent, "slots", None) or {}).get("time")
        at = parse_time(getattr(slot, "value", None))
        if at is None:
            said = dialog.reply(handler_input).add("reminder.elicit.time")
            return slots.elicit(
                handler_input, said, "SetReminderIntent", "time", "reminder.elicit.time.reprompt"
            )
        return set_daily_reminder(handler_input, at)


class CancelReminderIntentHandler(dialog.IntentHandler):
    """'Stop my reminders': delete the daily reminder."""

    INTENTS = ("CancelReminderIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        caller = dialog.caller(handler_input)
        reply = Reply(ctx.strings)
        state = services.reminder_state(ctx.uow(), caller)
        if not state.token:
            return reply.add("reminder.cancel.none").tell(handler_input)
        if ctx.api is None:
            return reply.add("reminder.no_api").tell(handler_input)
        try:
            ctx.api.delete_reminder(state.token)
        except AlexaApiError as exc:
            log.warning("reminder not deleted: %s", exc.kind)
            return reply.add("reminder.cancel.failed").tell(handler_input)
        services.save_reminder(ctx.uow(), caller, None, None)
        return reply.add("reminder.cancelled").tell(handler_input)


class PermissionResponseHandler(AbstractRequestHandler):
    """Alexa's answer to our AskFor: accepted → set the reminder; otherwise say how to later."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return is_request_type("Connections.Response")(handler_input) and (
            getattr(request, "name", None) == "AskFor"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        payload = getattr(request, "payload", None) or {}
        status = payload.get("status") if isinstance(payload, dict) else None
        token = getattr(request, "token", None) or ""
        at = parse_time(token[len(TOKEN_PREFIX) :]) if token.startswith(TOKEN_PREFIX) else None
        reply = Reply(dialog.ctx(handler_input).strings)
        if status == "ACCEPTED" and at is not None:
            dialog.ctx(handler_input).reminders_granted = True
            return set_daily_reminder(handler_input, at)
        return reply.add("reminder.permission_denied").tell(handler_input)


class PermissionChangedHandler(AbstractRequestHandler):
    """The user changed the skill's permissions: without reminders, forget our reminder."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillPermissionChanged")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        body = getattr(handler_input.request_envelope.request, "body", None)
        accepted = getattr(body, "accepted_permissions", None) or []
        scopes = {getattr(p, "scope", None) for p in accepted}
        ctx = dialog.ctx(handler_input)
        if REMINDERS_SCOPE not in scopes and ctx.caller is not None:
            services.save_reminder(ctx.uow(), ctx.caller, None, None)
            log.info("reminders permission withdrawn: reminder forgotten")
        return handler_input.response_builder.response
