"""Questions about progress: the streak, today's tip, and the week."""

from __future__ import annotations

from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import services
from skill.alexa import dialog
from skill.alexa.speech import Reply
from skill.domain import rules
from skill.domain.model import CONTACT_EXPECTED_STAGES, Stage
from skill.services import Status


class StreakIntentHandler(dialog.IntentHandler):
    """No-contact days, best streak, log streak, days to the next milestone."""

    INTENTS = ("StreakIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        status = services.status(ctx.uow(), ctx.user(), history=True)
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        if status.stage in CONTACT_EXPECTED_STAGES:
            return dialog.tell_with_screen(handler_input, rebuild(said, status), status)
        said.milestone(status)
        dialog.days_sentence(said, status)
        if status.best_streak:
            said.add("streak.best", best=said.days(status.best_streak))
        if 0 < status.contact_free_days < status.journey_days:
            said.add(
                "streak.share",
                plural=status.contact_free_days,
                free=status.contact_free_days,
                total=said.days(status.journey_days),
            )
        if status.log_streak:
            said.add("streak.log", log_days=ctx.strings.count("unit.log_day", status.log_streak))
        else:
            said.add("streak.no_log")
        if status.next_milestone is None:
            said.add("streak.all_milestones")
        else:
            said.add("streak.next", left=said.days(status.next_milestone - status.no_contact_days))
        return dialog.tell_with_screen(handler_input, said, status)


def rebuild(said: Reply, status: Status) -> Reply:
    """From the meeting on: the rebuild's figures (days since the first meeting, days
    logged, recent confidence) and one thing to keep in mind, never the no-contact clock."""
    strings = said.strings
    dialog.days_sentence(said, status)
    if status.log_days:
        said.add("rebuild.logged", logged=strings.count("unit.log_day", status.log_days))
    week_ago = status.today - timedelta(days=rules.PROGRESS_WINDOW_DAYS)
    recent = [
        e.confidence for e in (status.history.logs if status.history else ()) if e.day > week_ago
    ]
    scores = [c for c in recent if c is not None]
    if scores:
        said.add("rebuild.confidence", average=strings.number(sum(scores) / len(scores)))
    pool = strings.tips(Stage.REKINDLING.value)
    return said.add("rebuild.tip", tip=pool[status.today.toordinal() % len(pool)])


def tell_tip(handler_input: HandlerInput) -> Response:
    """Today's tip for the user's stage."""
    ctx = dialog.ctx(handler_input)
    strings = ctx.strings
    result = services.tip_of_the_day(
        ctx.uow(), ctx.user(), lambda stage: len(strings.tips(stage.value))
    )
    said = dialog.reply(handler_input).milestone(result.status)
    said.add("tip.intro", tip=strings.tips(result.stage.value)[result.tip])
    return said.add("tip.outro").tell(handler_input)


class DailyTipIntentHandler(dialog.IntentHandler):
    """The same tip all day, a new one tomorrow, no repeats until the pool is used up."""

    INTENTS = ("DailyTipIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return tell_tip(handler_input)


class ProgressIntentHandler(dialog.IntentHandler):
    """The last seven days: logs, confidence and its change, activities, slips."""

    INTENTS = ("ProgressIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        ctx = dialog.ctx(handler_input)
        result = services.weekly_progress(ctx.uow(), ctx.user(), history=ctx.apl)
        status, week = result.status, result.week
        said = dialog.reply(handler_input)
        if dialog.needs_reflect(status):
            return dialog.ask_safety(handler_input, said, "reflect.before_we_start")
        strings = said.strings
        said.milestone(status)
        if week.days_logged == 0:
            said.add("progress.none")
        else:
            said.add("progress.logged", logged=strings.count("unit.log_day", week.days_logged))
            average = strings.number(week.average_confidence or 0)
            change = week.confidence_change
            if change is None:
                said.add("progress.confidence", average=average)
            elif change > 0:
                said.add("progress.confidence.up", average=average, change=strings.number(change))
            elif change < 0:
                said.add(
                    "progress.confidence.down", average=average, change=strings.number(-change)
                )
            else:
                said.add("progress.confidence.same", average=average)
            if week.activities:
                names = [strings.text(f"activity.{a.value}") for a in week.activities]
                said.add("progress.activities", list=strings.join(names))
        if result.urges:
            said.add("progress.urges", plural=result.urges, urges=result.urges)
        if status.stage not in CONTACT_EXPECTED_STAGES:
            if week.slips:
                said.add("progress.slips", slips=said.days(week.slips))
            elif week.days_logged:
                said.add("progress.slips.none")
        return dialog.tell_with_screen(handler_input, said, status, "progress", progress=result)
