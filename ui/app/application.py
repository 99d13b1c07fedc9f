"""The application object: a QApplication that says when it is asked to quit.

``QApplication.quit()`` (a session logout, macOS Cmd+Q, the bench) first asks every window to
close, and the window must then really close instead of hiding in the tray. Qt delivers the
request as a ``Quit`` event to the application object only; overriding ``event`` here sees just
the events sent to the application, where an application-wide event filter would see every
event of every widget (each one crossing into Python: dozens per batch of a streaming reply,
hundreds when a long conversation is laid out again).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QApplication


class AssistantApp(QApplication):
    #: The application was asked to quit; emitted before Qt closes the windows.
    quitRequested = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Quit:
            self.quitRequested.emit()
        return super().event(event)
