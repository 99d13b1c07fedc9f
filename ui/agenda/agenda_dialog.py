"""The Agenda (today / this week): upcoming reminders and events, edited right there, and
.ics import / export. It follows the core's change feed: a reminder saved in a chat, fired,
snoozed from a banner or imported shows up here while it is open (and the timer re-arms
through the same feed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.events import Failed
from assistant.scheduler.ics import ICSError, ImportReport, export_ics, import_ics
from assistant.scheduler.recur import describe_rule
from assistant.scheduler.store import Occurrence, ReminderError, ReminderStore
from ui.agenda.reminder_edit_dialog import ReminderEditDialog
from ui.agenda.reminders import snooze_menu, snooze_until
from ui.bridge.changes import CoreChanges
from ui.bridge.workers import GeneratorWorker, call_in_background

ID_ROLE = Qt.ItemDataRole.UserRole
TODAY, WEEK = "today", "week"


class AgendaDialog(QDialog):
    def __init__(
        self,
        store: ReminderStore,
        tz: Callable[[], str],
        changes: CoreChanges,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agendaDialog")
        self.setWindowTitle(self.tr("Agenda"))
        self.resize(720, 520)
        self.store = store
        self.tz = tz
        self.now = now
        self.period = TODAY
        self.occurrences: list[Occurrence] = []
        self.worker: GeneratorWorker | None = None
        top = self._top_row()
        self.tree = QTreeWidget()
        self.tree.setObjectName("agendaList")
        self.tree.setHeaderLabels([self.tr("When"), self.tr("What"), self.tr("Repeats")])
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_selected())
        self.empty = QLabel()
        self.empty.setObjectName("placeholder")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addLayout(self._action_row())
        self.refresh()
        changes.remindersChanged.connect(self._on_reminders_changed)

    def _top_row(self) -> QHBoxLayout:
        """Today / This week, New…, and the .ics import and export."""
        self.today_button = QPushButton(self.tr("Today"))
        self.week_button = QPushButton(self.tr("This week"))
        group = QButtonGroup(self)
        for button, period in ((self.today_button, TODAY), (self.week_button, WEEK)):
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, p=period: self.show_period(p))
            group.addButton(button)
        self.today_button.setChecked(True)
        new = QPushButton(self.tr("New…"))
        new.clicked.connect(self.new_item)
        self.import_button = QPushButton(self.tr("Import .ics…"))
        self.import_button.clicked.connect(self.choose_import)
        export = QPushButton(self.tr("Export .ics…"))
        export.clicked.connect(self.choose_export)
        top = QHBoxLayout()
        top.addWidget(self.today_button)
        top.addWidget(self.week_button)
        top.addStretch(1)
        top.addWidget(new)
        top.addWidget(self.import_button)
        top.addWidget(export)
        return top

    def _action_row(self) -> QHBoxLayout:
        """What can be done to the selected reminder."""
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.done_button = QPushButton(self.tr("Done"))
        self.snooze_button = QToolButton()
        self.snooze_button.setText(self.tr("Snooze"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_button.setMenu(snooze_menu(self, self.snooze_selected))
        self.cancel_button = QPushButton(self.tr("Cancel it"))
        self.cancel_button.setToolTip(self.tr("It will not fire; kept in history"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.done_button.clicked.connect(self.complete_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        actions = QHBoxLayout()
        for widget in (self.edit_button, self.done_button, self.snooze_button, self.cancel_button,
                       self.delete_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        return actions

    # content ------------------------------------------------------------------------------
    def show_period(self, period: str) -> None:
        self.period = period
        (self.today_button if period == TODAY else self.week_button).setChecked(True)
        self.refresh()

    def window_range(self) -> tuple[datetime, datetime]:
        now = self.now()
        start = datetime.combine(now.date(), time(0), now.tzinfo)
        return start, start + timedelta(days=1 if self.period == TODAY else 7)

    def refresh(self) -> None:
        start, end = self.window_range()
        self.occurrences = self.store.agenda(start, end)
        self.tree.clear()
        dim = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        days: dict[str, QTreeWidgetItem] = {}
        for index, occurrence in enumerate(self.occurrences):
            at = occurrence.at.astimezone()
            day = f"{at:%A %d %B}"
            parent = days.get(day)
            if parent is None:
                parent = QTreeWidgetItem([day])
                parent.setFirstColumnSpanned(True)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)
                days[day] = parent
            reminder = occurrence.reminder
            event_word = self.tr("event")
            what = reminder.text if reminder.kind == "reminder" else f"{reminder.text} ({event_word})"
            repeats = describe_rule(reminder.rrule) if reminder.rrule else ""
            item = QTreeWidgetItem([f"{at:%H:%M}", what, repeats])
            item.setData(0, ID_ROLE, index)
            if reminder.status == "done" or occurrence.past:
                for column in range(3):
                    item.setForeground(column, dim)
                item.setToolTip(1, self.tr("Done") if reminder.status == "done" else self.tr("Past"))
            parent.addChild(item)
        self.tree.expandAll()
        label = self.tr("Nothing scheduled today.") if self.period == TODAY else self.tr(
            "Nothing scheduled this week.")
        hint = self.tr("Use New… or ask in a chat: “remind me tomorrow at 9 to …”.")
        self.empty.setText(f"{label} {hint}")
        self.empty.setVisible(not self.occurrences)
        self._update_buttons()

    @Slot()
    def _on_reminders_changed(self) -> None:
        """Changed anywhere: refresh while shown, keeping the selected reminder selected."""
        if not self.isVisible():
            return  # refreshed when opened
        occurrence = self.selected()
        self.refresh()
        if occurrence is not None:
            self.select_reminder(occurrence.reminder.id)

    def selected(self) -> Occurrence | None:
        items = self.tree.selectedItems()
        index = items[0].data(0, ID_ROLE) if items else None
        return self.occurrences[index] if isinstance(index, int) else None

    def select_reminder(self, reminder_id: int) -> None:
        for item in self._reminder_items():
            if self.occurrences[int(item.data(0, ID_ROLE))].reminder.id == reminder_id:
                self.tree.setCurrentItem(item)
                return

    def _reminder_items(self) -> list[QTreeWidgetItem]:
        """The rows under the day headings."""
        days = [self.tree.topLevelItem(row) for row in range(self.tree.topLevelItemCount())]
        return [item for day in days if day is not None
                for child in range(day.childCount()) if (item := day.child(child)) is not None]

    @Slot()
    def _update_buttons(self) -> None:
        occurrence = self.selected()
        active = occurrence is not None and occurrence.reminder.status == "active"
        for button in (self.edit_button, self.done_button, self.snooze_button, self.cancel_button):
            button.setEnabled(active)
        self.delete_button.setEnabled(occurrence is not None)

    # actions ------------------------------------------------------------------------------
    def _act(self, call: Callable[[], object], reminder_id: int | None = None) -> None:
        try:
            call()
        except ReminderError as exc:
            self.show_message(str(exc), error=True)
            return
        self.refresh()
        if reminder_id is not None:
            self.select_reminder(reminder_id)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("errorText" if error else "secondaryText")
        self.message.setStyleSheet("color: #d64541;" if error else "")
        self.message.setText(text)
        self.message.show()

    @Slot()
    def new_item(self) -> ReminderEditDialog:
        dialog = ReminderEditDialog(self.store, self.tz(), None, self.now, self)
        dialog.accepted.connect(lambda: self._after_edit(dialog))
        dialog.open()
        return dialog

    @Slot()
    def edit_selected(self) -> ReminderEditDialog | None:
        occurrence = self.selected()
        if occurrence is None or occurrence.reminder.status != "active":
            return None
        dialog = ReminderEditDialog(self.store, self.tz(), occurrence.reminder, self.now, self)
        dialog.accepted.connect(lambda: self._after_edit(dialog))
        dialog.open()
        return dialog

    def _after_edit(self, dialog: ReminderEditDialog) -> None:
        saved = dialog.saved
        self._act(lambda: None, saved.id if saved else None)

    @Slot()
    def complete_selected(self) -> None:
        if (occurrence := self.selected()) is not None:
            self._act(lambda: self.store.complete(occurrence.reminder.id), occurrence.reminder.id)

    def snooze_selected(self, choice: str) -> None:
        if (occurrence := self.selected()) is not None:
            until = snooze_until(choice, self.now())
            self._act(lambda: self.store.snooze(occurrence.reminder.id, until), occurrence.reminder.id)

    @Slot()
    def cancel_selected(self) -> None:
        if (occurrence := self.selected()) is not None:
            self._act(lambda: self.store.cancel(occurrence.reminder.id))

    @Slot()
    def delete_selected(self) -> None:
        if (occurrence := self.selected()) is None:
            return
        rid = occurrence.reminder.id
        # ReminderStore has no delete yet: cancelling hides it everywhere and it never fires.
        delete = getattr(self.store, "delete", None) or self.store.cancel
        self._act(lambda: delete(rid))

    # .ics ---------------------------------------------------------------------------------
    @Slot()
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a calendar"), str(Path.home()), self.tr("Calendar files (*.ics)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Parsing a calendar (up to the core's 5 MB cap) runs off the GUI thread."""
        if self.worker is not None:
            return
        store, tz = self.store, self.tz()
        self.import_button.setEnabled(False)
        self.show_message(self.tr("Importing %1…").replace("%1", path.name))
        worker = call_in_background(lambda: self._import(store, path, tz), self)
        worker.produced.connect(self._on_imported)
        worker.finished.connect(self._on_import_finished)
        self.worker = worker
        worker.start()

    @staticmethod
    def _import(store: ReminderStore, path: Path, tz: str) -> ImportReport | Failed:
        try:
            return import_ics(store, path, tz)
        except (ICSError, ReminderError) as exc:
            return Failed(str(exc), "ics")

    @Slot(object)
    def _on_imported(self, result: object) -> None:
        if isinstance(result, Failed):
            self.show_message(self.tr("Import failed: %1").replace("%1", result.message), error=True)
            return
        if isinstance(result, ImportReport):
            text = self.tr("Imported %1 items.").replace("%1", str(result.added))
            if result.skipped:
                text += " " + self.tr("%1 were already here.").replace("%1", str(result.skipped))
            self.show_message(text)
            self.refresh()

    @Slot()
    def _on_import_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.import_button.setEnabled(True)

    @Slot()
    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the agenda"), str(Path.home() / "agenda.ics"),
            self.tr("Calendar files (*.ics)"),
        )
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        try:
            export_ics(self.store, path)
        except OSError as exc:
            self.show_message(self.tr("Export failed: %1").replace("%1", str(exc)), error=True)
            return
        self.show_message(self.tr("Saved %1.").replace("%1", str(path)))
