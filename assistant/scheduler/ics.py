"""Import and export ``.ics`` (icalendar). Imports are bounded and all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from assistant.scheduler.parse import ParsedTime, localize
from assistant.scheduler.recur import MIN_INTERVAL
from assistant.scheduler.store import ReminderStore
from assistant.scheduler.zones import zone

MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000


class ICSError(ValueError):
    """The file cannot be imported; nothing was saved."""


@dataclass(frozen=True)
class ImportReport:
    added: int
    skipped: int  # already here (same UID)


def export_ics(store: ReminderStore, path: Path | None = None) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//offline-assistant//agenda//EN")
    cal.add("version", "2.0")
    for reminder in store.list("active"):
        event = icalendar.Event()
        event.add("uid", reminder.uid)
        event.add("summary", reminder.text)
        event.add("dtstamp", datetime.now(UTC))
        event.add("dtstart", reminder.start)
        if reminder.duration_minutes:
            event.add("duration", timedelta(minutes=reminder.duration_minutes))
        if reminder.notes:
            event.add("description", reminder.notes)
        if reminder.rrule:
            event.add("rrule", icalendar.vRecur.from_ical(_utc_until(reminder.rrule, reminder.tz)))
        event.add("x-assistant-kind", reminder.kind)
        if reminder.kind == "reminder":
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", reminder.text)
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    if path is not None:
        path.write_bytes(data)
    return data


def _utc_until(rule: str, tz: str) -> str:
    """RFC 5545: with a zoned DTSTART, UNTIL must be UTC; we store it as wall time."""
    parts = []
    for part in rule.split(";"):
        key, _, value = part.partition("=")
        if key == "UNTIL" and not value.endswith("Z"):
            wall = datetime.strptime(value, "%Y%m%dT%H%M%S")
            value = localize(wall, zone(tz))[0].astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{key}={value}")
    return ";".join(parts)


def import_ics(store: ReminderStore, path: Path, default_tz: str) -> ImportReport:
    """Read ``path`` into the store. Everything is checked before anything is written."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ICSError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if size > MAX_BYTES:
        raise ICSError(f"{path.name} is {size / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB.")
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return import_bytes(store, data, default_tz)


def import_bytes(store: ReminderStore, data: bytes, default_tz: str) -> ImportReport:
    import icalendar

    if len(data) > MAX_BYTES:
        raise ICSError(f"The calendar is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError ... on bad input
        raise ICSError(f"This is not a valid calendar file: {exc}") from exc
    components = [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]
    if len(components) > MAX_ITEMS:
        raise ICSError(
            f"The calendar has {len(components):,} items; the limit is {MAX_ITEMS:,}. Nothing was imported."
        )
    known = {r.uid for r in store.list(None)}
    items: list[dict[str, Any]] = []
    skipped = 0
    for number, component in enumerate(components, 1):
        try:
            item = _item(component, default_tz)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            summary = str(component.get("summary", "")) or f"item {number}"
            raise ICSError(f"{summary!r} cannot be imported ({exc}); nothing was imported.") from exc
        if item["uid"] in known:
            skipped += 1
            continue
        known.add(item["uid"])
        items.append(item)
    store.add_many(items)
    return ImportReport(len(items), skipped)


def _item(component: Any, default_tz: str) -> dict[str, Any]:
    summary = str(component.get("summary") or "").strip() or "(untitled)"
    start_prop = component.get("dtstart") or component.get("due")
    if start_prop is None:
        raise ValueError("it has no start time")
    start = start_prop.dt
    tz_name = default_tz
    if isinstance(start, datetime):
        if start.tzinfo is not None:
            key = getattr(start.tzinfo, "key", None)
            if key:
                tz_name = key
            else:  # UTC or a custom VTIMEZONE: show it in the user's zone
                start = start.astimezone(zone(default_tz))
            start = start.replace(tzinfo=None)
    elif isinstance(start, date):
        start = datetime.combine(start, time(9, 0))  # all-day: remind in the morning
    else:
        raise ValueError("its start time is not a date")
    rule = None
    if component.get("rrule") is not None:
        rule = _local_rule(component["rrule"].to_ical().decode(), tz_name)
    duration = 0
    if component.get("dtend") is not None and isinstance(component["dtend"].dt, datetime):
        end = component["dtend"].dt
        end = end.astimezone(zone(tz_name)).replace(tzinfo=None) if end.tzinfo else end
        duration = max(0, int((end - start).total_seconds() // 60))
    elif component.get("duration") is not None:
        duration = int(component["duration"].dt.total_seconds() // 60)
    kind = str(component.get("x-assistant-kind") or ("reminder" if component.name == "VTODO" else "event"))
    aware, _ = localize(start, zone(tz_name))
    return {
        "text": summary,
        "when": ParsedTime(aware, tz_name, rule),
        "kind": kind,
        "duration_minutes": min(duration, 60 * 24 * 366),
        "notes": str(component.get("description") or ""),
        "source": "ics",
        "uid": str(component.get("uid") or "") or None,
    }


def _local_rule(rule: str, tz: str) -> str:
    """Validate an imported RRULE (no sub-15-minute repeats) and store UNTIL as wall time."""
    from dateutil.rrule import rrulestr

    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    seconds = {"SECONDLY": 1, "MINUTELY": 60}.get(freq)
    if seconds is not None and timedelta(seconds=seconds * interval) < MIN_INTERVAL:
        raise ValueError("it repeats more often than every 15 minutes")
    if "UNTIL" in parts:
        value = parts["UNTIL"]
        if value.endswith("Z"):
            until = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            value = until.astimezone(zone(tz)).strftime("%Y%m%dT%H%M%S")
        elif "T" not in value:
            value += "T235959"
        parts["UNTIL"] = value
    text = ";".join(f"{k}={v}" for k, v in parts.items())
    rrulestr(f"RRULE:{text}", dtstart=datetime(2000, 1, 1))  # raises ValueError when malformed
    return text
