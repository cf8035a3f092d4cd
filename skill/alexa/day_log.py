"""The day log ("log my day"), asked one slot at a time, and slips ("I texted my ex")."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog, slots
from skill.alexa.dialog import ELICITING, LOG_SO_FAR
from skill.alexa.speech import Reply
from skill.domain import rules
from skill.domain.model import CALL_STAGES, CONTACT_EXPECTED_STAGES, Activity, Contact, Stage

LOG_SLOTS = ("contact", "activity", "confidence")
#: Kept with the slots while the log is asked: the stage and best streak when it began.
STAGE, BEST, HEARD = "_stage", "_best", "_heard"  # HEARD: the contact was met already
CONTACT_IDS = frozenset(c.value for c in Contact)
ACTIVITY_IDS = frozenset(a.value for a in Activity)
CLOCK_STAGES = (Stage.NO_CONTACT, Stage.CONFIDENCE, Stage.READY)


def _heard(handler_input: HandlerInput) -> dict[str, Any]:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    return getattr(intent, "slots", None) or {}


def _elicit(
    handler_input: HandlerInput,
    slot: str,
    so_far: dict[str, Any],
    retry: bool,
    lead: services.Status | None,
) -> Response:
    """Ask for one missing slot of the day log with Dialog.ElicitSlot."""
    attrs = dialog.session(handler_input)
    attrs[ELICITING] = slot
    attrs[LOG_SO_FAR] = so_far
    attrs.pop(dialog.PENDING, None)
    heard = _heard(handler_input)
    # Carry the user's own words when this request has them (so Alexa resolves them
    # again), else the value id already known (the session keeps the ids either way).
    values = {
        name: (slots.spoken_value(heard.get(name)) or str(so_far[name]))
        if so_far.get(name) is not None
        else None
        for name in LOG_SLOTS
    }
    said = dialog.reply(handler_input)
    if lead is not None:
        said.milestone(lead)
    if slot == "activity" and not retry and so_far.get("contact") == Contact.SOME.value:
        _acknowledge_contact(said, so_far)
        so_far[HEARD] = True
    said.add(f"log.elicit.{slot}" + (".retry" if retry else ""))
    reprompt = f"log.elicit.{slot}.reprompt"
    return slots.elicit(handler_input, said, "LogDayIntent", slot, reprompt, values)


def _acknowledge_contact(said: Reply, so_far: dict[str, Any]) -> None:
    """Contact told in the middle of a day log, met before the next question: without
    blame and with what was achieved; the call the coach advised, as the step it was."""
    stage = so_far.get(STAGE)
    if stage is None:  # a log begun from an offer: the stage is told when it is logged
        said.add("log.contact_heard")
    elif stage in {str(s) for s in CONTACT_EXPECTED_STAGES}:
        said.add("log.contact_expected")
    elif stage in {str(s) for s in CALL_STAGES}:
        said.add("log.call_heard")
    elif so_far.get(BEST):
        said.add("log.slip_heard", best=said.days(int(so_far[BEST])))
    else:
        said.add("log.slip_heard.first")


def continue_day_log(
    handler_input: HandlerInput,
    so_far: dict[str, Any],
    retry: str | None = None,
    *,
    lead: services.Status | None = None,
    replace_slip: bool | None = None,
) -> Response:
    """Elicit the next missing slot (re-asking `retry`, after `lead`'s milestone), or log the
    day when all are known (`replace_slip`: the answer to "shall I change today to no
    contact?", when the log would replace a slip told earlier today)."""
    if lead is not None:  # what the dialog needs to know of the user as it goes
        so_far[STAGE] = str(lead.stage)
        so_far[BEST] = lead.best_streak
    for name in LOG_SLOTS:
        if so_far.get(name) is None:
            return _elicit(handler_input, name, so_far, retry == name, lead)
    attrs = dialog.session(handler_input)
    attrs.pop(ELICITING, None)
    attrs.pop(LOG_SO_FAR, None)
    ctx = dialog.ctx(handler_input)
    contact = Contact(so_far["contact"])
    result = services.log_day(
        ctx.uow(),
        ctx.user(),
        contact,
        Activity(so_far["activity"]),
        int(so_far["confidence"]),
        history=ctx.apl,
        replace_slip=replace_slip,
    )
    status = result.status
    said = dialog.reply(handler_input)
    if dialog.needs_reflect(status):
        return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
    if result.replaces_slip:
        attrs[LOG_SO_FAR] = so_far  # kept for the answer
        return dialog.ask(handler_input, said, "replace_slip")
    said.add("log.updated" if result.updated else "log.saved")
    called = contact is Contact.SOME and status.stage in CALL_STAGES
    if result.slip:
        if status.best_streak and not so_far.get(HEARD):
            said.add("log.slip", best=said.days(status.best_streak))
        else:
            said.add("log.slip.first")
    elif contact is Contact.NECESSARY and status.stage in CLOCK_STAGES:
        said.add("log.necessary")
    elif contact is Contact.SOME and status.stage in CONTACT_EXPECTED_STAGES:
        said.add("log.contact_expected")
    said.milestone(status)
    if not result.slip and not called:
        dialog.days_sentence(said, status)
    said.add("log.streak", log_days=said.strings.count("unit.log_day", status.log_streak))
    if called:  # the call the coach advised: did they agree to meet?
        dialog.show_screen(handler_input, said, status, "day_log", updated=result.updated)
        return dialog.ask(handler_input, said, "call_agreed")
    return dialog.tell_with_screen(handler_input, said, status, "day_log", updated=result.updated)


def replace_slip(handler_input: HandlerInput, yes: bool) -> Response:
    """'Shall I change today to no contact?' yes replaces the slip; no keeps it."""
    so_far: dict[str, Any] = dict(dialog.session(handler_input).get(LOG_SO_FAR) or {})
    if any(so_far.get(name) is None for name in LOG_SLOTS):
        return dialog.declined(handler_input)  # the log it was about is gone
    return continue_day_log(handler_input, so_far, replace_slip=yes)


class LogDayIntentHandler(dialog.IntentHandler):
    """'Log my day': contact, then activity, then confidence 1–10, one slot at a time."""

    INTENTS = ("LogDayIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        locale = ctx.strings.locale
        attrs = dialog.session(handler_input)
        so_far: dict[str, Any] = dict(attrs.get(LOG_SO_FAR) or {})
        given = _heard(handler_input)
        retry: str | None = None

        for name, slot_type, allowed in (
            ("contact", "CONTACT_STATUS", CONTACT_IDS),
            ("activity", "ACTIVITY", ACTIVITY_IDS),
        ):
            value_id = slots.resolve_id(given.get(name), slot_type, locale, allowed)
            if value_id:
                so_far[name] = value_id
            elif slots.spoken_value(given.get(name)) and so_far.get(name) is None:
                retry = retry or name

        confidence = given.get("confidence")
        number = slots.number(confidence)
        if number is not None and rules.CONFIDENCE_MIN <= number <= rules.CONFIDENCE_MAX:
            so_far["confidence"] = number
        elif slots.spoken_value(confidence) is not None:
            so_far.pop("confidence", None)
            retry = retry or "confidence"

        # Only re-ask a slot now if every slot before it is known.
        if (
            retry is not None
            and so_far.get(retry) is None
            and any(n not in so_far for n in LOG_SLOTS[: LOG_SLOTS.index(retry)])
        ):
            retry = None
        complete = all(so_far.get(n) is not None for n in LOG_SLOTS)
        if complete or ELICITING in attrs:
            return continue_day_log(handler_input, so_far, retry)
        # The dialog is starting: someone who has not answered the reflect questions answers
        # them first; a milestone that came due is celebrated before the first question.
        status = services.status(ctx.uow(), ctx.user())
        if dialog.needs_reflect(status):
            said = dialog.reply(handler_input)
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        return continue_day_log(handler_input, so_far, retry, lead=status)


def answer_elicited(handler_input: HandlerInput, slot: str, yes: bool) -> Response:
    """A bare yes or no while the day log is asking for a slot."""
    so_far: dict[str, Any] = dict(dialog.session(handler_input).get(LOG_SO_FAR) or {})
    if slot == "contact":
        so_far["contact"] = Contact.SOME.value if yes else Contact.NONE.value
        return continue_day_log(handler_input, so_far)
    if slot == "activity" and not yes:
        so_far["activity"] = Activity.NONE.value
        return continue_day_log(handler_input, so_far)
    return continue_day_log(handler_input, so_far, slot)


def log_offer_accepted(handler_input: HandlerInput) -> Response:
    """'Shall we log your day?' yes: the first question of the day log."""
    return continue_day_log(handler_input, {})


class SlipIntentHandler(dialog.IntentHandler):
    """'I texted my ex': no blame, what was achieved, the clock restarts."""

    INTENTS = ("SlipIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        return tell_slip(handler_input, services.record_slip(ctx.uow(), ctx.user()))


def tell_slip(handler_input: HandlerInput, result: services.SlipResult) -> Response:
    """The reply to contact told as it happened (a slip, the advised call, or contact the
    stage expects)."""
    status = result.status
    said = dialog.reply(handler_input)
    if dialog.needs_reflect(status):
        return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
    if status.stage in CALL_STAGES:  # the call the coach advised: not a slip
        said.add("slip.call")
        return dialog.ask(handler_input, said, "call_agreed")
    if not result.counted:
        return said.add("slip.contact_expected").tell(handler_input)
    best = said.days(status.best_streak)
    if result.already_today:
        key = "slip.again_today" if status.best_streak else "slip.again_today.first"
        return said.add(key, best=best).tell(handler_input)
    said.add("slip.moving_on" if status.stage is Stage.MOVING_ON else "slip.counted")
    if status.contact_free_days:
        free, total = status.contact_free_days, said.days(status.journey_days)
        said.add("slip.share", plural=free, free=free, total=total)
    if status.best_streak:
        said.add("slip.best", best=best)
    return said.add("slip.restart").tell(handler_input)


def call_agreed(handler_input: HandlerInput, yes: bool) -> Response:
    """'Did they agree to meet?' yes: the meeting stage and how to act; no: don't chase."""
    if not yes:
        return dialog.reply(handler_input).add("call.declined").tell(handler_input)
    ctx = dialog.ctx(handler_input)
    status, _arranged = services.arrange_meeting(ctx.uow(), ctx.user())
    said = dialog.reply(handler_input)
    if status.stage is Stage.MEETING:
        return said.add("call.agreed").add("meeting.advice").tell(handler_input)
    return said.add("offer.declined").tell(handler_input)  # the plan moved on meanwhile
