"""Asking before side effects on the terminal (``assistant chat``).

The agent yields a ``ConfirmationNeeded`` and then waits on its ticket. The terminal answers
it at once: on a terminal it shows the parsed action and asks y/N (default No); without one
it refuses straight away (unless ``--yes``), so nobody waits silently for the time-out.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from assistant.events import ConfirmationNeeded

YES = frozenset({"y", "yes", "是", "是的", "好", "好的", "对", "确认", "允许"})
NO = frozenset({"n", "no", "否", "不", "不是", "不要", "取消", "拒绝"})

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "wants": "The assistant wants to: {action}",
        "ask": "Allow? [y/N] ",
        "again": "Please answer y or n: ",
        "refused_tty": "Not saved: this needs your confirmation. Run it in a terminal, or add --yes.",
        "refused_tty_other": "Not done: this needs your confirmation. Run it in a terminal, or add --yes.",
        "declined": "Not done.",
        "allowed_flag": "Allowed by --yes.",
    },
    "zh": {
        "wants": "助手想要：{action}",
        "ask": "允许吗？[是/否，默认否] ",
        "again": "请回答 是 或 否：",
        "refused_tty": "未保存：此操作需要你的确认。请在终端中运行，或加上 --yes。",
        "refused_tty_other": "未执行：此操作需要你的确认。请在终端中运行，或加上 --yes。",
        "declined": "未执行。",
        "allowed_flag": "已按 --yes 允许。",
    },
}


def interface_language(setting: str = "", env: Mapping[str, str] | None = None) -> str:
    """"zh" or "en": the app's language setting if set, else the locale (LC_ALL, LC_MESSAGES,
    LANG in POSIX order of precedence)."""
    if setting:
        return "zh" if setting.lower().startswith("zh") else "en"
    env = os.environ if env is None else env
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def parse_answer(text: str) -> bool | None:
    """True for yes, False for no or an empty answer (the default), None if unclear."""
    word = text.strip().lower().rstrip(".。!！")
    if not word:
        return False
    if word in YES:
        return True
    if word in NO:
        return False
    return None


@dataclass
class TerminalConfirmer:
    """Answers confirmation tickets for one ``assistant chat`` run."""

    stdin: TextIO
    err: TextIO
    assume_yes: bool = False
    language: str = "en"
    #: Set when a side effect was refused because nobody could be asked (exit status 1).
    refused_without_terminal: bool = False

    def text(self, key: str, **values: str) -> str:
        return TEXTS.get(self.language, TEXTS["en"])[key].format(**values)

    def is_terminal(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError, OSError):
            return False

    def answer(self, event: ConfirmationNeeded) -> bool:
        """Decide now and answer the ticket; the agent continues when its generator resumes."""
        allow = self._decide(event)
        event.ticket.answer(allow)
        return allow

    def _decide(self, event: ConfirmationNeeded) -> bool:
        self._say(self.text("wants", action=event.action))
        if self.assume_yes:
            self._say(self.text("allowed_flag"))
            return True
        if not self.is_terminal():
            self.refused_without_terminal = True
            key = "refused_tty" if event.tool.startswith("add") else "refused_tty_other"
            self._say(self.text(key))
            return False
        allow = self._ask()
        if not allow:
            self._say(self.text("declined"))
        return allow

    def _ask(self) -> bool:
        prompt = self.text("ask")
        for _attempt in range(3):
            self.err.write(prompt)
            self.err.flush()
            line = _read_line(self.stdin)
            if line is None:  # end of input or Ctrl+C: the default, No
                self.err.write("\n")
                return False
            decided = parse_answer(line)
            if decided is not None:
                return decided
            prompt = self.text("again")
        return False

    def _say(self, line: str) -> None:
        self.err.write(line + "\n")
        self.err.flush()


def _read_line(stdin: TextIO) -> str | None:
    """One line from the user; None at end of input or on Ctrl+C (which means No here, not
    "stop the reply": the chat's own SIGINT handler is set aside while we ask)."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler) if in_main else None
    try:
        line = stdin.readline()
    except KeyboardInterrupt:
        return None
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return line if line else None
