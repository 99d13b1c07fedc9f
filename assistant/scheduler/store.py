"""Reminders and events: add, list, move, snooze, complete, cancel; agenda occurrences."""

from __future__ import annotations

import builtins
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.changes import RemindersChanged
from assistant.scheduler.parse import ParsedTime, format_time, localize
from assistant.scheduler.recur import describe_rule, occurrences
from assistant.scheduler.zones import zone
from assistant.store.db import Database, inserted_id

Clock = Callable[[], datetime]
#: A far bound for "the next occurrence" searches: repeats further apart than this do not exist.
HORIZON = timedelta(days=800)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Reminder:
    id: int
    text: str
    kind: str
    start: datetime  # aware, first occurrence
    tz: str
    rrule: str | None
    duration_minutes: int
    notes: str
    status: str
    handled_through: float
    snoozed_until: float | None
    next_due: datetime | None
    uid: str
    source: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Reminder:
        tz = zone(row["tz"])
        start, _ = localize(datetime.fromisoformat(row["start_local"]), tz)
        return cls(
            id=row["id"],
            text=row["text"],
            kind=row["kind"],
            start=start,
            tz=row["tz"],
            rrule=row["rrule"],
            duration_minutes=row["duration_minutes"] or 0,
            notes=row["notes"] or "",
            status=row["status"],
            handled_through=row["handled_through"],
            snoozed_until=row["snoozed_until"],
            next_due=datetime.fromtimestamp(row["next_due"], tz) if row["next_due"] is not None else None,
            uid=row["uid"] or "",
            source=row["source"] or "",
        )

    def describe(self) -> str:
        when = f"{format_time(self.start)} ({self.tz})"
        if self.rrule:
            when += ", " + describe_rule(self.rrule)
        return f"#{self.id} {self.text!r} — {when} [{self.status}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "tz": self.tz,
            "repeat": self.rrule,
            "status": self.status,
            "next_due": self.next_due.isoformat() if self.next_due else None,
        }


@dataclass(frozen=True)
class Occurrence:
    reminder: Reminder
    at: datetime  # aware, in the reminder's zone

    @property
    def past(self) -> bool:
        return self.at.timestamp() <= self.reminder.handled_through


class ReminderError(ValueError):
    pass


class ReminderStore:
    def __init__(self, database: Database, clock: Clock = utc_now) -> None:
        self.database = database
        self.clock = clock

    # reading -------------------------------------------------------------------------------
    def get(self, reminder_id: int) -> Reminder | None:
        rows = list(self.database.db.query("select * from reminders where id = ?", [reminder_id]))
        return Reminder.from_row(rows[0]) if rows else None

    def require(self, reminder_id: int) -> Reminder:
        found = self.get(reminder_id)
        if found is None:
            raise ReminderError(f"There is no reminder #{reminder_id}.")
        return found

    def list(self, status: str | None = "active") -> list[Reminder]:
        sql = "select * from reminders" + (" where status = ?" if status else "") + " order by id"
        return [Reminder.from_row(r) for r in self.database.db.query(sql, [status] if status else [])]

    def find(self, words: str) -> builtins.list[Reminder]:
        """Active reminders whose text contains ``words`` (case-insensitive)."""
        needle = words.strip().casefold()
        return [r for r in self.list() if needle in r.text.casefold()]

    def agenda(self, start: datetime, end: datetime, include_done: bool = True) -> builtins.list[Occurrence]:
        """Every occurrence in ``[start, end)``, soonest first (the Agenda view and list tools)."""
        found: list[Occurrence] = []
        statuses = ("active", "done") if include_done else ("active",)
        for reminder in self.list(None):
            if reminder.status not in statuses:
                continue
            for at in occurrences(
                reminder.start.replace(tzinfo=None),
                reminder.rrule,
                zone(reminder.tz),
                start - timedelta(microseconds=1),
                end - timedelta(microseconds=1),
            ):
                found.append(Occurrence(reminder, at))
        return sorted(found, key=lambda o: (o.at.timestamp(), o.reminder.id))

    # writing -------------------------------------------------------------------------------
    def add(
        self,
        text: str,
        when: ParsedTime,
        kind: str = "reminder",
        duration_minutes: int = 0,
        notes: str = "",
        source: str = "chat",
        uid: str | None = None,
        conversation_id: int | None = None,
    ) -> Reminder:
        return self.add_many(
            [
                dict(
                    text=text,
                    when=when,
                    kind=kind,
                    duration_minutes=duration_minutes,
                    notes=notes,
                    source=source,
                    uid=uid,
                    conversation_id=conversation_id,
                )
            ]
        )[0]

    def add_many(self, items: Iterable[dict[str, Any]]) -> builtins.list[Reminder]:
        """All or nothing: one transaction (an ICS import never stops half way)."""
        now = self.clock().timestamp()
        ids: list[int] = []
        with self.database.writing() as db:
            for item in items:
                text = " ".join(str(item["text"]).split())[:500]
                if not text:
                    raise ReminderError("A reminder needs some text.")
                when: ParsedTime = item["when"]
                row = {
                    "text": text,
                    "kind": item.get("kind", "reminder"),
                    "start_local": when.local.isoformat(),
                    "tz": when.tz,
                    "rrule": when.rrule,
                    "duration_minutes": int(item.get("duration_minutes") or 0),
                    "notes": item.get("notes") or "",
                    "status": "active",
                    # Imported repeats that began in the past must not report years of "missed".
                    "handled_through": min(now, when.start.timestamp() - 1),
                    "snoozed_until": None,
                    "uid": item.get("uid") or f"{uuid.uuid4()}@offline-assistant",
                    "source": item.get("source", "chat"),
                    "conversation_id": item.get("conversation_id"),
                    "created_at": now,
                    "updated_at": now,
                }
                if when.rrule:
                    row["handled_through"] = now
                row["next_due"] = _next_due(row)
                table = db.table("reminders")
                table.insert(row)
                ids.append(inserted_id(table))
            if ids:
                self.database.changed(RemindersChanged())
        return [self.require(i) for i in ids]

    def move(self, reminder_id: int, when: ParsedTime) -> Reminder:
        current = self.require(reminder_id)
        rule = when.rrule if when.rrule is not None else current.rrule
        return self._update(
            reminder_id,
            start_local=when.local.isoformat(),
            tz=when.tz,
            rrule=rule,
            snoozed_until=None,
            status="active",
            handled_through=min(self.clock().timestamp(), when.start.timestamp() - 1),
        )

    def snooze(self, reminder_id: int, until: datetime) -> Reminder:
        if until <= self.clock():
            raise ReminderError("A snooze must end in the future.")
        return self._update(reminder_id, snoozed_until=until.timestamp(), status="active")

    def complete(self, reminder_id: int, series: bool = False) -> Reminder:
        """Done. For a repeat, only its next occurrence is skipped unless ``series``."""
        current = self.require(reminder_id)
        if current.rrule and not series and current.next_due is not None:
            return self._update(reminder_id, handled_through=current.next_due.timestamp(), snoozed_until=None)
        return self._update(reminder_id, status="done", snoozed_until=None)

    def cancel(self, reminder_id: int) -> Reminder:
        """Hidden from the agenda and never fires; kept, so it can be restored."""
        return self._update(reminder_id, status="cancelled")

    def restore(self, reminder_id: int) -> Reminder:
        return self._update(reminder_id, status="active")

    def mark_handled(self, reminder_id: int, through: float, clear_snooze: bool) -> None:
        """Record that everything due up to ``through`` was shown (the due service's commit)."""
        with self.database.writing() as db:
            row = next(db.query("select * from reminders where id = ?", [reminder_id]))
            row["handled_through"] = max(row["handled_through"], through)
            if clear_snooze:
                row["snoozed_until"] = None
            row["next_due"] = _next_due(row)
            row["updated_at"] = time.time()
            db.table("reminders").update(reminder_id, row)
            self.database.changed(RemindersChanged())  # fired: its next time moved on

    def _update(self, reminder_id: int, **changes: Any) -> Reminder:
        with self.database.writing() as db:
            rows = list(db.query("select * from reminders where id = ?", [reminder_id]))
            if not rows:
                raise ReminderError(f"There is no reminder #{reminder_id}.")
            row = {**rows[0], **changes, "updated_at": time.time()}
            row["next_due"] = _next_due(row)
            db.table("reminders").update(reminder_id, row)
            self.database.changed(RemindersChanged())
        return self.require(reminder_id)


def _next_due(row: dict[str, Any]) -> float | None:
    """The next instant this row should fire: its snooze or its next unhandled occurrence."""
    if row["status"] != "active":
        return None
    tz = zone(row["tz"])
    after = datetime.fromtimestamp(row["handled_through"], UTC)
    found = occurrences(
        datetime.fromisoformat(row["start_local"]), row["rrule"], tz, after, after + HORIZON, 1
    )
    candidates = [m.timestamp() for m in found]
    if row.get("snoozed_until") is not None:
        candidates.append(row["snoozed_until"])
    return min(candidates) if candidates else None
