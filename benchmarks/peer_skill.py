"""The textbook peer: the same skill as a competent developer would write it from the design card.

ask-sdk-core's SkillBuilder with one handler class per intent and DefaultSerializer; a
SQLAlchemy 2 ORM session per request (DeclarativeBase, Mapped, sessionmaker) on an SQLite
file with the skill's pragmas (WAL, synchronous NORMAL, foreign keys, busy timeout) and the
driver's default transactions. The requests the benchmarks send do the
same reads and writes as ours:

- launch: the greeting with the user's no-contact days (a new user is created);
- "log my day" with all three slots: upsert today's day row (SQLite's INSERT … ON CONFLICT),
  update the running totals;
- streak; today's tip (stored on the user, a new one each day);
- progress and "am I ready": the last 14 days of day rows.

It speaks English only, runs on SQLite only (its upsert), knows "today" in UTC (no Settings
API), and hashes the user id with HMAC-SHA256 like ours. It imports nothing of ours, so the
cold-start benchmark can load it by path. Entry points: `build(url, pepper)`,
`handler(event, context)` (Lambda, built on first use from DATABASE_URL and USER_ID_PEPPER)
and `create_app()` (Flask, for gunicorn).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from datetime import UTC, date, timedelta
from typing import Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type
from ask_sdk_model import RequestEnvelope, Response
from sqlalchemy import ForeignKey, String, UniqueConstraint, create_engine, event, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

log = logging.getLogger("peer")
MILESTONES = (7, 14, 21, 30, 60, 90)
READY_DAYS, READY_LOGS, READY_CONFIDENCE, READY_ACTIVITIES = 30, 4, 7.0, 3
WINDOW_DAYS = 14
CONTACT_VALUES = {"no contact": "NONE", "no": "NONE", "none": "NONE", "yes": "SOME"}
TIPS = [
    "Mute their profiles today; out of sight makes the days easier.",
    "Write down three things you want from your next relationship.",
    "Call a friend you have not spoken to in a while.",
    "Go for a walk without your phone.",
    "Cook yourself a proper dinner tonight.",
    "Start a book you have been putting off.",
    "Book something you look forward to this week.",
    "Tidy one corner of your home; small wins count.",
    "Try a class you have never done before.",
    "Go to bed half an hour earlier tonight.",
]


# -- models -----------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_on: Mapped[date]
    last_contact_on: Mapped[date | None]
    best_run: Mapped[int] = mapped_column(default=0)
    log_days: Mapped[int] = mapped_column(default=0)
    last_log_on: Mapped[date | None]
    log_run: Mapped[int] = mapped_column(default=0)
    tip_day: Mapped[date | None]
    tip_index: Mapped[int] = mapped_column(default=-1)

    def no_contact_days(self, today: date) -> int:
        anchor = max(self.started_on, self.last_contact_on or self.started_on)
        return max(0, (today - anchor).days)

    def log_streak(self, today: date) -> int:
        if self.last_log_on in (today, today - timedelta(days=1)):
            return self.log_run
        return 0


class DayLog(Base):
    __tablename__ = "day_logs"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date]
    contact: Mapped[str] = mapped_column(String(12))
    activity: Mapped[str | None] = mapped_column(String(12))
    confidence: Mapped[int | None]


def make_engine(url: str) -> Any:
    """An engine; on SQLite with the skill's pragmas (transactions are left to the driver, as
    by default: reads outside one, BEGIN before the first write)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

    return engine


# -- handlers ---------------------------------------------------------------------------


class UserHandler(AbstractRequestHandler):
    """What every handler of the peer shares: its sessions, the user, today."""

    def __init__(self, sessions: sessionmaker[Session], pepper: str) -> None:
        self.sessions = sessions
        self.pepper = pepper

    def user_hash(self, handler_input: HandlerInput) -> str:
        user_id = handler_input.request_envelope.context.system.user.user_id
        return hmac.new(self.pepper.encode(), user_id.encode(), hashlib.sha256).hexdigest()

    def today(self, handler_input: HandlerInput) -> date:
        stamp = handler_input.request_envelope.request.timestamp
        return (stamp.astimezone(UTC) if stamp.tzinfo else stamp).date()

    def user(self, session: Session, handler_input: HandlerInput, today: date) -> User:
        user_hash = self.user_hash(handler_input)
        user = session.scalar(select(User).where(User.user_hash == user_hash))
        if user is None:
            user = User(user_hash=user_hash, started_on=today)
            session.add(user)
            session.flush()
        return user

    def window(self, session: Session, user: User, today: date) -> list[DayLog]:
        since = today - timedelta(days=WINDOW_DAYS - 1)
        query = select(DayLog).where(DayLog.user_id == user.id, DayLog.day >= since)
        return list(session.scalars(query.order_by(DayLog.day)))


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class LaunchHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user_hash = self.user_hash(handler_input)
            user = session.scalar(select(User).where(User.user_hash == user_hash))
            if user is None:
                session.add(User(user_hash=user_hash, started_on=today))
                speech = "Welcome to Comeback Coach. Is it safe for you to be in touch with them?"
                return handler_input.response_builder.speak(speech).ask(speech).response
            days = user.no_contact_days(today)
            logged = user.last_log_on == today
        suggestion = "Want today's tip?" if logged else "Shall we log your day?"
        speech = f"Welcome back. You are at {plural(days, 'day')} of no contact. {suggestion}"
        return handler_input.response_builder.speak(speech).ask(suggestion).response


def slot_id(handler_input: HandlerInput, name: str) -> str | None:
    slot = get_slot(handler_input, name)
    if slot is None or slot.value is None:
        return None
    resolutions = slot.resolutions
    if resolutions and resolutions.resolutions_per_authority:
        for authority in resolutions.resolutions_per_authority:
            if authority.status.code.value == "ER_SUCCESS_MATCH" and authority.values:
                return str(authority.values[0].value.id)
    return CONTACT_VALUES.get(slot.value.lower(), slot.value.upper())


class LogDayHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("LogDayIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        contact = slot_id(handler_input, "contact")
        activity = slot_id(handler_input, "activity")
        confidence_slot = get_slot(handler_input, "confidence")
        builder = handler_input.response_builder
        try:
            confidence = int(confidence_slot.value)
        except (AttributeError, TypeError, ValueError):
            confidence = 0
        if contact is None:
            return ask(builder, "contact", "Did you have any contact with them today?")
        if activity is None:
            return ask(builder, "activity", "What did you do for yourself today?")
        if not 1 <= confidence <= 10:
            return ask(builder, "confidence", "From one to ten, how confident do you feel today?")
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user = self.user(session, handler_input, today)
            # One row per user and day, even when two requests log the same day at once.
            logged = {"contact": contact, "activity": activity, "confidence": confidence}
            upsert = insert(DayLog).values(user_id=user.id, day=today, **logged)
            session.execute(
                upsert.on_conflict_do_update(index_elements=["user_id", "day"], set_=logged)
            )
            if contact == "SOME":
                user.best_run = max(user.best_run, user.no_contact_days(today))
                user.last_contact_on = today
            if user.last_log_on != today:
                user.log_days += 1
                yesterday = today - timedelta(days=1)
                user.log_run = user.log_run + 1 if user.last_log_on == yesterday else 1
                user.last_log_on = today
            days, streak = user.no_contact_days(today), user.log_streak(today)
        speech = (
            f"Got it, today is logged. You are at {plural(days, 'day')} of no contact, "
            f"and you have logged {plural(streak, 'day')} in a row."
        )
        return builder.speak(speech).set_should_end_session(True).response


def ask(builder: Any, slot: str, question: str) -> Response:
    from ask_sdk_model.dialog import ElicitSlotDirective

    directive = ElicitSlotDirective(slot_to_elicit=slot)
    return builder.speak(question).ask(question).add_directive(directive).response


class StreakHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StreakIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user = self.user(session, handler_input, today)
            days = user.no_contact_days(today)
            best = max(user.best_run, days)
            streak = user.log_streak(today)
        speech = f"You are at {plural(days, 'day')} of no contact; your best is {best}."
        if streak:
            speech += f" You have logged {plural(streak, 'day')} in a row."
        following = next((m for m in MILESTONES if m > days), None)
        if following is not None:
            speech += f" {plural(following - days, 'day')} to your next milestone."
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class TipHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DailyTipIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user = self.user(session, handler_input, today)
            if user.tip_day != today:
                user.tip_index = (user.tip_index + 1) % len(TIPS)
                user.tip_day = today
            tip = TIPS[user.tip_index]
        speech = f"Today's tip: {tip}"
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class ProgressHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user = self.user(session, handler_input, today)
            days = self.window(session, user, today)
        week_start = today - timedelta(days=6)
        this_week = [d for d in days if d.day >= week_start]
        last_week = [d for d in days if d.day < week_start]
        if not this_week:
            speech = "You have not logged any days this week. Say log my day to start."
        else:
            average = mean_confidence(this_week)
            speech = f"This week you logged {plural(len(this_week), 'day')}, "
            speech += f"with an average confidence of {average:.1f}"
            if last_week:
                change = average - mean_confidence(last_week)
                speech += f", {abs(change):.1f} {'up' if change >= 0 else 'down'} on last week"
            activities = sorted({d.activity for d in this_week if d.activity not in (None, "NONE")})
            if activities:
                speech += ". You did: " + ", ".join(a.lower().replace("_", " ") for a in activities)
            slips = sum(1 for d in this_week if d.contact == "SOME")
            speech += f". {plural(slips, 'slip')}."
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


def mean_confidence(days: list[DayLog]) -> float:
    rated = [d.confidence for d in days if d.confidence is not None]
    return sum(rated) / len(rated) if rated else 0.0


class ReadyHandler(UserHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AmIReadyIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        today = self.today(handler_input)
        with self.sessions.begin() as session:
            user = self.user(session, handler_input, today)
            no_contact = user.no_contact_days(today)
            days = self.window(session, user, today)
        week = [d for d in days if d.day > today - timedelta(days=7)]
        confidence = mean_confidence(week)
        activities = {d.activity for d in days if d.activity not in (None, "NONE")}
        gaps = []
        if no_contact < READY_DAYS:
            gaps.append(f"you are on day {no_contact} of {READY_DAYS} without contact")
        if len(week) < READY_LOGS:
            gaps.append(f"you logged {len(week)} of {READY_LOGS} days this week")
        if confidence < READY_CONFIDENCE:
            gaps.append(f"your confidence averages {confidence:.1f}, {READY_CONFIDENCE:g} needed")
        if len(activities) < READY_ACTIVITIES:
            gaps.append(f"{len(activities)} of {READY_ACTIVITIES} different activities")
        builder = handler_input.response_builder
        if not gaps:
            question = "You are ready. Do you still want to get back together?"
            return builder.speak(question).ask(question).response
        speech = "Not yet: " + "; ".join(gaps) + ". Keep logging your days."
        return builder.speak(speech).set_should_end_session(True).response


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        speech = "You can say log my day, what's my streak, or am I ready."
        return handler_input.response_builder.speak(speech).ask(speech).response


class ErrorHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("request failed", exc_info=exception)
        speech = "Sorry, something went wrong. Please try again."
        return handler_input.response_builder.speak(speech).ask(speech).response


# -- the skill and its entry points --------------------------------------------------------


class PeerSkill:
    """The built skill: `invoke(event)` answers one request envelope dict."""

    def __init__(self, url: str, pepper: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        sessions = sessionmaker(self.engine, expire_on_commit=False)
        builder = SkillBuilder()
        for handler_class in (
            LaunchHandler,
            LogDayHandler,
            StreakHandler,
            TipHandler,
            ProgressHandler,
            ReadyHandler,
        ):
            builder.add_request_handler(handler_class(sessions, pepper))
        builder.add_request_handler(SessionEndedHandler())
        builder.add_request_handler(FallbackHandler())
        builder.add_exception_handler(ErrorHandler())
        self.sdk = builder.create()
        self.serializer = DefaultSerializer()

    def invoke_json(self, body: str, context: Any = None) -> Any:
        """Answer a request body (JSON text) with the serialized response envelope."""
        envelope = self.serializer.deserialize(body, RequestEnvelope)
        return self.serializer.serialize(self.sdk.invoke(envelope, context))

    def invoke(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """Answer one event, as SkillBuilder.lambda_handler does (without rebuilding)."""
        answer: dict[str, Any] = self.invoke_json(json.dumps(event), context)
        return answer

    def close(self) -> None:
        self.engine.dispose()


def build(url: str | None = None, pepper: str | None = None) -> PeerSkill:
    """The peer on `url` (default $DATABASE_URL) with `pepper` (default $USER_ID_PEPPER)."""
    return PeerSkill(url or os.environ["DATABASE_URL"], pepper or os.environ["USER_ID_PEPPER"])


_skill: PeerSkill | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda handler: the skill built once per process."""
    global _skill
    if _skill is None:
        _skill = build()
    return _skill.invoke(event, context)


def create_app(url: str | None = None, pepper: str | None = None) -> Any:
    """A minimal Flask app: POST / answers Alexa (no request verification), GET /healthz."""
    from flask import Flask, jsonify, request

    peer = build(url, pepper)
    app = Flask(__name__)

    @app.post("/")
    def alexa() -> Any:
        return jsonify(peer.invoke_json(request.get_data(as_text=True)))

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok")

    return app
