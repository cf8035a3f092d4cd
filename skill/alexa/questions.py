"""Every yes/no question the skill asks, in one table: its key (kept in the session until
the answer comes), the message that asks it (None where the sentence before it already
asks), its reprompt, and what yes and no do. Adding a question is one row here."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import (
    confirmations,
    day_log,
    dialog,
    launch,
    meeting,
    moments,
    progress,
    reminders,
)
from skill.alexa.dialog import Answer, Question


def _yes_no(answer: Callable[[HandlerInput, bool], Response]) -> tuple[Answer, Answer]:
    """Yes and no for an answer that takes the one as True, the other as False."""
    return (lambda hi: answer(hi, True)), (lambda hi: answer(hi, False))


QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        # Reflect: asked by a message of its own (welcome, help, start over...).
        Question("safety", "reflect.safety.reprompt", yes=launch.felt_safe, no=launch.felt_unsafe),
        Question(
            "worth",
            "reflect.worth.reprompt",
            ask="reflect.worth.ask",
            yes=launch.worth_it,
            no=launch.not_worth_it,
        ),
        # The day's next step, offered at the end of a greeting.
        Question(
            "log_offer",
            "offer.log",
            ask="offer.log",
            yes=day_log.log_offer_accepted,
            no=dialog.declined,
        ),
        Question(
            "tip_offer", "offer.tip", ask="offer.tip", yes=progress.tell_tip, no=dialog.declined
        ),
        Question(
            "readiness_offer",
            "offer.readiness",
            ask="offer.readiness",
            yes=meeting.check_readiness,
            no=dialog.declined,
        ),
        Question(
            "reminder_offer",
            "reminder.offer.reprompt",
            ask="reminder.offer",
            yes=reminders.offer_accepted,
            no=reminders.offer_declined,
            values=reminders.offer_words,
        ),
        # The big choices on the way to a meeting, asked by the sentence before them.
        Question(
            "still_want",
            "ready.ask.reprompt",
            *_yes_no(meeting.still_want),
        ),
        Question(
            "no_spark",
            "outcome.no_spark.reprompt",
            *_yes_no(meeting.after_no_spark),
        ),
        Question(
            "call_agreed",
            "call.ask.reprompt",
            *_yes_no(day_log.call_agreed),
            ask="call.ask",
        ),
        Question(
            "meet_again",
            "outcome.meet_again.reprompt",
            *_yes_no(meeting.meet_again),
            ask="outcome.meet_again",
        ),
        # The ex reached out, before the plan's call.
        Question(
            "did_reply",
            "exreach.ask.reprompt",
            ask="exreach.ask",
            yes=moments.replied,
            no=moments.did_not_reply,
        ),
        Question(
            "practical",
            "exreach.practical.ask.reprompt",
            ask="exreach.practical.ask",
            yes=moments.practical,
            no=moments.not_practical,
        ),
        # A day log of no contact over a slip told earlier today.
        Question(
            "replace_slip",
            "log.replace_slip.reprompt",
            *_yes_no(day_log.replace_slip),
            ask="log.replace_slip",
        ),
        # Confirmations of what changes the journey for good.
        Question(
            "moved_on",
            "moved_on.confirm.reprompt",
            ask="moved_on.confirm",
            yes=confirmations.move_on,
            no=confirmations.moved_on_kept,
        ),
        Question(
            "start_over",
            "start_over.confirm.reprompt",
            ask="start_over.confirm",
            yes=confirmations.start_over,
            no=confirmations.start_over_kept,
        ),
        Question(
            "delete",
            "delete.confirm.reprompt",
            ask="delete.confirm",
            yes=confirmations.delete,
            no=confirmations.delete_kept,
        ),
    )
}
