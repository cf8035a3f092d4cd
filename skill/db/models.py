"""Tables. Alembic owns the schema; these mirror the newest migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base for every table, with constraint names the migrations share."""

    metadata = MetaData(
        naming_convention={
            "pk": "pk_%(table_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )


class User(Base):
    """One Alexa user, known only by an HMAC of their id, with the journey's running totals."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(10), default="en-US")
    time_zone: Mapped[str | None] = mapped_column(String(64))
    zone_checked_on: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(16), default="reflect")
    started_on: Mapped[date | None] = mapped_column(Date)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    best_run: Mapped[int] = mapped_column(Integer, default=0)
    slip_days: Mapped[int] = mapped_column(Integer, default=0)
    milestones: Mapped[int] = mapped_column(Integer, default=0)
    unsafe: Mapped[bool] = mapped_column(Boolean, default=False)
    log_days: Mapped[int] = mapped_column(Integer, default=0)
    last_log_on: Mapped[date | None] = mapped_column(Date)
    log_run: Mapped[int] = mapped_column(Integer, default=0)
    tip_day: Mapped[date | None] = mapped_column(Date)
    tip_stage: Mapped[str | None] = mapped_column(String(16))
    tip_index: Mapped[int | None] = mapped_column(SmallInteger)
    tips_seen: Mapped[str] = mapped_column(String(400), default="{}")  # JSON: stage → bitmask
    slip_prev_stage: Mapped[str | None] = mapped_column(String(16))
    slip_prev_contact_on: Mapped[date | None] = mapped_column(Date)
    reminder_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_token: Mapped[str | None] = mapped_column(String(255))
    reminder_time: Mapped[str | None] = mapped_column(String(5))  # "21:00", local
    #: A random stamp, new at every write of the row: optimistic writers compare it.
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DayLog(Base):
    """One local day of one user: contact, and the day log when there is one."""

    __tablename__ = "day_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "day", name="uq_day_logs_user_day"),
        # Every column a request reads of a day, so the window of days it reads comes from
        # the index alone, without a lookup in the table per day (migration 0006).
        Index("ix_day_logs_window", "user_id", "day", "contact", "activity", "confidence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(12))
    activity: Mapped[str | None] = mapped_column(String(12))
    confidence: Mapped[int | None] = mapped_column(SmallInteger)
