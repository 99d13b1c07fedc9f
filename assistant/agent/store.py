"""Agent settings (in the settings table under "agent") and the record of tool calls."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from assistant.changes import SettingsChanged
from assistant.store.db import Database, inserted_id

SETTINGS_KEY = "agent"


def local_zone_name() -> str:
    """The system's IANA zone name (TZ, /etc/timezone, /etc/localtime), else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            name = Path("/etc/timezone").read_text().strip()
        except OSError:
            target = str(Path("/etc/localtime").resolve()) if Path("/etc/localtime").exists() else ""
            name = target.split("zoneinfo/")[-1] if "zoneinfo/" in target else ""
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(name)
        return name
    except Exception:
        return "UTC"


@dataclass
class AgentSettings:
    enabled: bool = True
    #: web_search and fetch_page go online: off until the user turns them on.
    web_enabled: bool = False
    #: Tools the user said "always allow" for (no confirmation).
    always_allow: list[str] = field(default_factory=list)
    max_steps: int = 4
    tz: str = ""  # empty: the system's zone
    #: The answer after tools: "composed" by the app, written by the "model", or "auto"
    #: (the model when it is capable, see agent/setup.py; the starter model: composed).
    answer: str = "auto"

    def zone(self) -> str:
        return self.tz or local_zone_name()


@dataclass(frozen=True)
class ToolCallRecord:
    id: int
    conversation_id: int
    after_message_id: int | None
    call_id: str
    tool: str
    arguments: dict[str, Any]
    status: str
    summary: str
    result: str
    started_at: float
    duration: float


class AgentStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def load_settings(self) -> AgentSettings:
        row = next(self.database.db.query("select value from settings where key = ?", [SETTINGS_KEY]), None)
        try:
            data = json.loads(row["value"]) if row else {}
        except (TypeError, ValueError):
            data = {}
        base = AgentSettings()
        clean = {}
        for f in fields(AgentSettings):  # a damaged value falls back to its default
            value = data.get(f.name) if isinstance(data, dict) else None
            if value is not None and isinstance(value, type(getattr(base, f.name))):
                clean[f.name] = value
        return AgentSettings(**{**asdict(base), **clean})

    def save_settings(self, settings: AgentSettings) -> None:
        with self.database.writing() as db:
            db.execute(
                "insert into settings(key, value) values (?, ?)"
                " on conflict(key) do update set value = excluded.value",
                [SETTINGS_KEY, json.dumps(asdict(settings))],
            )
            self.database.changed(SettingsChanged())

    def record_call(
        self,
        conversation_id: int,
        after_message_id: int | None,
        call_id: str,
        tool: str,
        arguments: dict[str, Any],
        status: str,
        summary: str,
        result: str,
        started_at: float,
        duration: float,
    ) -> int:
        with self.database.writing() as db:
            table = db.table("tool_calls")
            table.insert(
                {
                    "conversation_id": conversation_id,
                    "after_message_id": after_message_id,
                    "call_id": call_id,
                    "tool": tool,
                    "arguments": json.dumps(arguments, ensure_ascii=False),
                    "status": status,
                    "summary": summary,
                    "result": result,
                    "started_at": started_at,
                    "duration": duration,
                }
            )
            return inserted_id(table)

    def calls(self, conversation_id: int) -> list[ToolCallRecord]:
        """The conversation's tool calls, oldest first: the chat view puts each card after the
        message ``after_message_id``."""
        rows = self.database.db.query(
            "select * from tool_calls where conversation_id = ? order by id", [conversation_id]
        )
        return [
            ToolCallRecord(
                id=r["id"],
                conversation_id=r["conversation_id"],
                after_message_id=r["after_message_id"],
                call_id=r["call_id"],
                tool=r["tool"],
                arguments=json.loads(r["arguments"]),
                status=r["status"],
                summary=r["summary"] or "",
                result=r["result"] or "",
                started_at=r["started_at"],
                duration=r["duration"] or 0.0,
            )
            for r in rows
        ]


def now_epoch() -> float:
    return time.time()
