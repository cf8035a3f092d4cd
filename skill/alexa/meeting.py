"""The way to a meeting: "am I ready", the meeting itself, and how it went."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog, slots
from skill.alexa.speech import Reply
from skill.domain.model import MeetingOutcome, Stage
from skill.domain.readiness import Condition
from skill.i18n import Strings

OUTCOME_IDS = frozenset(o.value for o in MeetingOutcome)
MEETING_STAGES = (Stage.MEETING, Stage.REKINDLING)
OUTCOME_TRIES = "outcome_tries"  # how often the outcome was not understood in a row


def _condition_sentence(strings: Strings, c: Condition) -> str:
    if c.key == "confidence" and c.have == 0:
        return strings.text("ready.cond.confidence.none", need=strings.number(c.need))
    return strings.text(
        f"ready.cond.{c.key}", have=strings.number(c.have), need=strings.number(c.need)
    )


def check_readiness(handler_input: HandlerInput) -> Response:
    """The four rules, biggest gap first, with a next step; all met: the big question."""
    ctx = dialog.ctx(handler_input)
    result = services.check_readiness(ctx.uow(), ctx.user())
    status, verdict = result.status, result.readiness
    said = dialog.reply(handler_input)
    strings = said.strings
    if dialog.needs_reflect(status):
        return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
    said.milestone(status)
    days = said.days(status.no_contact_days)
    if status.unsafe or status.stage is Stage.MOVING_ON:
        said.add("ready.unsafe" if status.unsafe else "ready.moving_on")
        if status.no_contact_days:
            said.add("ready.days_so_far", days=days)
        return said.add("ready.unsafe.help" if status.unsafe else "ready.moving_on.revisit").tell(
            handler_input
        )
    if status.stage is Stage.REKINDLING:
        return said.add("ready.rekindling").tell(handler_input)
    if status.stage is Stage.MEETING:
        return said.add("ready.later_stage").tell(handler_input)
    if verdict.ready:
        have = {c.key: c.have for c in verdict.conditions}
        said.add(
            "ready.all_met",
            days=days,
            logs=strings.count("unit.log", int(have["logs"])),
            confidence=strings.number(have["confidence"]),
            activities=strings.count("unit.activity", int(have["activities"])),
        )
        return dialog.ask(handler_input, said, "still_want")
    said.add("ready.not_yet")
    for c in verdict.unmet:
        said.add_text(_condition_sentence(strings, c))
    if verdict.met:
        names = [strings.text(f"ready.name.{c.key}") for c in verdict.met]
        said.add("ready.met.intro", list=strings.join(names))
    return said.add(f"ready.step.{verdict.unmet[0].key}").tell(handler_input)


class AmIReadyIntentHandler(dialog.IntentHandler):
    """'Am I ready': the readiness check of PRODUCT §4."""

    INTENTS = ("AmIReadyIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return check_readiness(handler_input)


def still_want(handler_input: HandlerInput, yes: bool) -> Response:
    """'Do you still want to get back together?' yes: ready for the coffee; no: moving on."""
    services.choose_after_readiness(
        dialog.ctx(handler_input).uow(), dialog.caller(handler_input), still_want=yes
    )
    return dialog.reply(handler_input).add("ready.yes" if yes else "ready.no").tell(handler_input)


class MeetingIntentHandler(dialog.IntentHandler):
    """'I'm meeting my ex': from the ready stage, advice on how to act; earlier, wait."""

    INTENTS = ("MeetingIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        status, arranged = services.arrange_meeting(ctx.uow(), ctx.user())
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        said.milestone(status)
        if status.unsafe:
            return said.add("meeting.unsafe").tell(handler_input)
        if status.stage is Stage.MOVING_ON:
            return said.add("meeting.moving_on").tell(handler_input)
        if status.stage in (Stage.NO_CONTACT, Stage.CONFIDENCE):
            said.add("meeting.too_early")
            if status.no_contact_days:
                said.add("ready.days_so_far", days=said.days(status.no_contact_days))
            return dialog.ask(handler_input, said, "readiness_offer")
        if arranged:
            said.add("meeting.arranged")
        return said.add("meeting.advice").tell(handler_input)


class MeetingOutcomeIntentHandler(dialog.IntentHandler):
    """How the meeting went: again → rekindling, unsure → wait, no spark → a choice.

    One service call: the outcome when Alexa heard one (it changes nothing outside the
    meeting stage), else today's status, to know whether to ask how it went."""

    INTENTS = ("MeetingOutcomeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        slot = (getattr(intent, "slots", None) or {}).get("outcome")
        outcome = slots.resolve_id(slot, "MEETING_OUTCOME", ctx.strings.locale, OUTCOME_IDS)
        if outcome is None:
            status = services.status(ctx.uow(), ctx.user())
        else:
            status = services.meeting_outcome(ctx.uow(), ctx.user(), MeetingOutcome(outcome))
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        if status.unsafe:
            return said.add("meeting.unsafe").tell(handler_input)
        if status.stage is Stage.MOVING_ON:
            return said.add("meeting.moving_on").tell(handler_input)
        if status.stage not in MEETING_STAGES:
            return said.add("outcome.no_meeting").tell(handler_input)
        said.milestone(status)
        if outcome is None:
            attrs = dialog.session(handler_input)
            tries = attrs.get(OUTCOME_TRIES)
            attrs[OUTCOME_TRIES] = (tries if isinstance(tries, int) else 0) + 1
            if attrs[OUTCOME_TRIES] > 1:  # not understood twice: a plain yes/no instead
                attrs.pop(OUTCOME_TRIES, None)
                return dialog.ask(handler_input, said, "meet_again")
            said.add("outcome.elicit")
            return slots.elicit(
                handler_input, said, "MeetingOutcomeIntent", "outcome", "outcome.elicit.reprompt"
            )
        dialog.session(handler_input).pop(OUTCOME_TRIES, None)
        return _tell_outcome(handler_input, said, MeetingOutcome(outcome))


def _tell_outcome(handler_input: HandlerInput, said: Reply, outcome: MeetingOutcome) -> Response:
    if outcome is MeetingOutcome.NO_SPARK:
        said.add("outcome.no_spark")
        return dialog.ask(handler_input, said, "no_spark")
    said.add("outcome.again" if outcome is MeetingOutcome.AGAIN else "outcome.unsure")
    return said.tell(handler_input)


def meet_again(handler_input: HandlerInput, yes: bool) -> Response:
    """'Do they want to meet again?' yes: rekindling; no: the no-spark choice."""
    outcome = MeetingOutcome.AGAIN if yes else MeetingOutcome.NO_SPARK
    ctx = dialog.ctx(handler_input)
    status = services.meeting_outcome(ctx.uow(), ctx.user(), outcome)
    said = dialog.reply(handler_input)
    if status.stage not in MEETING_STAGES:
        return said.add("outcome.no_meeting").tell(handler_input)
    return _tell_outcome(handler_input, said, outcome)


def after_no_spark(handler_input: HandlerInput, move_on: bool) -> Response:
    """No spark: move on (a win), or keep building confidence and check again later."""
    services.choose_after_no_spark(
        dialog.ctx(handler_input).uow(), dialog.caller(handler_input), move_on=move_on
    )
    key = "outcome.no_spark.move_on" if move_on else "outcome.no_spark.keep_going"
    return dialog.reply(handler_input).add(key).tell(handler_input)
