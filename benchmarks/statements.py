"""SQL statements per request, for every intent in a realistic state. Target: at most 4.

Each scenario gets a fresh user, brings them to a state through the real handler (not
counted), then counts the statements of one request with the database's "execute" hook,
which sees every statement the request path sends to the driver (requests don't go through
SQLAlchemy; `tests/integration` checks the hook against SQLite's own statement trace).
Requests carry an apiAccessToken, as Alexa's do; the Alexa
APIs (Settings, Reminders, progressive responses) are answered by `responses`. Exits 3 when
any request needs more than the target.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import responses

from benchmarks.common import (
    NOW,
    TARGET_MISSED,
    Check,
    CoachLambda,
    backends,
    database,
    finish,
    header,
    label,
    parser,
    scratch_dir,
    table,
)
from benchmarks.workload import Device, user_id
from tests.alexa import API_ENDPOINT

TARGET = 4
BENCH = "statements"
DEVICE_ID = "amzn1.ask.device.BENCHDEVICE"
NOT_COUNTED = (
    "Counted: every statement the skill sends to the driver (the database's execute hook).\n"
    "Not counted: transaction control (SQLite's BEGIN IMMEDIATE, PostgreSQL's implicit BEGIN,\n"
    "COMMIT/ROLLBACK); 'transactions' is how many a request opened, each adding those.\n"
    "There is no pre-ping: a connection the server dropped is replaced when its first\n"
    "statement fails."
)
READY_DAYS = 31


# -- states ---------------------------------------------------------------------------------


def started(device: Device, days: int = 10, *, today: bool = True) -> None:
    """Onboarded `days` days ago, a log every day since, and (with `today`) a request
    earlier today, so the time zone has been looked up today."""
    device.now = NOW - timedelta(days=days)
    device.onboard()
    for i in range(days):
        device.log_day("no contact", ("gym", "saw friends", "painting")[i % 3], 7 + i % 3)
        device.next_day()
    if today:
        device.intent("StreakIntent")
        device.end_session()


def ready(device: Device) -> None:
    """Thirty-one days of the plan: the readiness check will say all four rules are met."""
    started(device, READY_DAYS)


def in_meeting(device: Device) -> None:
    """Past the readiness check and the coffee is arranged."""
    ready(device)
    device.intent("AmIReadyIntent")
    device.say_yes()
    device.intent("MeetingIntent")
    device.end_session()


def asked(*steps: Callable[[Device], Any]) -> Callable[[Device], None]:
    """A state reached by some steps (the session stays open after the last one)."""

    def prepare(device: Device) -> None:
        for step in steps:
            step(device)

    return prepare


def nothing(device: Device) -> None:
    """A user the skill has never met."""


def launch(device: Device) -> Any:
    return device.launch()


def intent(name: str, **slots: str | tuple[str, str]) -> Callable[[Device], dict[str, Any]]:
    """A one-shot intent request (its own session)."""
    return lambda device: device.intent_event(name, **slots)


def in_session(name: str, **slots: str) -> Callable[[Device], dict[str, Any]]:
    """An intent request inside the open session (answering the last question)."""

    def build(device: Device) -> dict[str, Any]:
        return device.envelope(_intent_request(name, slots))

    return build


def _intent_request(name: str, slots: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "IntentRequest",
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {
                k: {"name": k, "value": v, "confirmationStatus": "NONE"} for k, v in slots.items()
            },
        },
    }


def request(kind: str, **fields: Any) -> Callable[[Device], dict[str, Any]]:
    """A request of another type, in the open session or a new one."""
    return lambda device: device.envelope({"type": kind, **fields})


LOG_ALL: dict[str, str | tuple[str, str]] = {
    "contact": ("no contact", "NONE"),
    "activity": ("gym", "EXERCISE"),
    "confidence": "8",
}


@dataclass(frozen=True)
class Scenario:
    """One request in one state."""

    name: str
    prepare: Callable[[Device], Any]
    request: Callable[[Device], dict[str, Any]]
    apl: bool = False


def _log_partly(device: Device) -> None:
    started(device)
    device.intent("LogDayIntent", contact="no contact")
    device.intent("LogDayIntent", activity="gym")


SCENARIOS = (
    Scenario("LaunchRequest, new user", nothing, lambda d: d.envelope({"type": "LaunchRequest"})),
    Scenario(
        "LaunchRequest, first request of the day (time-zone lookup)",
        lambda d: started(d, today=False),
        lambda d: d.one_shot({"type": "LaunchRequest"}),
    ),
    Scenario(
        "LaunchRequest, returning user, offers a reminder",
        started,
        lambda d: d.envelope({"type": "LaunchRequest"}),
    ),
    Scenario(
        "LaunchRequest, returning user",
        asked(started, launch, lambda d: d.end_session()),
        lambda d: d.one_shot({"type": "LaunchRequest"}),
    ),
    Scenario(
        "AMAZON.NavigateHomeIntent",
        asked(started, launch, lambda d: d.end_session()),
        intent("AMAZON.NavigateHomeIntent"),
    ),
    Scenario("AMAZON.YesIntent, safe (reflect)", launch, in_session("AMAZON.YesIntent")),
    Scenario("AMAZON.NoIntent, not safe (reflect)", launch, in_session("AMAZON.NoIntent")),
    Scenario(
        "AMAZON.YesIntent, worth pursuing (starts no contact)",
        asked(launch, lambda d: d.say_yes()),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.NoIntent, declines the reminder offer",
        asked(started, launch),
        in_session("AMAZON.NoIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, reminder offer (Reminders API)",
        asked(started, launch),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, log offer",
        asked(started, launch, lambda d: d.say_no()),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, tip offer",
        asked(started, launch, lambda d: d.say_no(), lambda d: d.log_day(), launch),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, readiness offer",
        asked(started, lambda d: d.intent("MeetingIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, still wants them back (ready)",
        asked(ready, lambda d: d.intent("AmIReadyIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.NoIntent, does not want them back (ready)",
        asked(ready, lambda d: d.intent("AmIReadyIntent")),
        in_session("AMAZON.NoIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, no spark: move on",
        asked(in_meeting, lambda d: d.intent("MeetingOutcomeIntent", outcome="no spark")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, move on confirmed",
        asked(started, lambda d: d.intent("MovedOnIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, start over confirmed",
        asked(started, lambda d: d.intent("StartOverIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, delete my data confirmed",
        asked(started, lambda d: d.intent("DeleteDataIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario(
        "AMAZON.YesIntent, while the day log asks for contact",
        asked(started, lambda d: d.intent("LogDayIntent")),
        in_session("AMAZON.YesIntent"),
    ),
    Scenario("AMAZON.YesIntent, nothing was asked", started, intent("AMAZON.YesIntent")),
    Scenario("LogDayIntent, every slot", started, intent("LogDayIntent", **LOG_ALL)),
    Scenario(
        "LogDayIntent, every slot, device with APL",
        started,
        intent("LogDayIntent", **LOG_ALL),
        apl=True,
    ),
    Scenario(
        "LogDayIntent, every slot, replacing today's log",
        asked(started, lambda d: d.log_day()),
        intent("LogDayIntent", **LOG_ALL),
    ),
    Scenario(
        "LogDayIntent, some contact (a slip)",
        started,
        intent("LogDayIntent", **{**LOG_ALL, "contact": ("some contact", "SOME")}),
    ),
    Scenario(
        "LogDayIntent, every slot, first request of the day",
        lambda d: started(d, today=False),
        intent("LogDayIntent", **LOG_ALL),
    ),
    Scenario(
        "LogDayIntent, every slot, device with APL, first request of the day",
        lambda d: started(d, today=False),
        intent("LogDayIntent", **LOG_ALL),
        apl=True,
    ),
    Scenario("LogDayIntent, no slots (the dialog starts)", started, intent("LogDayIntent")),
    Scenario(
        "LogDayIntent, the last slot of the dialog",
        _log_partly,
        in_session("LogDayIntent", confidence="7"),
    ),
    Scenario("SlipIntent", started, intent("SlipIntent")),
    Scenario(
        "SlipIntent, first request of the day",
        lambda d: started(d, today=False),
        intent("SlipIntent"),
    ),
    Scenario("StreakIntent", started, intent("StreakIntent")),
    Scenario("StreakIntent, device with APL", started, intent("StreakIntent"), apl=True),
    Scenario(
        "StreakIntent, device with APL, first request of the day",
        lambda d: started(d, today=False),
        intent("StreakIntent"),
        apl=True,
    ),
    Scenario("DailyTipIntent", started, intent("DailyTipIntent")),
    Scenario("AmIReadyIntent, not yet", started, intent("AmIReadyIntent")),
    Scenario("AmIReadyIntent, all rules met", ready, intent("AmIReadyIntent")),
    Scenario("ProgressIntent", started, intent("ProgressIntent")),
    Scenario("ProgressIntent, device with APL", started, intent("ProgressIntent"), apl=True),
    Scenario(
        "ProgressIntent, device with APL, first request of the day",
        lambda d: started(d, today=False),
        intent("ProgressIntent"),
        apl=True,
    ),
    Scenario("MeetingIntent, too early", started, intent("MeetingIntent")),
    Scenario(
        "MeetingIntent, ready: arranges it",
        asked(ready, lambda d: d.intent("AmIReadyIntent"), lambda d: d.say_yes()),
        intent("MeetingIntent"),
    ),
    Scenario(
        "MeetingOutcomeIntent, they want to meet again",
        in_meeting,
        intent("MeetingOutcomeIntent", outcome=("they want to meet again", "AGAIN")),
    ),
    Scenario("MeetingOutcomeIntent, no meeting yet", started, intent("MeetingOutcomeIntent")),
    Scenario("MovedOnIntent", started, intent("MovedOnIntent")),
    Scenario("StartOverIntent", started, intent("StartOverIntent")),
    Scenario("DeleteDataIntent", started, intent("DeleteDataIntent")),
    Scenario(
        "SetReminderIntent (Reminders API)", started, intent("SetReminderIntent", time="21:00")
    ),
    Scenario(
        "CancelReminderIntent, with a reminder",
        asked(started, lambda d: d.intent("SetReminderIntent", time="21:00")),
        intent("CancelReminderIntent"),
    ),
    Scenario("SupportIntent", started, intent("SupportIntent")),
    Scenario("AMAZON.HelpIntent", started, intent("AMAZON.HelpIntent")),
    Scenario("AMAZON.StopIntent", started, intent("AMAZON.StopIntent")),
    Scenario("AMAZON.CancelIntent", started, intent("AMAZON.CancelIntent")),
    Scenario("AMAZON.FallbackIntent", started, intent("AMAZON.FallbackIntent")),
    Scenario("an intent this version does not know", started, intent("NewerIntent")),
    Scenario(
        "SessionEndedRequest",
        asked(started, launch),
        request("SessionEndedRequest", reason="USER_INITIATED"),
    ),
    Scenario(
        "Connections.Response, reminders permission accepted",
        asked(started, lambda d: d.end_session()),
        request(
            "Connections.Response",
            name="AskFor",
            status={"code": "200", "message": "OK"},
            payload={"status": "ACCEPTED"},
            token="reminder@21:00",
        ),
    ),
    Scenario(
        "AlexaSkillEvent.SkillPermissionChanged",
        asked(started, lambda d: d.intent("SetReminderIntent", time="21:00")),
        request("AlexaSkillEvent.SkillPermissionChanged", body={"acceptedPermissions": []}),
    ),
    Scenario("AlexaSkillEvent.SkillDisabled", started, request("AlexaSkillEvent.SkillDisabled")),
)


# -- counting -------------------------------------------------------------------------------


class Counter:
    """Statements and transactions of the skill's database."""

    def __init__(self, database: Any) -> None:
        self.statements: list[str] = []
        self.checkouts = 0
        self.on = False
        database.listen("execute", self._statement)
        database.listen("begin", self._checkout)

    def _statement(self, _connection: Any, statement: str, _params: Any) -> None:
        if self.on:
            self.statements.append(" ".join(statement.split()))

    def _checkout(self) -> None:
        if self.on:
            self.checkouts += 1

    def start(self) -> None:
        self.statements, self.checkouts, self.on = [], 0, True

    def stop(self) -> None:
        self.on = False


def mock_alexa_apis(mock: responses.RequestsMock) -> None:
    """Settings, Reminders and Directives answer like Alexa's, without the network."""
    mock.get(
        f"{API_ENDPOINT}/v2/devices/{DEVICE_ID}/settings/System.timeZone",
        json="America/New_York",
    )
    mock.post(f"{API_ENDPOINT}/v1/alerts/reminders", json={"alertToken": "alert-1"}, status=201)
    mock.delete(f"{API_ENDPOINT}/v1/alerts/reminders/alert-1", status=200)
    mock.post(f"{API_ENDPOINT}/v1/directives", status=204)


def count(kind: str, options: Any, folder: Path) -> dict[str, tuple[int, int, list[str], str]]:
    """Scenario name → (statements, checkouts, the statements, the reply) on one database."""
    found: dict[str, tuple[int, int, list[str], str]] = {}
    with (
        database(kind, options, folder) as url,
        responses.RequestsMock(assert_all_requests_are_fired=False) as mock,
    ):
        mock_alexa_apis(mock)
        coach = CoachLambda(url, folder)
        counter = Counter(coach.database)
        try:
            for n, scenario in enumerate(SCENARIOS):
                device = Device(
                    coach.handler,
                    user_id=user_id("statements", n),
                    device_id=DEVICE_ID,
                    api_token="bench-api-token",
                    reminders_granted=True,
                    apl=scenario.apl,
                )
                scenario.prepare(device)
                device.now = NOW
                envelope = scenario.request(device)
                counter.start()
                turn = device.send(envelope)
                counter.stop()
                found[scenario.name] = (
                    len(counter.statements),
                    counter.checkouts,
                    counter.statements,
                    turn.speech,
                )
        finally:
            coach.close()
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0])
    args.add_argument("--show-sql", action="store_true", help="print each request's statements")
    options = args.parse_args(argv)
    header("SQL statements per request, every intent in a realistic state", options)
    print(NOT_COUNTED)
    kinds = backends(options)
    results: dict[str, dict[str, tuple[int, int, list[str], str]]] = {}
    with scratch_dir() as folder:
        for kind in kinds:
            results[kind] = count(kind, options, folder)
    rows = []
    worst = 0
    for scenario in SCENARIOS:
        cells: list[object] = [scenario.name]
        for kind in kinds:
            number, checkouts, _, _ = results[kind][scenario.name]
            worst = max(worst, number)
            cells += [number, checkouts]
        over = any(results[k][scenario.name][0] > TARGET for k in kinds)
        cells.append("OVER" if over else "ok")
        rows.append(cells)
    headings = ["request (state)"]
    for kind in kinds:
        headings += [f"{label(kind)} statements", "transactions"]
    print()
    print(table([*headings, f"≤ {TARGET}"], rows))
    if options.show_sql:
        for scenario in SCENARIOS:
            for kind in kinds:
                _, _, sent, speech = results[kind][scenario.name]
                print(f"\n-- {scenario.name} [{label(kind)}]: {speech[:100]!r}")
                for statement in sent:
                    print(f"   {statement[:160]}")
    checks = [
        Check(
            BENCH,
            f"SQL statements per request, worst of {len(SCENARIOS)} requests",
            str(worst),
            f"≤ {TARGET}",
            worst <= TARGET,
        )
    ]
    finish(options, checks)
    return 0 if worst <= TARGET else TARGET_MISSED


if __name__ == "__main__":
    sys.exit(main())
