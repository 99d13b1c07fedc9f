"""Reminders firing: one QTimer armed for the next due time, banners, the tray and "away".

The core's ``DueService`` owns the rules (each occurrence shown once, DST, clock jumps); this
module only decides *when to ask*: a single-shot timer set to ``seconds_until_next()``,
which the core caps at a minute so a clock jump or a wake from sleep is noticed soon. It is
re-armed after every fire and after any change to reminders (the core's change feed: agenda
edits, a tool that saved a reminder, a snooze), never polled in a tight loop.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.scheduler.parse import format_time
from assistant.scheduler.service import DueService, Notification
from assistant.scheduler.store import ReminderError, ReminderStore
from ui.bridge.changes import CoreChanges

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
#: A fired timer may run a little early; never re-arm tighter than this (no busy loop).
MIN_WAIT_MS = 250


class ReminderScheduler(QObject):
    """Asks the core what is due when the next reminder is; emits each notification once."""

    fired = Signal(object)  # Notification, due now
    missed = Signal(list)  # Notifications that fell due while the app was not running

    def __init__(self, due: DueService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.due = due
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # back from sleep / reactivated: look again now
            app.applicationStateChanged.connect(self._on_app_state)

    def start(self) -> None:
        """At start-up: everything already due is reported (missed ones together), then arm."""
        self.check(startup=True)

    @Slot()
    def check(self, startup: bool = False) -> None:
        try:
            notifications = self.due.fire_due()
        except Exception:  # a storage hiccup must not stop reminders for good: try again later
            log.exception("checking due reminders failed")
            notifications = []
        away = [n for n in notifications if n.missed]
        if away:
            self.missed.emit(away)
        for notification in notifications:
            if not notification.missed:
                self.fired.emit(notification)
        self.rearm()

    @Slot(Qt.ApplicationState)
    def _on_app_state(self, _state: Qt.ApplicationState) -> None:
        self.rearm()

    @Slot()
    def rearm(self) -> None:
        try:
            seconds = self.due.seconds_until_next()
        except Exception:
            log.exception("next due time unavailable")
            seconds = 60.0
        self.timer.start(max(MIN_WAIT_MS, int(seconds * 1000) + 50))

    def stop(self) -> None:
        self.timer.stop()


def snooze_until(choice: str, now: datetime) -> datetime:
    """10 min, 1 h, or tomorrow at 09:00 local time."""
    if choice == "10m":
        return now + timedelta(minutes=10)
    if choice == "1h":
        return now + timedelta(hours=1)
    local = now.astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time(9, 0), local.tzinfo)


def snooze_menu(parent: QWidget, on_choice: Callable[[str], None]) -> QMenu:
    menu = QMenu(parent)
    menu.addAction(translate("Reminders", "10 minutes"), lambda: on_choice("10m"))
    menu.addAction(translate("Reminders", "1 hour"), lambda: on_choice("1h"))
    menu.addAction(translate("Reminders", "Tomorrow morning (09:00)"), lambda: on_choice("tomorrow"))
    return menu


class ReminderBanner(QFrame):
    """"⏰ call mum — 09:00" with Snooze (10 min / 1 h / tomorrow), Done and close."""

    snoozed = Signal(object, str)  # Notification, choice
    completed = Signal(object)  # Notification
    dismissed = Signal(object)

    def __init__(self, notification: Notification, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.notification = notification
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        when = format_time(notification.due.astimezone())
        prefix = self.tr("Snoozed reminder") if notification.snoozed else self.tr("Reminder")
        # No emoji: many Linux fonts have no alarm clock glyph and show a box instead.
        self.label = QLabel(f"<b>{html.escape(notification.text)}</b><br>"
                            f"<span>{prefix} · {html.escape(when)}</span>")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.snooze_button = QToolButton()
        self.snooze_button.setText(self.tr("Snooze"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_button.setMenu(snooze_menu(self, lambda c: self.snoozed.emit(self.notification, c)))
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.clicked.connect(lambda: self.completed.emit(self.notification))
        close = QPushButton("✕")
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(lambda: self.dismissed.emit(self.notification))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.snooze_button)
        layout.addWidget(self.done_button)
        layout.addWidget(close)


class ReminderPopup(QDialog):
    """Opened by a click on the tray message (tray messages cannot carry buttons)."""

    def __init__(self, banner: ReminderBanner, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("Reminder"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        for signal in (banner.snoozed, banner.completed, banner.dismissed):
            signal.connect(lambda *_: self.close())


class AwayPanel(QFrame):
    """"While you were away": reminders that fell due while the app was closed, shown once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("awayPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("awayTitle")
        close = QPushButton(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        top.addWidget(self.title, 1)
        top.addWidget(close)
        self.list = QLabel()
        self.list.setTextFormat(Qt.TextFormat.RichText)
        self.list.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.items: list[Notification] = []
        self.hide()

    def add(self, notifications: list[Notification]) -> None:
        self.items.extend(notifications)
        self.title.setText("<b>" + self.tr("While you were away") + "</b>")
        lines = []
        for n in self.items:
            when = html.escape(format_time(n.due.astimezone()))
            times = self.tr(" (missed %1 times)").replace("%1", str(n.count)) if n.count > 1 else ""
            lines.append(f"• {when} — {html.escape(n.text)}{times}")
        self.list.setText("<br>".join(lines))
        self.show()


class ReminderCenter(QObject):
    """Owns the scheduler, the in-app banners, the tray message and the popup."""

    def __init__(
        self,
        store: ReminderStore,
        due: DueService,
        changes: CoreChanges,
        area: QVBoxLayout,
        away: AwayPanel,
        tray_icon: Callable[[], QSystemTrayIcon | None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.store = store
        self.area = area
        self.away = away
        self.window = window
        self.tray_icon = tray_icon
        self.banners: list[ReminderBanner] = []
        self.popup: ReminderPopup | None = None
        self._last: Notification | None = None
        self._tray_connected: QSystemTrayIcon | None = None
        self.scheduler = ReminderScheduler(due, self)
        self.scheduler.fired.connect(self.show_notification)
        self.scheduler.missed.connect(self.away.add)
        changes.remindersChanged.connect(self.scheduler.rearm)

    def start(self) -> None:
        self.scheduler.start()

    @Slot(object)
    def show_notification(self, notification: Notification) -> None:
        banner = self._banner(notification)
        self.area.addWidget(banner)
        self.banners.append(banner)
        icon = self.tray_icon()
        if icon is not None:
            # The tray message reaches the user while the window is hidden; clicking it opens
            # a small popup with the buttons the message itself cannot carry.
            self._last = notification
            if self._tray_connected is not icon:
                icon.messageClicked.connect(self.open_popup)
                self._tray_connected = icon
            when = format_time(notification.due.astimezone())
            icon.showMessage(self.tr("Reminder"), f"{notification.text}\n{when}")

    @Slot()
    def open_popup(self) -> None:
        if self._last is None:
            return
        self.popup = ReminderPopup(self._banner(self._last), None)
        self.popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.popup.show()
        self.popup.raise_()
        self.popup.activateWindow()

    def _banner(self, notification: Notification) -> ReminderBanner:
        banner = ReminderBanner(notification)
        banner.snoozed.connect(self.snooze)
        banner.completed.connect(self.complete)
        banner.dismissed.connect(self._drop_banners)
        return banner

    @Slot(object, str)
    def snooze(self, notification: Notification, choice: str) -> None:
        until = snooze_until(choice, datetime.now().astimezone())
        self._act(lambda: self.store.snooze(notification.reminder_id, until))
        self._drop_banners(notification)

    @Slot(object)
    def complete(self, notification: Notification) -> None:
        reminder = self.store.get(notification.reminder_id)
        # A repeat's fired occurrence is already handled by the due service; completing would
        # skip the *next* one. Done on a one-off (or a snooze of it) marks it done.
        if reminder is not None and not reminder.rrule:
            self._act(lambda: self.store.complete(notification.reminder_id))
        self._drop_banners(notification)

    def _act(self, call: Callable[[], object]) -> None:
        """The store reports the change; the timer and the agenda follow the change feed."""
        try:
            call()
        except ReminderError as exc:
            log.warning("reminder action failed: %s", exc)

    @Slot(object)
    def _drop_banners(self, notification: Notification) -> None:
        for banner in [b for b in self.banners if b.notification.reminder_id == notification.reminder_id]:
            self.area.removeWidget(banner)
            banner.deleteLater()
            self.banners.remove(banner)
