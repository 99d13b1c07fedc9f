"""Settings → Agent: tools on/off, going online, and the "always allow" list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.agent.store import AgentSettings, AgentStore


class AgentPage(QWidget):
    """A tab of the Settings dialog; ``save()`` is called when the dialog is accepted."""

    def __init__(self, store: AgentStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agentPage")
        self.store = store
        self.original = store.load_settings()
        self.enabled = QCheckBox(self.tr("Let the assistant use tools (reminders, agenda, search)"))
        self.enabled.setChecked(self.original.enabled)
        self.web = QCheckBox(self.tr("Allow web search and fetching pages (goes online)"))
        self.web.setChecked(self.original.web_enabled)
        self.always = QListWidget()
        self.always.setObjectName("alwaysAllowList")
        for name in self.original.always_allow:
            self.always.addItem(QListWidgetItem(name))
        self.remove = QPushButton(self.tr("Ask again for the selected tool"))
        self.remove.clicked.connect(self.remove_selected)
        self.always.itemSelectionChanged.connect(
            lambda: self.remove.setEnabled(bool(self.always.selectedItems()))
        )
        self.remove.setEnabled(False)
        note = QLabel(self.tr("Tools that change something or go online ask before they run. "
                              "These tools run without asking:"))
        note.setWordWrap(True)
        self.empty = QLabel(self.tr("None: every such tool asks first."))
        self.empty.setObjectName("secondaryText")
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.web)
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addWidget(self.always, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.remove)
        self._update_empty()

    @Slot()
    def remove_selected(self) -> None:
        for item in self.always.selectedItems():
            self.always.takeItem(self.always.row(item))
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(self.always.count() == 0)

    def result(self) -> AgentSettings:
        names = [self.always.item(i).text() for i in range(self.always.count())]
        return replace(
            self.store.load_settings(),  # the agent may have added one meanwhile: start from now
            enabled=self.enabled.isChecked(),
            web_enabled=self.web.isChecked(),
            always_allow=names,
        )

    def save(self) -> None:
        current = self.store.load_settings()
        removed = set(self.original.always_allow) - {self.always.item(i).text()
                                                     for i in range(self.always.count())}
        settings = self.result()
        # Keep tools the agent "always allowed" while the dialog was open, unless removed here.
        settings.always_allow = [*settings.always_allow,
                                 *[n for n in current.always_allow
                                   if n not in settings.always_allow and n not in removed]]
        self.store.save_settings(settings)
