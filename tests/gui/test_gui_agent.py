"""The agent and reminders in the window: tool cards, confirmations, firing, agenda, .ics.

Offscreen Qt, real SQLite, a ScriptedEngine that answers the agent's constrained stages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.agent.store import AgentSettings
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.scheduler.parse import ParsedTime
from tests.support import gui_helpers
from tests.support.gui_helpers import close, send
from ui.chat.cards import ToolCard

pytestmark = pytest.mark.gui
TZ = "Europe/London"


def agent_engine(constrained: list[str], replies: list[str] | None = None) -> ScriptedEngine:
    return ScriptedEngine(replies or ["All done."], token_delay=0.0, constrained=constrained)


def set_zone(core: Core) -> None:
    core.agent_store.save_settings(AgentSettings(tz=TZ))


def cards(window) -> list[ToolCard]:  # type: ignore[no-untyped-def]
    return [c for c in window.chat_view.cards if isinstance(c, ToolCard)]


def at(seconds: float) -> ParsedTime:
    from zoneinfo import ZoneInfo

    start = (datetime.now(ZoneInfo(TZ)) + timedelta(seconds=seconds)).replace(microsecond=0)
    return ParsedTime(start, TZ)


def start_turn_and_wait_for_card(qtbot, window, text: str) -> ToolCard:  # type: ignore[no-untyped-def]
    window.composer.set_text(text)
    window.composer.button.click()
    qtbot.waitUntil(lambda: any(c.ticket is not None for c in cards(window)), timeout=10_000)
    return next(c for c in cards(window) if c.ticket is not None)


def test_read_only_tool_shows_a_card_that_expands(make_window, qtbot) -> None:
    window = make_window(agent_engine(['{"tool": "list_agenda"}', '{"period": "today"}'], ["Nothing today."]))
    set_zone(window.core)
    send(qtbot, window, "what's on my agenda today?")
    (card,) = cards(window)
    assert card.tool == "list_agenda" and card.status == "ok"
    assert "Agenda" in card.header.text() and " s<" in card.header.text()  # the duration
    assert "list_agenda" in card.body.text()
    assert not card.body.isVisible()
    card.toggle.click()
    assert card.body.isVisible() and "period" in card.body.text() and "Nothing scheduled" in card.body.text()
    # The card comes back when the conversation is reopened (from the stored call record).
    conversation = window.chat.current_id
    window.chat.new_chat()
    window.chat.open_conversation(conversation)
    assert [c.tool for c in cards(window)] == ["list_agenda"]


def test_confirmation_deny_changes_nothing_and_allow_saves(make_window, qtbot) -> None:
    stages = ['{"tool": "add_reminder"}', '{"text": "call mum", "when": "tomorrow at 9am"}']
    done = '{"tool": "none"}'  # after each call the agent asks again; "none" ends the steps
    window = make_window(agent_engine([*stages, done, *stages, done], ["Okay."]))
    set_zone(window.core)
    card = start_turn_and_wait_for_card(qtbot, window, "remind me tomorrow at 9am to call mum")
    assert card.confirm.isVisible()
    assert "call mum" in card.action_label.text() and "09:00" in card.action_label.text()
    card.deny_button.click()
    gui_helpers.wait_idle(qtbot, window)
    assert window.core.reminders.list() == []
    assert card.status == "denied" and not card.confirm.isVisible()

    card = start_turn_and_wait_for_card(qtbot, window, "remind me tomorrow at 9am to call mum")
    card.allow_button.click()
    gui_helpers.wait_idle(qtbot, window)
    (saved,) = window.core.reminders.list()
    assert saved.text == "call mum" and saved.start.hour == 9
    assert card.status == "ok" and "Saved" in card.header.text()


def test_always_allow_is_listed_and_removable_in_settings(make_window, qtbot) -> None:
    stages = ['{"tool": "add_reminder"}', '{"text": "gym", "when": "tomorrow at 7am"}']
    window = make_window(agent_engine([*stages, '{"tool": "none"}'], ["Okay."]))
    set_zone(window.core)
    card = start_turn_and_wait_for_card(qtbot, window, "remind me to go to the gym tomorrow at 7am")
    card.always_button.click()
    gui_helpers.wait_idle(qtbot, window)
    assert window.core.agent_store.load_settings().always_allow == ["add_reminder"]
    dialog = window.dialogs.settings_dialog()
    page = dialog.pages[0]
    assert [page.always.item(i).text() for i in range(page.always.count())] == ["add_reminder"]
    page.always.setCurrentRow(0)
    page.remove.click()
    window.dialogs.apply_settings(dialog)
    assert window.core.agent_store.load_settings().always_allow == []


def test_due_reminder_shows_a_banner_with_snooze_and_done(make_window, qtbot) -> None:
    window = make_window()
    store = window.core.reminders
    first = store.add("stretch", at(1.0))
    second = store.add("drink water", at(1.2))
    window.reminders.scheduler.rearm()  # what any change does
    qtbot.waitUntil(lambda: len(window.reminders.banners) == 2, timeout=8_000)
    banners = {b.notification.reminder_id: b for b in window.reminders.banners}
    assert "stretch" in banners[first.id].label.text()
    banners[first.id].snoozed.emit(banners[first.id].notification, "10m")
    snoozed = store.get(first.id)
    assert snoozed is not None and snoozed.snoozed_until is not None
    assert snoozed.snoozed_until - datetime.now().timestamp() == pytest.approx(600, abs=30)
    banners[second.id].done_button.click()
    assert store.get(second.id).status == "done"  # type: ignore[union-attr]
    assert window.reminders.banners == []
    assert window.reminders.scheduler.timer.isActive()  # re-armed for the snooze


def test_while_you_were_away_is_shown_once(make_window, qtbot, home: Path) -> None:
    core = Core.open(engine=ScriptedEngine())
    core.reminders.add("water the plants", at(-3600))
    core.reminders.clock = lambda: datetime.now().astimezone()
    window = make_window(core=core)
    assert window.away_panel.isVisible()
    assert "water the plants" in window.away_panel.list.text()
    assert window.reminders.banners == []  # missed ones are listed, not rung
    close(window, core)
    again = make_window()
    assert not again.away_panel.isVisible()


def test_agenda_lists_edits_and_completes(make_window, qtbot) -> None:
    window = make_window()
    store = window.core.reminders
    window.core.agent_store.save_settings(AgentSettings(tz=TZ))
    from zoneinfo import ZoneInfo

    tomorrow = (datetime.now(ZoneInfo(TZ)) + timedelta(days=1)).replace(hour=10, minute=0, second=0,
                                                                        microsecond=0)
    item = store.add("dentist", ParsedTime(tomorrow, TZ))
    agenda = window.dialogs.open_agenda()
    agenda.show_period("week")
    assert [o.reminder.text for o in agenda.occurrences] == ["dentist"]
    agenda.select_reminder(item.id)
    dialog = agenda.edit_selected()
    assert dialog is not None
    dialog.text.setText("dentist (bring forms)")
    dialog.when.setText("tomorrow at 11am")
    assert "11:00" in dialog.preview.text() and TZ in dialog.preview.text()
    dialog.when.setText("30 February")
    assert "#d64541" in dialog.preview.text()  # refused, shown in red, Save disabled
    dialog.when.setText("tomorrow at 11am")
    dialog.save()
    edited = store.require(item.id)
    assert edited.text == "dentist (bring forms)" and edited.start.hour == 11
    assert [o.reminder.text for o in agenda.occurrences] == ["dentist (bring forms)"]
    agenda.select_reminder(item.id)
    agenda.complete_selected()
    assert store.require(item.id).status == "done"
    assert not agenda.done_button.isEnabled()


def test_ics_import_error_is_shown(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    agenda = window.dialogs.open_agenda()
    bad = tmp_path / "broken.ics"
    bad.write_text("BEGIN:VCALENDAR\nthis is not a calendar\n")
    agenda.import_file(bad)
    qtbot.waitUntil(lambda: agenda.worker is None, timeout=10_000)
    assert "Import failed" in agenda.message.text()
    assert window.core.reminders.list() == []
    good = tmp_path / "good.ics"
    good.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x1@t\r\n"
        "DTSTAMP:20300101T000000Z\r\nDTSTART:20300105T090000Z\r\nSUMMARY:Board meeting\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    agenda.import_file(good)
    qtbot.waitUntil(lambda: agenda.worker is None, timeout=10_000)
    assert "Imported 1" in agenda.message.text()
    assert [r.text for r in window.core.reminders.list()] == ["Board meeting"]
