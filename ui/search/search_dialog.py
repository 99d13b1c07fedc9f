"""Search past messages (and documents, facts) by meaning and by words, across all chats.

The query runs on a worker thread (embedding it and scanning vectors must never stall the
window); typing is debounced, and an answer to an older query is dropped when a newer one
is under way.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.events import Failed
from assistant.memory.search import Hit
from assistant.memory.service import Memory
from ui.bridge.workers import GeneratorWorker, call_in_background

DEBOUNCE_MS = 250
RESULTS = 20


def highlighted(snippet: str, spans: Sequence[tuple[int, int]]) -> str:
    """``snippet`` as HTML with the matched words marked (spans may overlap)."""
    marks = [False] * len(snippet)
    for start, end in spans:
        for i in range(max(0, start), min(end, len(snippet))):
            marks[i] = True
    out: list[str] = []
    inside = False
    for char, marked in zip(snippet, marks, strict=True):
        if marked and not inside:
            out.append('<span style="background-color:#ffe08a; color:#202124;">')
        elif not marked and inside:
            out.append("</span>")
        inside = marked
        out.append(html.escape(char))
    if inside:
        out.append("</span>")
    return "".join(out).replace("\n", " ")


class SearchDialog(QDialog):
    """Ctrl+Shift+F. Clicking a chat result opens that conversation at that message."""

    openMessage = Signal(int, int)  # conversation id, message id
    openFile = Signal(str)
    openFact = Signal(int)

    def __init__(self, memory: Memory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(self.tr("Search messages"))
        self.resize(640, 520)
        self.memory = memory
        self.hits: list[Hit] = []
        self.worker: GeneratorWorker | None = None
        self._pending = False
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("Search all conversations by meaning or words…"))
        self.box.setClearButtonEnabled(True)
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Chats"), ("message",))
        self.scope.addItem(self.tr("Documents"), ("chunk",))
        self.scope.addItem(self.tr("Saved facts"), ("fact",))
        self.scope.addItem(self.tr("Everything"), ("message", "chunk", "fact"))
        self.status = QLabel(self.tr("Type to search."))
        self.status.setObjectName("secondaryText")
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run)
        self.box.textChanged.connect(lambda _t: self._debounce.start())
        self.box.returnPressed.connect(self.run)
        self.scope.currentIndexChanged.connect(lambda _i: self.run())

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    @Slot()
    def run(self) -> None:
        self._debounce.stop()
        query = self.box.text().strip()
        if not query:
            self.results.clear()
            self.status.setText(self.tr("Type to search."))
            return
        if self.worker is not None:
            self._pending = True  # one search at a time; the latest text runs next
            return
        kinds = tuple(self.scope.currentData() or ("message",))
        memory = self.memory
        self.status.setText(self.tr("Searching…"))
        worker = call_in_background(lambda: (query, memory.search(query, kinds, RESULTS)), self)
        worker.produced.connect(self._on_result)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        worker.start()

    @Slot(object)
    def _on_result(self, result: object) -> None:
        if isinstance(result, Failed):
            self.status.setText(self.tr("Search failed: %1").replace("%1", result.message))
            return
        query, hits = cast(tuple[str, list[Hit]], result)  # what run() asked for
        if query != self.box.text().strip():
            return  # the user typed on; the next search replaces this
        self.show_hits(list(hits))

    @Slot()
    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        if self._pending:
            self._pending = False
            self.run()

    def show_hits(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.results.clear()
        if not hits:
            self.status.setText(self.tr("Nothing found."))
            return
        self.status.setText(self.tr("%1 results").replace("%1", str(len(hits))))
        for index, hit in enumerate(hits):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, index)
            label = QLabel(self._html(hit))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setContentsMargins(6, 6, 6, 6)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # the item gets clicks
            # Word-wrapped rich text: the row is as tall as the label is at the list's width.
            width = max(200, self.results.viewport().width() - 8)
            item.setSizeHint(QSize(width, label.heightForWidth(width) + 4))
            self.results.addItem(item)
            self.results.setItemWidget(item, label)

    def _html(self, hit: Hit) -> str:
        when = ""
        if hit.created_at:
            when = datetime.datetime.fromtimestamp(hit.created_at).strftime("%Y-%m-%d %H:%M")
        if hit.kind == "message":
            who = self.tr("You") if hit.role == "user" else self.tr("Assistant")
            source = f"{html.escape(hit.conversation_title or '')} · {who}"
        elif hit.kind == "chunk":
            source = html.escape(hit.source_label())
        else:
            source = self.tr("Saved fact")
        head = f"<b>{source}</b>" + (f' <span style="color:gray;">{when}</span>' if when else "")
        return f"{head}<br>{highlighted(hit.snippet, hit.highlights)}"

    @Slot(QListWidgetItem)
    def _open(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(index, int) or not 0 <= index < len(self.hits):
            return
        hit = self.hits[index]
        if hit.kind == "message" and hit.conversation_id is not None:
            self.openMessage.emit(hit.conversation_id, hit.message_id or 0)
        elif hit.kind == "chunk" and hit.path:
            self.openFile.emit(hit.path)
        elif hit.kind == "fact" and hit.fact_id is not None:
            self.openFact.emit(hit.fact_id)
