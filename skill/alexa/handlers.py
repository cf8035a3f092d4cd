"""One handler class per intent. Each reads its slots, calls one service, picks the words."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Response, Slot, SlotConfirmationStatus

from skill import services
from skill.alexa import context, reminders, screens, slots
from skill.alexa.speech import Reply
from skill.domain import rules
from skill.domain.model import (
    CONTACT_EXPECTED_STAGES,
    Activity,
    Contact,
    MeetingOutcome,
    Stage,
)
from skill.domain.readiness import Condition
from skill.i18n import Strings
from skill.services import Caller, Status

log = logging.getLogger(__name__)

PENDING = "pending"  # the yes/no question the last reply asked
ELICITING = "eliciting"  # the LogDayIntent slot the last reply asked for
LOG_SO_FAR = "log"  # slot ids resolved so far in the day-log dialog

CONTACT_IDS = {c.value for c in Contact}
ACTIVITY_IDS = {a.value for a in Activity}
OUTCOME_IDS = {o.value for o in MeetingOutcome}
LOG_SLOTS = ("contact", "activity", "confidence")
CLOCK_STAGES = (Stage.NO_CONTACT, Stage.CONFIDENCE, Stage.READY)


# -- small helpers ------------------------------------------------------------------------


def _ctx(handler_input: HandlerInput) -> context.RequestContext:
    return context.get(handler_input)


def _caller(handler_input: HandlerInput) -> Caller:
    caller = _ctx(handler_input).caller
    if caller is None:
        raise LookupError("request has no user")
    return caller


def _session(handler_input: HandlerInput) -> dict[str, Any]:
    if handler_input.request_envelope.session is None:
        return {}  # an out-of-session event: nothing to remember between turns
    manager = handler_input.attributes_manager
    attrs: dict[str, Any] | None = manager.session_attributes
    if attrs is None:
        attrs = {}
        manager.session_attributes = attrs
    return attrs


def _intent(handler_input: HandlerInput) -> Any:
    return getattr(handler_input.request_envelope.request, "intent", None)


def _reply(handler_input: HandlerInput) -> Reply:
    return Reply(_ctx(handler_input).strings)


def _ask(
    handler_input: HandlerInput, reply: Reply, pending: str, reprompt_key: str, **values: object
) -> Response:
    _session(handler_input)[PENDING] = pending
    return reply.ask(handler_input, reprompt_key, **values)


def _days_sentence(reply: Reply, status: Status) -> None:
    if status.stage in (Stage.MEETING, Stage.REKINDLING):
        reply.add(f"days.{status.stage.value}")
    elif status.stage is Stage.MOVING_ON:
        reply.add("days.moving_on", days=reply.days(status.no_contact_days))
    elif status.no_contact_days == 0:
        reply.add("days.no_contact.zero")
    else:
        reply.add("days.no_contact", days=reply.days(status.no_contact_days))


def _ask_safety(handler_input: HandlerInput, reply: Reply, key: str) -> Response:
    reply.add(key)
    return _ask(handler_input, reply, "safety", "reflect.safety.reprompt")


def _offer_next(handler_input: HandlerInput, reply: Reply, status: Status) -> Response:
    """End a greeting with the obvious next step as a yes/no question."""
    if not status.logged_today:
        reply.add("offer.log")
        return _ask(handler_input, reply, "log_offer", "offer.log")
    reply.add("offer.tip")
    return _ask(handler_input, reply, "tip_offer", "offer.tip")


def _needs_reflect(status_or_stage: Status | Stage | None) -> bool:
    if isinstance(status_or_stage, Status):
        return not status_or_stage.started or status_or_stage.stage is Stage.REFLECT
    return status_or_stage is None or status_or_stage is Stage.REFLECT


def _stage(handler_input: HandlerInput) -> Stage | None:
    return services.current_stage(_ctx(handler_input).uow(), _caller(handler_input))


# -- launch and onboarding ----------------------------------------------------------------


class LaunchRequestHandler(AbstractRequestHandler):
    """New user: the reflect question. Returning user: days, milestone, next step."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input) or is_intent_name(
            "AMAZON.NavigateHomeIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = _ctx(handler_input)
        status = services.open_session(
            ctx.uow(),
            _caller(handler_input),
            offer_reminder=reminders.offer_due if ctx.api is not None else None,
        )
        reply = _reply(handler_input)
        if _needs_reflect(status):
            return _ask_safety(
                handler_input, reply, "welcome.new" if status.is_new else "reflect.before_we_start"
            )
        reply.add("welcome.back").milestone(status)
        _days_sentence(reply, status)
        if reminders.offer_due(status) and _ctx(handler_input).api is not None:
            at = reminders.spoken_time(reply.strings, reminders.OFFER_TIME)
            reply.add("reminder.offer", time=at)
            return _ask(handler_input, reply, "reminder_offer", "reminder.offer.reprompt", time=at)
        return _offer_next(handler_input, reply, status)


def answer_reflect(handler_input: HandlerInput, question: str, yes: bool) -> Response:
    """The two reflect questions: safety first, then whether it is worth pursuing."""
    uow, caller = _ctx(handler_input).uow, _caller(handler_input)
    reply = _reply(handler_input)
    if question == "safety":
        if yes:
            reply.add("reflect.worth.ask")
            return _ask(handler_input, reply, "worth", "reflect.worth.reprompt")
        status = services.answer_safety(uow(), caller, safe=False)
        reply.add("reflect.unsafe")
        return _offer_next(handler_input, reply, status)
    status = services.answer_worth_pursuing(uow(), caller, worth_it=yes)
    reply.add("reflect.start_no_contact" if yes else "reflect.start_moving_on")
    return _offer_next(handler_input, reply, status)


# -- the day log --------------------------------------------------------------------------


def _elicit(
    handler_input: HandlerInput, slot: str, so_far: dict[str, Any], retry: bool
) -> Response:
    """Ask for one missing slot of the day log with Dialog.ElicitSlot."""
    strings = _ctx(handler_input).strings
    session = _session(handler_input)
    session[ELICITING] = slot
    session[LOG_SO_FAR] = so_far
    session.pop(PENDING, None)
    heard = getattr(_intent(handler_input), "slots", None) or {}
    intent = Intent(
        name="LogDayIntent",
        confirmation_status=IntentConfirmationStatus.NONE,
        slots={
            name: Slot(
                name=name,
                value=_slot_text(heard.get(name), so_far.get(name)),
                confirmation_status=SlotConfirmationStatus.NONE,
            )
            for name in LOG_SLOTS
        },
    )
    key = f"log.elicit.{slot}" + (".retry" if retry else "")
    reply = Reply(strings).add(key)
    return (
        handler_input.response_builder.speak(reply.speech())
        .ask(Reply(strings).add(f"log.elicit.{slot}.reprompt").speech())
        .add_directive(slots.elicit(intent, slot))
        .response
    )


def _slot_text(heard: Any, known: Any) -> str | None:
    """What to carry in the updated intent for a slot: the user's own words when this
    request has them (so Alexa resolves them again), else the value id we already know
    (the session keeps the resolved ids either way)."""
    if known is None:
        return None
    spoken = slots.spoken_value(heard)
    return spoken if spoken is not None else str(known)


def continue_day_log(
    handler_input: HandlerInput, so_far: dict[str, Any], retry: str | None
) -> Response:
    """Elicit the next missing slot (re-asking `retry`), or log the day when all are known."""
    for name in LOG_SLOTS:
        if so_far.get(name) is None:
            return _elicit(handler_input, name, so_far, retry == name)
    session = _session(handler_input)
    session.pop(ELICITING, None)
    session.pop(LOG_SO_FAR, None)
    result = services.log_day(
        _ctx(handler_input).uow(),
        _caller(handler_input),
        Contact(so_far["contact"]),
        Activity(so_far["activity"]),
        int(so_far["confidence"]),
        history=_ctx(handler_input).apl,
    )
    status = result.status
    reply = _reply(handler_input)
    if _needs_reflect(status):
        return _ask_safety(handler_input, reply, "reflect.before_we_start")
    reply.add("log.updated" if result.updated else "log.saved")
    if result.slip:
        reply.add("log.slip", best=reply.days(status.best_streak))
    elif Contact(so_far["contact"]) is Contact.NECESSARY and status.stage in CLOCK_STAGES:
        reply.add("log.necessary")
    elif Contact(so_far["contact"]) is Contact.SOME and status.stage in CONTACT_EXPECTED_STAGES:
        reply.add("log.contact_expected")
    reply.milestone(status)
    if not result.slip:
        _days_sentence(reply, status)
    reply.add("log.streak", log_days=reply.strings.count("unit.log_day", status.log_streak))
    return _tell_with_screen(handler_input, reply, status)


def _tell_with_screen(handler_input: HandlerInput, reply: Reply, status: Status) -> Response:
    screens.show_progress(
        handler_input,
        reply.strings,
        status,
        apl=_ctx(handler_input).apl,
        card_text=reply.text(),
    )
    return reply.tell(handler_input)


class LogDayIntentHandler(AbstractRequestHandler):
    """'Log my day': contact, then activity, then confidence 1–10, one slot at a time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("LogDayIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        strings = _ctx(handler_input).strings
        session = _session(handler_input)
        so_far: dict[str, Any] = dict(session.get(LOG_SO_FAR) or {})
        given = getattr(_intent(handler_input), "slots", None) or {}
        retry: str | None = None

        contact = given.get("contact")
        contact_id = slots.resolve_id(contact, "CONTACT_STATUS", strings.locale, CONTACT_IDS)
        if contact_id:
            so_far["contact"] = contact_id
        elif slots.spoken_value(contact) and so_far.get("contact") is None:
            retry = retry or "contact"

        activity = given.get("activity")
        activity_id = slots.resolve_id(activity, "ACTIVITY", strings.locale, ACTIVITY_IDS)
        if activity_id:
            so_far["activity"] = activity_id
        elif slots.spoken_value(activity) and so_far.get("activity") is None:
            retry = retry or "activity"

        confidence = given.get("confidence")
        number = slots.number(confidence)
        if number is not None and rules.CONFIDENCE_MIN <= number <= rules.CONFIDENCE_MAX:
            so_far["confidence"] = number
        elif slots.spoken_value(confidence) is not None:
            so_far.pop("confidence", None)
            retry = retry or "confidence"

        if retry is not None and so_far.get(retry) is None:
            # Only re-ask a slot now if every slot before it is known.
            missing_before = [n for n in LOG_SLOTS[: LOG_SLOTS.index(retry)] if n not in so_far]
            if missing_before:
                retry = None
        complete = all(so_far.get(n) is not None for n in LOG_SLOTS)
        if not complete and ELICITING not in session and _needs_reflect(_stage(handler_input)):
            # The dialog is starting: someone who has not answered the reflect questions
            # answers them first. (A complete log finds out inside log_day instead.)
            services.open_session(_ctx(handler_input).uow(), _caller(handler_input))
            return _ask_safety(handler_input, _reply(handler_input), "reflect.before_we_start")
        return continue_day_log(handler_input, so_far, retry)


def answer_elicited(handler_input: HandlerInput, slot: str, yes: bool) -> Response:
    """A bare yes or no while the day log is asking for a slot."""
    so_far: dict[str, Any] = dict(_session(handler_input).get(LOG_SO_FAR) or {})
    if slot == "contact":
        so_far["contact"] = Contact.SOME.value if yes else Contact.NONE.value
        return continue_day_log(handler_input, so_far, None)
    if slot == "activity" and not yes:
        so_far["activity"] = Activity.NONE.value
        return continue_day_log(handler_input, so_far, None)
    return continue_day_log(handler_input, so_far, slot)


# -- slips, streaks, tips, progress -------------------------------------------------------


class SlipIntentHandler(AbstractRequestHandler):
    """'I texted my ex': no blame, what was achieved, the clock restarts."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SlipIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        result = services.record_slip(_ctx(handler_input).uow(), _caller(handler_input))
        status = result.status
        reply = _reply(handler_input)
        if _needs_reflect(status):
            return _ask_safety(handler_input, reply, "reflect.before_we_start")
        share = {
            "free": status.contact_free_days,
            "total": reply.days(status.journey_days),
            "best": reply.days(status.best_streak),
        }
        if not result.counted:
            reply.add("slip.contact_expected")
        elif result.already_today:
            reply.add("slip.again_today", **share)
        elif status.stage is Stage.MOVING_ON:
            reply.add("slip.moving_on", **share)
        else:
            reply.add("slip.counted", **share)
        return reply.tell(handler_input)


class StreakIntentHandler(AbstractRequestHandler):
    """No-contact days, best streak, log streak, days to the next milestone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StreakIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        status = services.status(
            _ctx(handler_input).uow(), _caller(handler_input), history=_ctx(handler_input).apl
        )
        reply = _reply(handler_input)
        if _needs_reflect(status):
            return _ask_safety(handler_input, reply, "reflect.before_we_start")
        reply.milestone(status)
        if status.no_contact_days == 0:
            reply.add("days.no_contact.zero")
            reply.add("streak.best", best=reply.days(status.best_streak))
        else:
            reply.add(
                "streak.summary",
                days=reply.days(status.no_contact_days),
                best=reply.days(status.best_streak),
            )
        if status.contact_free_days < status.journey_days:
            reply.add(
                "streak.share",
                free=status.contact_free_days,
                total=reply.days(status.journey_days),
            )
        if status.log_streak:
            reply.add("streak.log", log_days=reply.strings.count("unit.log_day", status.log_streak))
        else:
            reply.add("streak.no_log")
        if status.next_milestone is None:
            reply.add("streak.all_milestones")
        else:
            left = status.next_milestone - status.no_contact_days
            reply.add("streak.next", left=reply.days(left), milestone=status.next_milestone)
        return _tell_with_screen(handler_input, reply, status)


def tell_tip(handler_input: HandlerInput) -> Response:
    """Today's tip for the user's stage."""
    strings = _ctx(handler_input).strings
    result = services.tip_of_the_day(
        _ctx(handler_input).uow(),
        _caller(handler_input),
        lambda stage: len(strings.tips(stage.value)),
    )
    reply = _reply(handler_input).milestone(result.status)
    reply.add("tip.intro", tip=strings.tips(result.stage.value)[result.tip])
    reply.add("tip.outro")
    return reply.tell(handler_input)


class DailyTipIntentHandler(AbstractRequestHandler):
    """The same tip all day, a new one tomorrow, no repeats until the pool is used up."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DailyTipIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return tell_tip(handler_input)


class ProgressIntentHandler(AbstractRequestHandler):
    """The last seven days: logs, confidence and its change, activities, slips."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        result = services.weekly_progress(
            _ctx(handler_input).uow(), _caller(handler_input), history=_ctx(handler_input).apl
        )
        status, week = result.status, result.week
        reply = _reply(handler_input)
        if _needs_reflect(status):
            return _ask_safety(handler_input, reply, "reflect.before_we_start")
        strings = reply.strings
        reply.milestone(status)
        if week.days_logged == 0:
            reply.add("progress.none")
        else:
            reply.add("progress.logged", logged=strings.count("unit.log_day", week.days_logged))
            average = strings.number(week.average_confidence or 0)
            change = week.confidence_change
            if change is None:
                reply.add("progress.confidence", average=average)
            elif change > 0:
                reply.add("progress.confidence.up", average=average, change=strings.number(change))
            elif change < 0:
                reply.add(
                    "progress.confidence.down", average=average, change=strings.number(-change)
                )
            else:
                reply.add("progress.confidence.same", average=average)
            if week.activities:
                names = [strings.text(f"activity.{a.value}") for a in week.activities]
                reply.add("progress.activities", list=strings.join(names))
        if status.stage not in CONTACT_EXPECTED_STAGES:
            if week.slips:
                reply.add("progress.slips", slips=reply.days(week.slips))
            elif week.days_logged:
                reply.add("progress.slips.none")
        return _tell_with_screen(handler_input, reply, status)


# -- readiness, meeting, outcomes ---------------------------------------------------------


def _condition_sentence(strings: Strings, c: Condition) -> str:
    if c.key == "confidence" and c.have == 0:
        return strings.text("ready.cond.confidence.none", need=strings.number(c.need))
    return strings.text(
        f"ready.cond.{c.key}", have=strings.number(c.have), need=strings.number(c.need)
    )


def check_readiness(handler_input: HandlerInput) -> Response:
    """The four rules, biggest gap first, with a next step; all met: the big question."""
    result = services.check_readiness(_ctx(handler_input).uow(), _caller(handler_input))
    status, verdict = result.status, result.readiness
    reply = _reply(handler_input)
    strings = reply.strings
    if _needs_reflect(status):
        return _ask_safety(handler_input, reply, "reflect.before_we_start")
    reply.milestone(status)
    if status.unsafe:
        return reply.add("ready.unsafe", days=reply.days(status.no_contact_days)).tell(
            handler_input
        )
    if status.stage is Stage.MOVING_ON:
        reply.add("ready.moving_on", days=reply.days(status.no_contact_days))
        return reply.tell(handler_input)
    if status.stage in (Stage.MEETING, Stage.REKINDLING):
        return reply.add("ready.later_stage").tell(handler_input)
    if verdict.ready:
        figures = {c.key: c.have for c in verdict.conditions}
        reply.add(
            "ready.all_met",
            days=reply.days(status.no_contact_days),
            logs=strings.number(figures["logs"]),
            confidence=strings.number(figures["confidence"]),
            activities=strings.number(figures["activities"]),
        )
        return _ask(handler_input, reply, "still_want", "ready.ask.reprompt")
    reply.add("ready.not_yet")
    for c in verdict.unmet:
        reply.add_text(_condition_sentence(strings, c))
    if verdict.met:
        names = [strings.text(f"ready.name.{c.key}") for c in verdict.met]
        reply.add("ready.met.intro", list=strings.join(names))
    reply.add(f"ready.step.{verdict.unmet[0].key}")
    return reply.tell(handler_input)


class AmIReadyIntentHandler(AbstractRequestHandler):
    """'Am I ready': the readiness check of PRODUCT §4."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AmIReadyIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return check_readiness(handler_input)


class MeetingIntentHandler(AbstractRequestHandler):
    """'I'm meeting my ex': from the ready stage, advice on how to act; earlier, wait."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MeetingIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        status, arranged = services.arrange_meeting(
            _ctx(handler_input).uow(), _caller(handler_input)
        )
        reply = _reply(handler_input)
        if _needs_reflect(status):
            return _ask_safety(handler_input, reply, "reflect.before_we_start")
        reply.milestone(status)
        if status.unsafe:
            return reply.add("meeting.unsafe").tell(handler_input)
        if status.stage is Stage.MOVING_ON:
            return reply.add("meeting.moving_on").tell(handler_input)
        if status.stage in (Stage.NO_CONTACT, Stage.CONFIDENCE):
            reply.add("meeting.too_early", days=reply.days(status.no_contact_days))
            reply.add("offer.readiness")
            return _ask(handler_input, reply, "readiness_offer", "offer.readiness")
        if arranged:
            reply.add("meeting.arranged")
        return reply.add("meeting.advice").tell(handler_input)


class MeetingOutcomeIntentHandler(AbstractRequestHandler):
    """How the meeting went: again → rekindling, unsure → wait, no spark → a choice."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MeetingOutcomeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        strings = _ctx(handler_input).strings
        now = services.status(_ctx(handler_input).uow(), _caller(handler_input))
        reply = _reply(handler_input)
        if _needs_reflect(now):
            return _ask_safety(handler_input, reply, "reflect.before_we_start")
        if now.unsafe:
            return reply.add("meeting.unsafe").tell(handler_input)
        if now.stage is Stage.MOVING_ON:
            return reply.add("meeting.moving_on").tell(handler_input)
        if now.stage not in (Stage.MEETING, Stage.REKINDLING):
            return reply.add("outcome.no_meeting").tell(handler_input)
        slot = (getattr(_intent(handler_input), "slots", None) or {}).get("outcome")
        outcome = slots.resolve_id(slot, "MEETING_OUTCOME", strings.locale, OUTCOME_IDS)
        if outcome is None:
            reply.add("outcome.elicit")
            updated = Intent(
                name="MeetingOutcomeIntent",
                confirmation_status=IntentConfirmationStatus.NONE,
                slots={
                    "outcome": Slot(name="outcome", confirmation_status=SlotConfirmationStatus.NONE)
                },
            )
            return (
                handler_input.response_builder.speak(reply.speech())
                .ask(Reply(strings).add("outcome.elicit.reprompt").speech())
                .add_directive(slots.elicit(updated, "outcome"))
                .response
            )
        status = services.meeting_outcome(
            _ctx(handler_input).uow(), _caller(handler_input), MeetingOutcome(outcome)
        )
        reply.milestone(status)
        if outcome == MeetingOutcome.NO_SPARK.value:
            reply.add("outcome.no_spark")
            return _ask(handler_input, reply, "no_spark", "outcome.no_spark.reprompt")
        reply.add("outcome.again" if outcome == MeetingOutcome.AGAIN.value else "outcome.unsure")
        return reply.tell(handler_input)


# -- confirmations: moving on, start over, delete -----------------------------------------


class MovedOnIntentHandler(AbstractRequestHandler):
    """'I don't want them back': confirm first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MovedOnIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = _reply(handler_input).add("moved_on.confirm")
        return _ask(handler_input, reply, "moved_on", "moved_on.confirm.reprompt")


class StartOverIntentHandler(AbstractRequestHandler):
    """'Start over': confirm first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartOverIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if _needs_reflect(_stage(handler_input)):
            services.open_session(_ctx(handler_input).uow(), _caller(handler_input))
            return _ask_safety(handler_input, _reply(handler_input), "reflect.before_we_start")
        reply = _reply(handler_input).add("start_over.confirm")
        return _ask(handler_input, reply, "start_over", "start_over.confirm.reprompt")


class DeleteDataIntentHandler(AbstractRequestHandler):
    """'Delete my data': confirm first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteDataIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = _reply(handler_input).add("delete.confirm")
        return _ask(handler_input, reply, "delete", "delete.confirm.reprompt")


def answer_pending(handler_input: HandlerInput, pending: str, yes: bool) -> Response:
    """Carry out the answer to the yes/no question the previous reply asked."""
    uow, caller = _ctx(handler_input).uow, _caller(handler_input)
    reply = _reply(handler_input)
    if pending in ("safety", "worth"):
        return answer_reflect(handler_input, pending, yes)
    if pending == "log_offer":
        return continue_day_log(handler_input, {}, None) if yes else _declined(handler_input)
    if pending == "tip_offer":
        return tell_tip(handler_input) if yes else _declined(handler_input)
    if pending == "readiness_offer":
        return check_readiness(handler_input) if yes else _declined(handler_input)
    if pending == "reminder_offer":
        if yes:
            return reminders.set_daily_reminder(handler_input, reminders.OFFER_TIME)
        reply.add("reminder.offer.declined")
        status = services.status(uow(), caller)
        return _offer_next(handler_input, reply, status)
    if pending == "still_want":
        services.choose_after_readiness(uow(), caller, still_want=yes)
        return reply.add("ready.yes" if yes else "ready.no").tell(handler_input)
    if pending == "no_spark":
        services.choose_after_no_spark(uow(), caller, move_on=yes)
        key = "outcome.no_spark.move_on" if yes else "outcome.no_spark.keep_going"
        return reply.add(key).tell(handler_input)
    if pending == "moved_on":
        if not yes:
            return reply.add("moved_on.no").tell(handler_input)
        services.move_on(uow(), caller)
        return reply.add("moved_on.yes").tell(handler_input)
    if pending == "start_over":
        if not yes:
            return reply.add("start_over.no").tell(handler_input)
        services.start_over(uow(), caller)
        return _ask_safety(handler_input, reply, "reflect.safety.ask")
    if pending == "delete":
        if not yes:
            return reply.add("delete.no").tell(handler_input)
        deleted = services.delete_user(uow(), caller.user_hash)
        handler_input.attributes_manager.session_attributes = {}
        return reply.add("delete.done" if deleted else "delete.nothing").tell(handler_input)
    return _unexpected_yes_no(handler_input)


def _declined(handler_input: HandlerInput) -> Response:
    return _reply(handler_input).add("offer.declined").tell(handler_input)


def _unexpected_yes_no(handler_input: HandlerInput) -> Response:
    reply = _reply(handler_input).add("unexpected_yes_no")
    return reply.ask(handler_input, "fallback.reprompt")


class YesNoIntentHandler(AbstractRequestHandler):
    """Yes and No: answer the pending question or elicited slot; out of context, say so."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        session = _session(handler_input)
        eliciting = session.pop(ELICITING, None)
        if eliciting in LOG_SLOTS:
            return answer_elicited(handler_input, eliciting, yes)
        pending = session.pop(PENDING, None)
        if pending is None:
            return _unexpected_yes_no(handler_input)
        return answer_pending(handler_input, str(pending), yes)


# -- support, reminders, help and the rest ------------------------------------------------


class SupportIntentHandler(AbstractRequestHandler):
    """Crisis: warmth and the locale's line at once; nothing is stored or logged."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SupportIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        strings = _ctx(handler_input).strings
        reply = Reply(strings).add(
            "support", crisis_line=strings.text("crisis_line"), emergency=strings.text("emergency")
        )
        _session(handler_input).clear()
        return reply.tell(handler_input)


class HelpIntentHandler(AbstractRequestHandler):
    """Help that fits the stage the user is in."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        stage = _stage(handler_input)
        reply = _reply(handler_input)
        if _needs_reflect(stage):
            services.open_session(_ctx(handler_input).uow(), _caller(handler_input))
            return _ask_safety(handler_input, reply, "help.reflect")
        assert stage is not None
        reply.add(f"help.{stage.value}")
        return reply.ask(handler_input, "help.reprompt")


class StopCancelIntentHandler(AbstractRequestHandler):
    """Stop and Cancel: a short goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_intent_name(
            "AMAZON.CancelIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _reply(handler_input).add("goodbye").tell(handler_input)


#: The reprompt of each yes/no question, to ask it again after a reply we did not understand.
PENDING_REPROMPTS = {
    "safety": "reflect.safety.reprompt",
    "worth": "reflect.worth.reprompt",
    "still_want": "ready.ask.reprompt",
    "no_spark": "outcome.no_spark.reprompt",
    "moved_on": "moved_on.confirm.reprompt",
    "start_over": "start_over.confirm.reprompt",
    "delete": "delete.confirm.reprompt",
    "log_offer": "offer.log",
    "tip_offer": "offer.tip",
    "readiness_offer": "offer.readiness",
    "reminder_offer": "reminder.offer.reprompt",
}


def _reprompt_values(strings: Strings, pending: str) -> dict[str, object]:
    if pending == "reminder_offer":
        return {"time": reminders.spoken_time(strings, reminders.OFFER_TIME)}
    return {}


class FallbackIntentHandler(AbstractRequestHandler):
    """Anything we did not understand: examples of what to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        session = _session(handler_input)
        eliciting = session.get(ELICITING)
        if eliciting in LOG_SLOTS:
            so_far = dict(session.get(LOG_SO_FAR) or {})
            return continue_day_log(handler_input, so_far, str(eliciting))
        pending = session.get(PENDING)
        if pending in PENDING_REPROMPTS:
            # The user was answering a yes/no question: ask it again rather than change topic.
            reply = _reply(handler_input).add("fallback.retry")
            key = PENDING_REPROMPTS[pending]
            values = _reprompt_values(reply.strings, pending)
            reply.add(key, **values)
            return reply.ask(handler_input, key, **values)
        return _reply(handler_input).add("fallback").ask(handler_input, "fallback.reprompt")


class SessionEndedRequestHandler(AbstractRequestHandler):
    """The session ended: nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        log.info("session ended: %s", getattr(reason, "value", reason))
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: delete every row they have."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        caller = _ctx(handler_input).caller
        if caller is not None:
            deleted = services.delete_user(_ctx(handler_input).uow(), caller.user_hash)
            log.info("skill disabled: user data %s", "deleted" if deleted else "absent")
        return handler_input.response_builder.response


class SilentRequestHandler(AbstractRequestHandler):
    """Events that need no words: other skill events, system exceptions, CanFulfill."""

    SILENT_PREFIXES = (
        "AlexaSkillEvent.",
        "System.",
        "Messaging.",
        "Connections.",
        "CanFulfillIntentRequest",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request_type = getattr(handler_input.request_envelope.request, "object_type", None)
        return str(request_type or "").startswith(self.SILENT_PREFIXES)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if getattr(request, "object_type", None) == "System.ExceptionEncountered":
            error = getattr(request, "error", None)
            log.warning("Alexa reported an error: %s", getattr(error, "object_type", None))
        return handler_input.response_builder.response


class UnknownIntentHandler(AbstractRequestHandler):
    """An intent this version does not know (a newer model, a stray request): as Fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _reply(handler_input).add("fallback").ask(handler_input, "fallback.reprompt")


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: a spoken apology in the user's language, never a stack trace."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("request failed: %s", type(exception).__name__, exc_info=exception)
        invocation = handler_input.context
        if isinstance(invocation, context.Invocation):
            invocation.failed = True
        attrs = handler_input.attributes_manager.request_attributes
        ctx = attrs.get(context.ATTR)
        strings = ctx.strings if isinstance(ctx, context.RequestContext) else Strings("en-US")
        request_type = getattr(handler_input.request_envelope.request, "object_type", "")
        if str(request_type).startswith(SilentRequestHandler.SILENT_PREFIXES) or (
            request_type == "SessionEndedRequest"
        ):
            return handler_input.response_builder.response
        return Reply(strings).add("error").ask(handler_input, "error.reprompt")


def request_handlers() -> list[AbstractRequestHandler]:
    """Every request handler, in the order they are tried (the catch-alls last)."""
    return [
        LaunchRequestHandler(),
        YesNoIntentHandler(),
        LogDayIntentHandler(),
        SlipIntentHandler(),
        StreakIntentHandler(),
        DailyTipIntentHandler(),
        AmIReadyIntentHandler(),
        ProgressIntentHandler(),
        MeetingIntentHandler(),
        MeetingOutcomeIntentHandler(),
        MovedOnIntentHandler(),
        StartOverIntentHandler(),
        DeleteDataIntentHandler(),
        SupportIntentHandler(),
        reminders.SetReminderIntentHandler(),
        reminders.CancelReminderIntentHandler(),
        HelpIntentHandler(),
        StopCancelIntentHandler(),
        FallbackIntentHandler(),
        SessionEndedRequestHandler(),
        SkillDisabledHandler(),
        reminders.PermissionResponseHandler(),
        reminders.PermissionChangedHandler(),
        SilentRequestHandler(),
        UnknownIntentHandler(),
    ]
