"""The due-time service the tray/notification layer polls: ``next_due()`` + ``fire_due()``.

No thread of its own: the UI (a QTimer) or the CLI decides when to ask, which keeps the core
free of timers and makes every behaviour testable with a fixed clock. The rule that makes it
safe: an occurrence is shown at most once, because ``handled_through`` is committed before
``fire_due`` returns, and only occurrences after it are ever considered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from assistant.scheduler.recur import occurrences
from assistant.scheduler.store import ReminderStore
from assistant.scheduler.zones import zone

#: Later than this after its time, a reminder is reported as missed ("while you were away").
GRACE = timedelta(minutes=5)
#: A UI timer never sleeps longer than this, so a clock jump forward is noticed soon.
MAX_SLEEP = timedelta(seconds=60)


@dataclass(frozen=True)
class Notification:
    reminder_id: int
    text: str
    due: datetime  # aware: the (latest) occurrence being reported
    missed: bool  # fell due while the app was closed or asleep: show as "while you were away"
    count: int = 1  # occurrences folded into this one (a daily reminder missed for a week: 7)
    snoozed: bool = False  # this is a snooze coming back

    def title(self) -> str:
        if self.missed:
            extra = f" ({self.count} times)" if self.count > 1 else ""
            return f"Missed{extra}: {self.text}"
        return self.text


class DueService:
    def __init__(self, store: ReminderStore, grace: timedelta = GRACE) -> None:
        self.store = store
        self.grace = grace

    def next_due(self) -> datetime | None:
        """The soonest instant anything is due (aware, UTC), or None."""
        row = next(
            self.store.database.db.query(
                "select min(next_due) as due from reminders where status = 'active' and next_due is not null"
            ),
            None,
        )
        return datetime.fromtimestamp(row["due"], UTC) if row and row["due"] is not None else None

    def seconds_until_next(self, now: datetime | None = None) -> float:
        """How long a UI timer should sleep: until the next due time, at most MAX_SLEEP."""
        now = now or self.store.clock()
        due = self.next_due()
        cap = MAX_SLEEP.total_seconds()
        return cap if due is None else max(0.0, min(cap, (due - now).total_seconds()))

    def fire_due(self, now: datetime | None = None) -> list[Notification]:
        """Everything due at ``now`` that was not shown yet, each exactly once (committed before
        returning). Call at start-up for "while you were away", then whenever the timer fires."""
        now = now or self.store.clock()
        rows = list(
            self.store.database.db.query(
                "select id from reminders where status = 'active' and next_due is not null and next_due <= ?",
                [now.timestamp()],
            )
        )
        found: list[Notification] = []
        for row in rows:
            reminder = self.store.get(row["id"])
            if reminder is None:
                continue
            after = datetime.fromtimestamp(reminder.handled_through, UTC)
            due = occurrences(
                reminder.start.replace(tzinfo=None),
                reminder.rrule,
                zone(reminder.tz),
                after,
                now,
                limit=10000,
            )
            snooze = reminder.snoozed_until is not None and reminder.snoozed_until <= now.timestamp()
            if due:
                latest = due[-1]
                found.append(
                    Notification(reminder.id, reminder.text, latest, now - latest > self.grace, len(due))
                )
                through = latest.timestamp()
            else:
                through = reminder.handled_through
            if snooze and not due:
                at = datetime.fromtimestamp(reminder.snoozed_until or 0, zone(reminder.tz))
                found.append(Notification(reminder.id, reminder.text, at, now - at > self.grace, 1, True))
            self.store.mark_handled(reminder.id, through, clear_snooze=snooze)
        return sorted(found, key=lambda n: n.due)
