"""Every request handler, in the order the SDK tries them (the catch-alls last).

The handlers live in rooms by concern: `launch` (opening, the reflect questions),
`day_log` (log my day, slips), `moments` (urges, the ex reaching out, safety), `progress`
(streak, tip, the week), `meeting` (readiness, the meeting, its outcome), `confirmations`
(move on, start over, delete), `reminders`, `builtins` (yes and no, help, stop, fallback,
support, events) and `errors`; `questions` holds every yes/no question, `dialog` what the
rooms share.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill.alexa import (
    builtins,
    confirmations,
    day_log,
    launch,
    meeting,
    moments,
    progress,
    reminders,
)


def request_handlers() -> list[AbstractRequestHandler]:
    """Every request handler, in the order they are tried (the catch-alls last)."""
    return [
        launch.LaunchRequestHandler(),
        builtins.YesNoIntentHandler(),
        day_log.LogDayIntentHandler(),
        day_log.SlipIntentHandler(),
        progress.StreakIntentHandler(),
        progress.DailyTipIntentHandler(),
        meeting.AmIReadyIntentHandler(),
        progress.ProgressIntentHandler(),
        meeting.MeetingIntentHandler(),
        meeting.MeetingOutcomeIntentHandler(),
        confirmations.MovedOnIntentHandler(),
        confirmations.StartOverIntentHandler(),
        confirmations.DeleteDataIntentHandler(),
        builtins.SupportIntentHandler(),
        moments.SafetyConcernIntentHandler(),
        moments.UrgeIntentHandler(),
        moments.ExReachedOutIntentHandler(),
        reminders.SetReminderIntentHandler(),
        reminders.CancelReminderIntentHandler(),
        builtins.HelpIntentHandler(),
        builtins.StopCancelIntentHandler(),
        builtins.FallbackIntentHandler(),
        builtins.SessionEndedRequestHandler(),
        builtins.SkillDisabledHandler(),
        reminders.PermissionResponseHandler(),
        reminders.PermissionChangedHandler(),
        builtins.SilentRequestHandler(),
        builtins.UnknownIntentHandler(),
    ]
