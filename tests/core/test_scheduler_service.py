"""Reminders firing: exactly once across DST changes, clock jumps and restarts; ICS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduler.ics import ICSError, export_ics, import_bytes, import_ics
from assistant.scheduler.parse import ParsedTime, parse_when
from assistant.scheduler.service import DueService
from assistant.scheduler.store import ReminderStore
from assistant.store.db import Database


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _open(tmp_path: Path, clock: Clock, name: str = "a.db") -> tuple[ReminderStore, DueService]:
    store = ReminderStore(Database(tmp_path / name).open(), clock)
    return store, DueService(store)


def _fire_every_minute(service: DueService, clock: Clock, until: datetime) -> list[datetime]:
    fired = []
    while clock.now < until:
        clock.now += timedelta(minutes=1)
        fired += [n.due.astimezone(UTC) for n in service.fire_due(clock.now)]
    return fired


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("Europe/London", datetime(2026, 3, 28, 12), datetime(2026, 10, 24, 12)),
        ("America/New_York", datetime(2026, 3, 7, 12), datetime(2026, 10, 31, 12)),
    ],
)
def test_daily_reminder_keeps_wall_time_across_dst_and_fires_once_a_day(
    tmp_path: Path, zone: str, spring: datetime, autumn: datetime
) -> None:
    tz = ZoneInfo(zone)
    for start in (spring, autumn):
        clock = Clock(start.replace(tzinfo=tz))
        store, service = _open(tmp_path, clock, f"{zone.replace('/', '-')}-{start.month}.db")
        store.add("pills", parse_when("every day at 8am", clock.now))
        fired = _fire_every_minute(service, clock, clock.now + timedelta(days=3))
        local = [f.astimezone(tz).strftime("%d %H:%M") for f in fired]
        assert [x[-5:] for x in local] == ["08:00"] * 3 and len(set(local)) == 3


def test_time_inside_the_autumn_repeat_hour_fires_once(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 10, 24, 12, tzinfo=tz))
    store, service = _open(tmp_path, clock)
    store.add("backup", parse_when("every day at 1:30am", clock.now))
    fired = _fire_every_minute(service, clock, datetime(2026, 10, 26, 0, tzinfo=tz))
    assert [f.astimezone(tz).strftime("%d %H:%M") for f in fired] == ["25 01:30"]


def test_time_inside_the_spring_gap_fires_once_after_it(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 3, 28, 12, tzinfo=tz))
    store, service = _open(tmp_path, clock)
    store.add("backup", parse_when("every day at 1:30am", clock.now))
    fired = _fire_every_minute(service, clock, datetime(2026, 3, 30, 0, tzinfo=tz))
    assert [f.astimezone(tz).strftime("%d %H:%M %Z") for f in fired] == ["29 02:30 BST"]


def test_clock_jumping_back_never_fires_twice(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 1, 14, 8, 55, tzinfo=tz))
    store, service = _open(tmp_path, clock)
    store.add("standup", parse_when("at 9am", clock.now))
    assert service.fire_due(datetime(2026, 1, 14, 9, 0, 5, tzinfo=tz))
    for back in (datetime(2026, 1, 14, 8, 30, tzinfo=tz), datetime(2026, 1, 14, 9, 1, tzinfo=tz)):
        clock.now = back
        assert service.fire_due(back) == []


def test_clock_jumping_forward_reports_missed_once_and_skips_nothing(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 1, 14, 10, 0, tzinfo=tz))
    store, service = _open(tmp_path, clock)
    store.add("water plants", parse_when("every day at 9am", clock.now))
    store.add("call mum", parse_when("tomorrow at 6pm", clock.now))
    later = datetime(2026, 1, 18, 12, 0, tzinfo=tz)  # asleep / closed for four days
    notes = service.fire_due(later)
    assert [(n.text, n.missed, n.count) for n in notes] == [("call mum", True, 1), ("water plants", True, 4)]
    assert "Missed (4 times)" in notes[1].title()
    # A restart (a new store on the same file) shows nothing again.
    _store2, service2 = _open(tmp_path, clock)
    assert service2.fire_due(later + timedelta(minutes=1)) == []
    assert service2.next_due() == datetime(2026, 1, 19, 9, 0, tzinfo=tz)


def test_snooze_complete_cancel_move(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 1, 14, 10, 0, tzinfo=tz))
    store, service = _open(tmp_path, clock)
    one = store.add("tea", parse_when("in 5 minutes", clock.now))
    (_note,) = service.fire_due(clock.now + timedelta(minutes=5))
    clock.now += timedelta(minutes=5)
    store.snooze(one.id, clock.now + timedelta(minutes=10))
    assert service.fire_due(clock.now + timedelta(minutes=9)) == []
    (again,) = service.fire_due(clock.now + timedelta(minutes=10))
    assert again.snoozed and not again.missed
    moved = store.move(one.id, parse_when("tomorrow at 7am", clock.now))
    assert moved.next_due == datetime(2026, 1, 15, 7, 0, tzinfo=tz)
    assert store.complete(one.id).status == "done" and service.next_due() is None
    rep = store.add("gym", parse_when("every monday at 7am", clock.now))
    skipped = store.complete(rep.id)
    assert skipped.status == "active" and skipped.next_due == datetime(2026, 1, 26, 7, 0, tzinfo=tz)
    assert store.cancel(rep.id).status == "cancelled" and service.next_due() is None
    with pytest.raises(ValueError):
        store.snooze(rep.id, clock.now - timedelta(minutes=1))


def test_agenda_expands_repeats(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 1, 14, 10, 0, tzinfo=tz))
    store, _ = _open(tmp_path, clock)
    store.add("standup", parse_when("every weekday at 8", clock.now))
    store.add("dentist", parse_when("Friday at 2pm", clock.now), kind="event")
    week = store.agenda(datetime(2026, 1, 14, tzinfo=tz), datetime(2026, 1, 21, tzinfo=tz))
    assert [f"{o.at:%a %H:%M} {o.reminder.text}" for o in week] == [
        "Thu 08:00 standup",
        "Fri 08:00 standup",
        "Fri 14:00 dentist",
        "Mon 08:00 standup",
        "Tue 08:00 standup",
    ]


# ICS ------------------------------------------------------------------------------------------
def test_ics_round_trip_keeps_times_rules_and_zones(tmp_path: Path) -> None:
    tz = ZoneInfo("Europe/London")
    clock = Clock(datetime(2026, 1, 14, 10, 0, tzinfo=tz))
    store, _ = _open(tmp_path, clock)
    store.add("standup", parse_when("every weekday at 8 until March", clock.now))
    store.add(
        "flight", parse_when("3 March at 2pm America/New_York", clock.now), kind="event", duration_minutes=90
    )
    data = export_ics(store)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20260228T235959Z;BYDAY=MO,TU,WE,TH,FR" in data
    other, _ = _open(tmp_path, clock, "b.db")
    assert import_bytes(other, data, "UTC").added == 2
    assert import_bytes(other, data, "UTC").skipped == 2  # same UIDs: not duplicated
    got = {r.text: r for r in other.list()}
    assert got["standup"].rrule == "FREQ=WEEKLY;UNTIL=20260228T235959;BYDAY=MO,TU,WE,TH,FR"
    assert got["standup"].start == datetime(2026, 1, 15, 8, 0, tzinfo=tz)
    assert got["flight"].tz == "America/New_York" and got["flight"].start.hour == 14
    assert got["flight"].duration_minutes == 90 and got["flight"].kind == "event"


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:ok\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nSUMMARY:spam\r\nDTSTART:20260301T100000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
)
def test_malformed_ics_is_refused_and_nothing_is_saved(tmp_path: Path, data: bytes) -> None:
    store, _ = _open(tmp_path, Clock(datetime(2026, 1, 14, tzinfo=UTC)))
    with pytest.raises(ICSError) as caught:
        import_bytes(store, data, "Europe/London")
    assert str(caught.value)
    assert store.list(None) == []


def test_huge_ics_is_refused_by_size_and_by_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = _open(tmp_path, Clock(datetime(2026, 1, 14, tzinfo=UTC)))
    big = tmp_path / "big.ics"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(ICSError, match="limit"):
        import_ics(store, big, "UTC")
    event = b"BEGIN:VEVENT\r\nSUMMARY:e\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\n"
    many = b"BEGIN:VCALENDAR\r\n" + event * 60 + b"END:VCALENDAR\r\n"
    monkeypatch.setattr("assistant.scheduler.ics.MAX_ITEMS", 50)
    with pytest.raises(ICSError, match="limit is 50"):
        import_bytes(store, many, "UTC")
    assert store.list(None) == []


def test_parsed_time_from_ics_keeps_floating_times_in_the_users_zone(tmp_path: Path) -> None:
    store, _ = _open(tmp_path, Clock(datetime(2026, 1, 14, tzinfo=UTC)))
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x1\r\nSUMMARY:floating\r\nDTSTART:20260301T100000\r\n"
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:x2\r\nSUMMARY:allday\r\nDTSTART;VALUE=DATE:20260302\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    import_bytes(store, data, "Europe/Paris")
    got = {r.text: r for r in store.list()}
    assert got["floating"].tz == "Europe/Paris" and got["floating"].start.hour == 10
    assert got["allday"].start.hour == 9
    assert isinstance(ParsedTime, type)
