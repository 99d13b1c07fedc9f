"""What the memory and the agent add to a conversation: citations, tool cards, fact cards.

These are plain widgets fed with the core's events (``CitationsUsed``, ``ToolCallStarted``,
``ConfirmationNeeded``, ``ToolResult``, ``FactSaved``); the window decides where they go.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.events import ConfirmationTicket
from assistant.memory.events import Citation

translate = QCoreApplication.translate

#: "[3]" in a reply, not "arr[3]" inside code: a citation marker stands after a space or start.
_MARKER = re.compile(r"(?<![\w\]])\[(\d{1,2})\]")


def cited_numbers(text: str, citations: Sequence[Citation]) -> list[int]:
    """The citation numbers the reply actually refers to, in first-use order."""
    known = {c.n for c in citations}
    seen: dict[int, None] = {}
    for match in _MARKER.finditer(text):
        n = int(match.group(1))
        if n in known:
            seen.setdefault(n, None)
    return list(seen)


def link_markers(rendered_html: str, citations: Sequence[Citation]) -> str:
    """Make each known ``[n]`` in the rendered reply a link that opens that source."""
    known = {c.n for c in citations}
    if not known:
        return rendered_html

    def replace(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return f'<a href="cite:{n}" style="text-decoration:none;"><sup>[{n}]</sup></a>'

    # Only outside tags: split on tags and touch the text parts alone.
    parts = re.split(r"(<[^>]+>)", rendered_html)
    return "".join(p if p.startswith("<") else _MARKER.sub(replace, p) for p in parts)


def kind_label(citation: Citation) -> str:
    texts = {
        "message": translate("ChatCards", "Earlier chat"),
        "fact": translate("ChatCards", "Saved fact"),
        "chunk": translate("ChatCards", "Document"),
    }
    return texts.get(citation.kind, citation.kind)


def sources_html(citations: Sequence[Citation], text: str) -> str:
    """The line under a reply. Sources the reply cites come first; if it cites none (small
    models often do not), every item it was given is listed, labelled as such."""
    used = cited_numbers(text, citations)
    chosen = [c for n in used for c in citations if c.n == n] if used else list(citations)
    if used:
        title = translate("ChatCards", "Sources")
    else:
        title = translate("ChatCards", "Reference material given to the model")
    links = "&nbsp;&nbsp;".join(
        f'<a href="cite:{c.n}">[{c.n}]&nbsp;{html.escape(_short(short_label(c)))}</a>' for c in chosen
    )
    return f"<b>{title}:</b>&nbsp;&nbsp;{links}"


def short_label(citation: Citation) -> str:
    """A document by its file name (the dialog shows the full path), else the core's label."""
    if citation.kind == "fact":  # "saved fact #3" says nothing; the fact itself does
        return translate("ChatCards", "Saved fact") + ": " + citation.snippet
    if citation.kind != "chunk" or not citation.path:
        return citation.label
    text = Path(citation.path).name
    if citation.page is not None:
        text += ", " + translate("ChatCards", "p. %1").replace("%1", str(citation.page))
    if citation.heading:
        text += f" “{citation.heading}”"
    return text


def _short(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


class CitationDialog(QDialog):
    """The passage behind ``[n]``: snippet, source, page/heading; opens the file or the chat."""

    openConversation = Signal(int, int)  # conversation id, message id

    def __init__(self, citation: Citation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citation = citation
        self.setObjectName("citationDialog")
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(citation.n)))
        self.resize(520, 280)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>[{citation.n}] {html.escape(citation.label)}</b>")
        head.setWordWrap(True)
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(head)
        details = [kind_label(citation)]
        if citation.page is not None:
            details.append(self.tr("page %1").replace("%1", str(citation.page)))
        if citation.heading:
            details.append(self.tr("section “%1”").replace("%1", citation.heading))
        if citation.path:
            details.append(citation.path)
        meta = QLabel(" · ".join(details))
        meta.setObjectName("secondaryText")
        meta.setWordWrap(True)
        meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(meta)
        self.passage = QTextBrowser()
        self.passage.setObjectName("passage")
        self.passage.setPlainText(citation.snippet)
        layout.addWidget(self.passage, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_button: QPushButton | None = None
        if citation.kind == "chunk" and citation.path:
            self.open_button = buttons.addButton(self.tr("Open file"), QDialogButtonBox.ButtonRole.ActionRole)
            self.open_button.clicked.connect(self.open_file)
            self.open_button.setEnabled(Path(citation.path).exists())
            if not self.open_button.isEnabled():
                self.open_button.setToolTip(self.tr("The file is no longer there."))
        elif citation.kind == "message" and citation.conversation_id is not None:
            self.open_button = buttons.addButton(
                self.tr("Open conversation"), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.open_button.clicked.connect(self.open_chat)
        layout.addWidget(buttons)

    @Slot()
    def open_file(self) -> None:
        if self.citation.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.citation.path))

    @Slot()
    def open_chat(self) -> None:
        if self.citation.conversation_id is not None:
            self.openConversation.emit(self.citation.conversation_id, self.citation.message_id or 0)
            self.accept()


def tool_title(name: str) -> str:
    """What the card's header calls a tool: words in the interface's language, not its name."""
    titles = {
        "add_reminder": translate("ChatCards", "Reminder"),
        "list_agenda": translate("ChatCards", "Agenda"),
        "move_reminder": translate("ChatCards", "Move a reminder"),
        "snooze_reminder": translate("ChatCards", "Snooze a reminder"),
        "complete_reminder": translate("ChatCards", "Mark a reminder done"),
        "cancel_reminder": translate("ChatCards", "Cancel reminders"),
        "search_chats": translate("ChatCards", "Search chats"),
        "search_documents": translate("ChatCards", "Search documents"),
        "search_memory": translate("ChatCards", "Search memory"),
        "web_search": translate("ChatCards", "Web search"),
        "fetch_page": translate("ChatCards", "Open a web page"),
        "now": translate("ChatCards", "Clock"),
        "date_calc": translate("ChatCards", "Date calculation"),
    }
    return titles.get(name, name)


class ToolCard(QFrame):
    """One tool call: a one-line header (tool, outcome, duration) that expands to arguments and
    result. A tool with side effects first shows the exact action with Allow / Deny."""

    answered = Signal(str, bool, bool)  # call id, allow, always

    def __init__(self, call_id: str, tool: str, arguments: dict[str, object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.call_id = call_id
        self.tool = tool
        self.arguments = arguments
        self.status = "running"
        self.summary = ""
        self.result = ""
        self.duration: float | None = None
        self.ticket: ConfirmationTicket | None = None
        self.conversation_id: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.toggle = QToolButton()
        self.toggle.setObjectName("toolToggle")
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setToolTip(self.tr("Show the arguments and the result"))
        self.toggle.toggled.connect(self.set_expanded)
        self.header = QLabel()
        self.header.setObjectName("toolHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top.addWidget(self.toggle)
        top.addWidget(self.header, 1)
        layout.addLayout(top)

        # The confirmation, shown only while the agent waits for the user.
        self.confirm = QFrame()
        self.confirm.setObjectName("toolConfirm")
        confirm = QVBoxLayout(self.confirm)
        confirm.setContentsMargins(6, 4, 6, 4)
        self.action_label = QLabel()
        self.action_label.setObjectName("toolAction")
        self.action_label.setWordWrap(True)
        self.action_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        confirm.addWidget(self.action_label)
        row = QHBoxLayout()
        self.allow_button = QPushButton(self.tr("Allow once"))
        self.allow_button.setObjectName("allowButton")
        self.always_button = QPushButton(self.tr("Always allow this tool"))
        self.deny_button = QPushButton(self.tr("Deny"))
        self.allow_button.clicked.connect(lambda: self.answer(True, False))
        self.always_button.clicked.connect(lambda: self.answer(True, True))
        self.deny_button.clicked.connect(lambda: self.answer(False, False))
        row.addWidget(self.allow_button)
        row.addWidget(self.always_button)
        row.addWidget(self.deny_button)
        row.addStretch(1)
        confirm.addLayout(row)
        self.confirm.hide()
        layout.addWidget(self.confirm)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.body = QLabel()
        self.body.setObjectName("toolBody")
        self.body.setFont(mono)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.hide()
        layout.addWidget(self.body)
        self._refresh()

    # feeding it ------------------------------------------------------------------------------
    def ask(self, action: str, online: bool, ticket: ConfirmationTicket, can_always: bool = True) -> None:
        self.ticket = ticket
        # Online tools, bulk actions and turns that read documents always ask again.
        self.always_button.setVisible(can_always)
        self.status = "asking"
        note = self.tr("The assistant wants to:")
        text = f"{note}\n{action}"
        if online:
            text += "\n" + self.tr("This goes online.")
        if not can_always:
            text += "\n" + self.tr("Actions like this one are confirmed every time.")
        self.action_label.setText(text)
        self.confirm.show()
        self.setProperty("pending", True)
        self.allow_button.setFocus()
        self._refresh()

    def answer(self, allow: bool, always: bool) -> None:
        ticket = self.ticket
        self.ticket = None
        self.setProperty("pending", False)
        self.confirm.hide()
        self.status = "running" if allow else "denied"
        if ticket is not None:
            ticket.answer(allow, always)  # wakes the agent's thread
        self.answered.emit(self.call_id, allow, always)
        self._refresh()

    def started(self, action: str) -> None:
        self.status = "running"
        if action:
            self.summary = action
        self._refresh()

    def finished(self, status: str, summary: str, content: str, duration: float) -> None:
        self.status, self.summary, self.result, self.duration = status, summary, content, duration
        if self.ticket is not None:  # the turn ended while asking (stopped): nothing runs
            self.ticket = None
            self.setProperty("pending", False)
            self.confirm.hide()
        self._refresh()

    # showing it ------------------------------------------------------------------------------
    @Slot(bool)
    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)

    def status_text(self) -> str:
        texts = {
            "running": self.tr("running…"),
            "asking": self.tr("waiting for your answer"),
            "ok": self.tr("done"),
            "error": self.tr("error"),
            "denied": self.tr("not allowed"),
            "timeout": self.tr("timed out"),
        }
        return texts.get(self.status, self.status)

    def _refresh(self) -> None:
        colors = {"ok": "#2e8b57", "error": "#d64541", "timeout": "#d64541", "denied": "#b9770e"}
        color = colors.get(self.status, "palette(mid)")
        state = f'<span style="color:{color};">{html.escape(self.status_text())}</span>'
        head = f"<b>{html.escape(tool_title(self.tool))}</b> · {state}"
        if self.summary:
            head += f" · {html.escape(self.summary)}"
        if self.duration is not None:
            head += f' · <span style="color:gray;">{self.duration:.2f} s</span>'
        self.header.setText(head)
        args = json.dumps(self.arguments, ensure_ascii=False, indent=1, default=str)
        body = self.tr("Tool:") + f" {self.tool}\n" + self.tr("Arguments:") + f"\n{args}"
        if self.result:
            body += "\n\n" + self.tr("Result:") + f"\n{self.result}"
        self.body.setText(body)


class FactCard(QFrame):
    """A fact the assistant proposes to remember: one click to approve or dismiss."""

    decided = Signal(int, bool)  # fact id, approved

    def __init__(self, fact_id: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factCard")
        self.fact_id = fact_id
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self.tr("Remember this? “%1”").replace("%1", text))
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.approve_button = QPushButton(self.tr("Approve"))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.dismiss_button.clicked.connect(lambda: self._decide(False))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.approve_button)
        layout.addWidget(self.dismiss_button)

    def _decide(self, approved: bool) -> None:
        self.approve_button.hide()
        self.dismiss_button.hide()
        self.decided.emit(self.fact_id, approved)  # the window stores it, then calls settle()

    def settle(self, text: str) -> None:
        self.approve_button.hide()
        self.dismiss_button.hide()
        self.label.setText(text)


def citation_by_number(citations: Iterable[Citation], n: int) -> Citation | None:
    return next((c for c in citations if c.n == n), None)
