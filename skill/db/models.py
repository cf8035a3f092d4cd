"""Tables. Alembic owns the schema; these mirror the newest migration."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base for every table, with constraint names the migrations share."""

    metadata = sa.MetaData(
        naming_convention={
            "pk": "pk_%(table_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )


class User(Base):
    """One Alexa user, known only by an HMAC of their id, with the journey's running totals."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    user_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    locale: Mapped[str] = mapped_column(sa.String(10), default="en-US")
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    zone_checked_on: Mapped[date | None] = mapped_column(sa.Date)
    stage: Mapped[str] = mapped_column(sa.String(16), default="reflect")
    started_on: Mapped[date | None] = mapped_column(sa.Date)
    last_contact_on: Mapped[date | None] = mapped_column(sa.Date)
    best_run: Mapped[int] = mapped_column(sa.Integer, default=0)
    slip_days: Mapped[int] = mapped_column(sa.Integer, default=0)
    milestones: Mapped[int] = mapped_column(sa.Integer, default=0)
    unsafe: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    log_days: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_log_on: Mapped[date | None] = mapped_column(sa.Date)
    log_run: Mapped[int] = mapped_column(sa.Integer, default=0)
    tip_day: Mapped[date | None] = mapped_column(sa.Date)
    tip_stage: Mapped[str | None] = mapped_column(sa.String(16))
    tip_index: Mapped[int | None] = mapped_column(sa.SmallInteger)
    tips_seen: Mapped[str] = mapped_column(sa.String(400), default="{}")  # JSON: stage → bitmask
    slip_prev_stage: Mapped[str | None] = mapped_column(sa.String(16))
    slip_prev_contact_on: Mapped[date | None] = mapped_column(sa.Date)
    reminder_offered: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    reminder_token: Mapped[str | None] = mapped_column(sa.String(255))
    reminder_time: Mapped[str | None] = mapped_column(sa.String(5))  # "21:00", local
    met_on: Mapped[date | None] = mapped_column(sa.Date)  # the first meeting's outcome told
    #: JSON list of the tips heard in the last week, "day/stage/index" (migration 0008).
    recent_tips: Mapped[str] = mapped_column(sa.String(400), default="[]", server_default="[]")
    #: Urges ridden out in all: which way through the next one is offered (migration 0009).
    urges_total: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    #: Counts the row's writes: a writer changes it only from the value it read.
    revision: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class DayLog(Base):
    """One local day of one user: contact, and the day log when there is one."""

    __tablename__ = "day_logs"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "day", name="uq_day_logs_user_day"),
        # Every column a request reads of a day, so the window of days it reads comes from
        # the index alone, without a lookup in the table per day (migration 0006).
        sa.Index("ix_day_logs_window", "user_id", "day", "contact", "activity", "confidence"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    contact: Mapped[str] = mapped_column(sa.String(12))
    activity: Mapped[str | None] = mapped_column(sa.String(12))
    confidence: Mapped[int | None] = mapped_column(sa.SmallInteger)


class Urge(Base):
    """How many urges to reach out one user rode out on one local day (never what was said)."""

    __tablename__ = "urges"
    __table_args__ = (sa.UniqueConstraint("user_id", "day", name="uq_urges_user_day"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    count: Mapped[int] = mapped_column(sa.Integer, default=1)
