"""``assistant remind|agenda|reminders|ics``: reminders and the agenda from the terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.core import Core

COMMANDS = ("remind", "agenda", "reminders", "ics")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remind = sub.add_parser("remind", help='add a reminder: assistant remind "call mum" --at "tomorrow 9am"')
    remind.add_argument("text", help="what to be reminded about")
    remind.add_argument(
        "--at",
        required=True,
        metavar="WHEN",
        help='when, in words: "tomorrow 9am", "in 20 minutes", "every weekday at 8"',
    )
    remind.add_argument("--event", action="store_true", help="an event in the agenda rather than a reminder")
    remind.add_argument("--tz", help="time zone (IANA name); default: the agent's setting or the system's")
    agenda = sub.add_parser("agenda", help="what is coming up (today by default)")
    agenda.add_argument("--week", action="store_true", help="the next 7 days")
    agenda.add_argument("--day", metavar="WHEN", help='a day in words: "Friday", "3 March"')
    reminders = sub.add_parser("reminders", help="list, complete, cancel, snooze or move reminders")
    verbs = reminders.add_subparsers(dest="verb", metavar="VERB")
    verbs.add_parser("list", help="active reminders")
    for verb in ("done", "cancel", "restore"):
        verbs.add_parser(verb, help=f"{verb} reminder ID").add_argument("id", type=int)
    snooze = verbs.add_parser("snooze", help="snooze reminder ID")
    snooze.add_argument("id", type=int)
    snooze.add_argument("--for", dest="duration", default="10 minutes", metavar="DURATION")
    move = verbs.add_parser("move", help="move reminder ID")
    move.add_argument("id", type=int)
    move.add_argument("--at", required=True, metavar="WHEN")
    verbs.add_parser("due", help="show (once) what is due now, including missed ones")
    ics = sub.add_parser("ics", help="import or export .ics calendar files")
    ics_verbs = ics.add_subparsers(dest="verb", metavar="VERB", required=True)
    ics_verbs.add_parser("import", help="import a .ics file (all or nothing)").add_argument("file", type=Path)
    ics_verbs.add_parser("export", help="export active reminders and events").add_argument("file", type=Path)


def run(args: argparse.Namespace) -> int:
    from assistant.core import Core
    from assistant.engine.fake import ScriptedEngine
    from assistant.scheduler.ics import ICSError
    from assistant.scheduler.parse import TimeParseError
    from assistant.scheduler.store import ReminderError

    core = Core.open(engine=ScriptedEngine())  # no model process is needed here
    try:
        return _run(core, args)
    except TimeParseError as exc:
        options = "".join(f"\n  - {o:%a %d %b %Y %H:%M}" for o in exc.options)
        print(f"assistant: {exc.message}{options}", file=sys.stderr)
    except (ICSError, ReminderError, ValueError) as exc:
        print(f"assistant: {exc}", file=sys.stderr)
    finally:
        core.close()
    return 1


def _run(core: Core, args: argparse.Namespace) -> int:
    from assistant.scheduler.parse import format_time, parse_when
    from assistant.scheduler.zones import zone
    from assistant.tools.schedule import period_range

    tz = getattr(args, "tz", None) or core.agent_store.load_settings().zone()
    now = datetime.now(zone(tz))
    store = core.reminders
    if args.command == "remind":
        parsed = parse_when(args.at, now, tz)
        saved = store.add(args.text, parsed, kind="event" if args.event else "reminder", source="cli")
        print(f"Saved #{saved.id}: {saved.text!r} on {parsed.describe()}")
        return 0
    if args.command == "agenda":
        start, end, label = (
            (now, now + timedelta(days=7), "the next 7 days")
            if args.week
            else period_range(args.day or "today", now)
        )
        found = store.agenda(start, end)
        print(f"{label}: {'nothing scheduled' if not found else ''}".rstrip(": ").rstrip())
        for o in found:
            mark = "✓" if o.reminder.status == "done" else " "
            print(f" {mark} {format_time(o.at)}  #{o.reminder.id} {o.reminder.text}")
        return 0
    if args.command == "reminders":
        verb = args.verb or "list"
        if verb == "list":
            for r in store.list():
                print(r.describe())
        elif verb == "due":
            for note in core.due.fire_due():
                print(f"{format_time(note.due)}  {note.title()}")
        elif verb == "snooze":
            from assistant.agent.registry import ToolContext
            from assistant.tools.schedule import _snooze_until

            until = _snooze_until(ToolContext(now=lambda: now, tz=tz), args.duration)
            print(store.snooze(args.id, until).describe())
        elif verb == "move":
            print(store.move(args.id, parse_when(args.at, now, tz)).describe())
        else:
            action = {"done": store.complete, "cancel": store.cancel, "restore": store.restore}[verb]
            print(action(args.id).describe())
        return 0
    if args.command == "ics":
        from assistant.scheduler.ics import export_ics, import_ics

        if args.verb == "import":
            report = import_ics(store, args.file.expanduser(), tz)
            print(f"Imported {report.added} item(s); {report.skipped} already here.")
        else:
            export_ics(store, args.file.expanduser())
            print(f"Exported {len(store.list())} item(s) to {args.file}.")
        return 0
    return 2
