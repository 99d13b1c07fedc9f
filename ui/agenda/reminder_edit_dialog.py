"""Editing one reminder or event: text, time in the user's words (parsed by the core and shown
back before saving), and its repetition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from assistant.scheduler.parse import ParsedTime, TimeParseError, format_time, parse_when
from assistant.scheduler.store import Reminder, ReminderError, ReminderStore

KEEP, ONCE, DAILY, WEEKDAYS, WEEKLY, MONTHLY = "keep", "once", "daily", "weekdays", "weekly", "monthly"
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_for(choice: str, start: datetime) -> str | None:
    """The RRULE for a choice of the Repeat box (None: one-off)."""
    return {
        ONCE: None,
        DAILY: "FREQ=DAILY",
        WEEKDAYS: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        WEEKLY: f"FREQ=WEEKLY;BYDAY={_DAYS[start.weekday()]}",
        MONTHLY: f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
    }.get(choice)


def save_text(store: ReminderStore, reminder_id: int, text: str) -> None:
    """Change a reminder's text.

    Interim: ``ReminderStore`` has no public way to change the text or drop a repetition yet
    (``move`` keeps the old rule when the new time has none), so this goes through its
    ``_update`` — the one method that rewrites a row and recomputes ``next_due``. Replace with
    the public API when the scheduler grows one (listed in the UI report)."""
    store._update(reminder_id, text=" ".join(text.split())[:500])


def clear_rule(store: ReminderStore, reminder_id: int) -> None:
    store._update(reminder_id, rrule=None)  # interim, see save_text


class ReminderEditDialog(QDialog):
    def __init__(
        self,
        store: ReminderStore,
        tz: str,
        reminder: Reminder | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reminderEditDialog")
        self.store = store
        self.tz = tz
        self.reminder = reminder
        self.now = now
        self.parsed: ParsedTime | None = None
        self.saved: Reminder | None = None
        self.setWindowTitle(self.tr("Edit reminder") if reminder else self.tr("New reminder"))
        self.setMinimumWidth(600)
        self.text = QLineEdit(reminder.text if reminder else "")
        self.text.setPlaceholderText(self.tr("What, e.g. call mum"))
        self.when = QLineEdit()
        self.when.setPlaceholderText(self.tr("When, in your words: tomorrow at 9, every weekday at 8…"))
        if reminder is not None:
            self.when.setText(f"{reminder.start:%Y-%m-%d %H:%M}")
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Reminder (notifies)"), "reminder")
        self.kind.addItem(self.tr("Event (agenda only)"), "event")
        self.kind.setCurrentIndex(max(0, self.kind.findData(reminder.kind if reminder else "reminder")))
        self.kind.setEnabled(reminder is None)
        self.repeat = QComboBox()
        self.repeat.addItem(self.tr("As typed / unchanged"), KEEP)
        self.repeat.addItem(self.tr("Does not repeat"), ONCE)
        self.repeat.addItem(self.tr("Every day"), DAILY)
        self.repeat.addItem(self.tr("Every weekday"), WEEKDAYS)
        self.repeat.addItem(self.tr("Every week"), WEEKLY)
        self.repeat.addItem(self.tr("Every month"), MONTHLY)
        self.preview = QLabel()
        self.preview.setObjectName("parsedTime")
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(self.preview.fontMetrics().lineSpacing() * 2 + 4)  # wraps to 2 lines
        form = QFormLayout(self)
        form.addRow(self.tr("What"), self.text)
        form.addRow(self.tr("When"), self.when)
        form.addRow(self.tr("Repeats"), self.repeat)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Will be saved as"), self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.when.textChanged.connect(self.update_preview)
        self.text.textChanged.connect(self.update_preview)
        self.repeat.currentIndexChanged.connect(self.update_preview)
        self.update_preview()

    @Slot()
    def update_preview(self) -> None:
        """Parse as the user types and show exactly what will be stored (or why not)."""
        self.parsed = None
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            parsed = parse_when(self.when.text(), self.now(), self.tz)
        except TimeParseError as exc:
            hint = ""
            if exc.options:
                hint = " " + self.tr("Did you mean: %1?").replace(
                    "%1", "; ".join(format_time(o) for o in exc.options))
            self.preview.setText(f'<span style="color:#d64541;">{exc.message}{hint}</span>')
            save.setEnabled(False)
            return
        choice = str(self.repeat.currentData())
        if choice != KEEP:
            parsed = replace(parsed, rrule=rule_for(choice, parsed.start))
        elif self.reminder is not None and parsed.rrule is None:
            parsed = replace(parsed, rrule=self.reminder.rrule)  # unchanged: keep its repetition
        self.parsed = parsed
        self.preview.setText(f"<b>{parsed.describe()}</b>")
        save.setEnabled(bool(self.text.text().strip()))

    @Slot()
    def save(self) -> None:
        parsed = self.parsed
        if parsed is None or not self.text.text().strip():
            return
        try:
            if self.reminder is None:
                self.saved = self.store.add(self.text.text(), parsed, kind=str(self.kind.currentData()),
                                            source="agenda")
            else:
                rid = self.reminder.id
                if self.text.text().strip() != self.reminder.text:
                    save_text(self.store, rid, self.text.text())
                self.store.move(rid, parsed)
                if parsed.rrule is None and self.reminder.rrule:
                    clear_rule(self.store, rid)
                self.saved = self.store.require(rid)
        except ReminderError as exc:
            self.preview.setText(f'<span style="color:#d64541;">{exc}</span>')
            return
        self.accept()
