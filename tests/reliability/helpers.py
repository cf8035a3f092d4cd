"""What every reliability test checks: valid responses, whole rows, and what the logs hold."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, Table, create_engine, inspect, select, text

from skill.db.engine import normalize_url
from skill.db.models import Base, DayLog, User
from skill.domain import rules
from skill.domain.model import Activity, Contact, Stage
from skill.i18n import Strings, supported_locales
from tests.alexa import Alexa, plain

#: Alexa's limits: 8,000 characters of speech, 24 kilobytes for the whole response.
MAX_SPEECH_CHARS = 8000
MAX_RESPONSE_BYTES = 24 * 1024

STAGES = {s.value for s in Stage}
CONTACTS = {c.value for c in Contact}
ACTIVITIES = {a.value for a in Activity}


# -- responses ----------------------------------------------------------------------------


def speeches(envelope: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The output speech and the reprompt's speech of a response, where present."""
    response = envelope.get("response") or {}
    found = [response.get("outputSpeech"), (response.get("reprompt") or {}).get("outputSpeech")]
    return [s for s in found if s is not None]


def assert_valid_response(envelope: Any) -> None:
    """A response Alexa accepts: version 1.0, a response object, well-formed SSML speech."""
    assert isinstance(envelope, dict), envelope
    assert envelope.get("version") == "1.0", envelope
    response = envelope.get("response")
    assert isinstance(response, dict), envelope
    assert isinstance(envelope.get("sessionAttributes", {}), dict), envelope
    assert isinstance(response.get("shouldEndSession", False), bool | None), envelope
    for speech in speeches(envelope):
        assert speech.get("type") == "SSML", speech
        ssml = speech.get("ssml")
        assert isinstance(ssml, str), speech
        assert ssml.startswith("<speak>"), ssml
        assert ssml.endswith("</speak>"), ssml
        ElementTree.fromstring(ssml)  # well-formed, or this raises
    json.dumps(envelope)  # plain JSON all the way down
    assert "Traceback" not in json.dumps(envelope)


def apology_words(locale: str = "en-US") -> str:
    """The first sentence of the spoken apology in a locale."""
    return Strings(locale).text("error").split(". ")[0].split("。")[0]


def is_apology(envelope: Mapping[str, Any], locale: str | None = None) -> bool:
    """Whether a response is the skill's apology for something that went wrong (in `locale`,
    or in any language the skill speaks)."""
    words = said(envelope)
    locales = [locale] if locale else supported_locales()
    return any(apology_words(known) in words for known in locales)


def said(envelope: Mapping[str, Any]) -> str:
    """The words of a response's output speech."""
    speech = (envelope.get("response") or {}).get("outputSpeech") or {}
    return plain(speech.get("ssml"))


def intent_event(alexa: Alexa, name: str, **slot_ids: tuple[str, str] | str) -> dict[str, Any]:
    """An IntentRequest envelope in a new session, without sending it.

    A slot given as (id, TYPE) carries an ER_SUCCESS_MATCH resolution; a string is spoken.
    """
    slots: dict[str, Any] = {}
    for slot, given in slot_ids.items():
        entry: dict[str, Any] = {"name": slot, "confirmationStatus": "NONE"}
        if isinstance(given, tuple):
            value_id, slot_type = given
            entry["value"] = value_id.lower()
            entry["resolutions"] = {
                "resolutionsPerAuthority": [
                    {
                        "authority": f"amzn1.er-authority.echo-sdk.{alexa.skill_id}.{slot_type}",
                        "status": {"code": "ER_SUCCESS_MATCH"},
                        "values": [{"value": {"name": value_id.lower(), "id": value_id}}],
                    }
                ]
            }
        else:
            entry["value"] = given
        slots[slot] = entry
    alexa.end_session()
    event = alexa.envelope(
        {
            "type": "IntentRequest",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots},
        }
    )
    alexa.end_session()
    return json.loads(json.dumps(event))


def full_log_event(alexa: Alexa, confidence: int = 7) -> dict[str, Any]:
    """'No contact today, I went to the gym, I feel seven': every slot filled."""
    return intent_event(
        alexa,
        "LogDayIntent",
        contact=("NONE", "CONTACT_STATUS"),
        activity=("EXERCISE", "ACTIVITY"),
        confidence=str(confidence),
    )


# -- the database -------------------------------------------------------------------------


@contextmanager
def inspector(url: str) -> Iterator[Engine]:
    """A plain engine of our own for reading what the skill wrote: none of the skill's
    listeners or locking (its SQLite transactions take the write lock, ours only read)."""
    engine = create_engine(normalize_url(url))
    try:
        yield engine
    finally:
        engine.dispose()


def tables() -> list[Table]:
    """Every table the models declare, parents first."""
    return list(Base.metadata.sorted_tables)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in tables()
        }


def user_link(table: Table) -> str:
    """How a table's rows name their user: 'user_hash', or the column referring to users.id."""
    if "user_hash" in table.c:
        return "user_hash"
    for column in table.c:
        if any(fk.column.table.name == "users" for fk in column.foreign_keys):
            return column.name
    raise AssertionError(f"table {table.name} has no link to a user; teach this test about it")


def user_rows(engine: Engine, user_hash: str, user_id: int | None) -> dict[str, int]:
    """How many rows each table holds for one user (by hash, or by the id the user had)."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in tables():
            link = user_link(table)
            key = user_hash if link == "user_hash" else user_id
            rows = conn.execute(select(table).where(table.c[link] == key)).all()
            counts[table.name] = len(rows)
    return counts


def user_id_of(engine: Engine, user_hash: str) -> int | None:
    """The users.id of a hashed user, if they have a row."""
    with engine.connect() as conn:
        found = conn.execute(select(User.id).where(User.user_hash == user_hash)).scalar()
        return int(found) if found is not None else None


def rows_as_text(engine: Engine) -> str:
    """Every row of every table as the database itself renders it as text."""
    lines: list[str] = []
    with engine.connect() as conn:
        for table in tables():
            if conn.dialect.name == "postgresql":
                query = text(f'SELECT t::text FROM "{table.name}" t')
            else:
                columns = " || '|' || ".join(f"COALESCE(\"{c.name}\", '')" for c in table.c)
                query = text(f'SELECT {columns} FROM "{table.name}"')
            lines += [str(value) for (value,) in conn.execute(query)]
    return "\n".join(lines)


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def consistency_problems(engine: Engine) -> list[str]:
    """Whatever a half-written request would leave behind: rows that contradict each other.

    A user's running totals must agree with their day rows (log_days counts the day logs,
    last_log_on is the newest), every field must hold a value the skill can read back, and
    every day row must belong to a user and be either a whole log or a bare slip.
    """
    problems: list[str] = []
    if not inspect(engine).has_table("users"):
        return problems  # nothing was ever written
    with engine.connect() as conn:
        users = [dict(r) for r in conn.execute(select(User.__table__)).mappings()]
        days = [dict(r) for r in conn.execute(select(DayLog.__table__)).mappings()]
    known = {u["id"] for u in users}
    logs: dict[int, list[date]] = {}
    for d in days:
        where = f"day_logs {d['id']}"
        if d["user_id"] not in known:
            problems.append(f"{where}: no user {d['user_id']}")
        if d["contact"] not in CONTACTS:
            problems.append(f"{where}: contact {d['contact']!r}")
        if d["activity"] is not None and d["activity"] not in ACTIVITIES:
            problems.append(f"{where}: activity {d['activity']!r}")
        confidence = d["confidence"]
        if confidence is not None and not (
            rules.CONFIDENCE_MIN <= confidence <= rules.CONFIDENCE_MAX
        ):
            problems.append(f"{where}: confidence {confidence!r}")
        if (d["activity"] is None) != (confidence is None):
            problems.append(f"{where}: half a log ({d['activity']!r}, {confidence!r})")
        if confidence is not None:
            logs.setdefault(d["user_id"], []).append(d["day"])
    for u in users:
        where = f"users {u['id']}"
        mine = logs.get(u["id"], [])
        if len(u["user_hash"]) != 64 or set(u["user_hash"]) - set("0123456789abcdef"):
            problems.append(f"{where}: user_hash is not an HMAC")
        if u["locale"] not in supported_locales():
            problems.append(f"{where}: locale {u['locale']!r}")
        if u["time_zone"] is not None and not _valid_zone(u["time_zone"]):
            problems.append(f"{where}: time zone {u['time_zone']!r}")
        for field in ("stage", "tip_stage", "slip_prev_stage"):
            if u[field] is not None and u[field] not in STAGES:
                problems.append(f"{where}: {field} {u[field]!r}")
        if (u["stage"] == Stage.REFLECT) != (u["started_on"] is None):
            problems.append(f"{where}: stage {u['stage']} but started_on {u['started_on']}")
        for field in ("best_run", "slip_days", "milestones", "log_days", "log_run"):
            if u[field] is None or u[field] < 0:
                problems.append(f"{where}: {field} {u[field]!r}")
        if u["log_days"] != len(mine):
            problems.append(f"{where}: log_days {u['log_days']} but {len(mine)} logged days")
        if u["last_log_on"] != (max(mine) if mine else None):
            problems.append(f"{where}: last_log_on {u['last_log_on']} but logs {sorted(mine)}")
        if not (min(1, u["log_days"]) <= u["log_run"] <= u["log_days"]):
            problems.append(f"{where}: log_run {u['log_run']} of {u['log_days']} log days")
        try:
            seen = json.loads(u["tips_seen"])
            assert isinstance(seen, dict)
            assert all(isinstance(v, int) and k in STAGES for k, v in seen.items())
        except (ValueError, AssertionError):
            problems.append(f"{where}: tips_seen {u['tips_seen']!r}")
        if (u["reminder_token"] is None) != (u["reminder_time"] is None):
            problems.append(f"{where}: half a reminder")
    return problems


# -- logs ---------------------------------------------------------------------------------


class LogCapture(logging.Handler):
    """Every record any logger emits, formatted as it would be written (tracebacks too)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [self.format(r) for r in self.records]

    def text(self) -> str:
        return "\n".join(self.lines())


@contextmanager
def capture_logs(level: int = logging.DEBUG) -> Iterator[LogCapture]:
    """Capture every logger at `level` (the root logger's level is restored afterwards)."""
    root = logging.getLogger()
    capture = LogCapture()
    before = root.level
    root.addHandler(capture)
    root.setLevel(level)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(before)
