"""Bad files: each gets a clear sentence, and nothing of it is written (one transaction per file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.config import db_path
from assistant.core import Core
from assistant.transfer import ImportCancelled, TransferError, preview_import, run_import
from tests.support.rows import raw_rows

CHATGPT = Path(__file__).parents[1] / "data" / "chatgpt_conversations.json"
TABLES = ("conversations", "messages", "search_items", "conversation_uids", "reply_citations", "tool_calls")


def message(content: str, role: str = "user", at: float = 1700000000.0, **extra: Any) -> dict[str, Any]:
    return {"role": role, "content": content, "status": "complete", "created_at": at, "updated_at": at,
            "superseded_at": None, "model": "", "n_tokens": None, **extra}


def conversation(uid: str, title: str, *messages: dict[str, Any]) -> dict[str, Any]:
    return {"uid": uid, "title": title, "system_prompt": None, "created_at": 1700000000.0,
            "updated_at": 1700000001.0, "messages": list(messages), "tool_calls": []}


def ours(*conversations: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {"format": "offline-assistant-chats", "version": version, "exported_at": 1.0,
            "conversations": list(conversations)}


GOOD = ours(
    conversation("u1", "First", message("hello one"), message("reply one", "assistant")),
    conversation("u2", "Second", message("hello two"), message("reply two", "assistant")),
    conversation("u3", "Third", message("hello three")),
)


def _counts() -> dict[str, int]:
    return {t: raw_rows(db_path(), f"select count(*) from {t}")[0][0] for t in TABLES}


@pytest.fixture
def core(make_core: Callable[..., Core]) -> Core:
    """A profile that already holds a chat, which a failed import must leave exactly as it was."""
    core = make_core()
    cid = core.chats.create_conversation("Mine")
    core.chats.add_message(cid, "user", "my own words")
    return core


def _damaged(kind: str, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "bad.json"
    good = json.dumps(GOOD, indent=2).encode()
    second_bad = json.loads(json.dumps(GOOD))
    second_bad["conversations"][1]["messages"][1]["role"] = "wizard"
    header_last = {"conversations": GOOD["conversations"], "format": "something-else", "version": 1}
    no_mapping = json.loads(CHATGPT.read_text(encoding="utf-8"))
    del no_mapping[1]["mapping"]
    data, expected = {
        "empty": (b"", "The file is empty"),
        "blank": (b" \n\t ", "ends too early"),
        "truncated ours": (good[: len(good) * 2 // 3], "ends too early"),
        "truncated chatgpt": (CHATGPT.read_bytes()[:3000], "ends too early"),
        "not json": (b"Dear diary, today I chatted with a model.", "not valid JSON"),
        "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not valid JSON"),
        "utf-16": (json.dumps(GOOD).encode("utf-16"), "saved as UTF-16"),
        "trailing garbage": (json.dumps(GOOD).encode() + b" {oops", "not valid JSON"),
        "other json": (b'{"name": "settings", "theme": "dark"}', "not a chat export this app can read"),
        "scalar": (b"42", "not a chat export this app can read"),
        "newer version": (json.dumps(ours(version=99)).encode(), "newer version of the app"),
        "unknown role": (json.dumps(second_bad).encode(), "Conversation 2 (“Second”), message 2: unknown"),
        "header after, wrong": (json.dumps(header_last).encode(), "not a chat export this app can read"),
        "list expected": (json.dumps({**GOOD, "conversations": {"a": 1}}).encode(), "not a list"),
        "chatgpt item": (json.dumps(no_mapping).encode(), "Item 2 of the file is not a ChatGPT conversation"),
    }[kind]
    path.write_bytes(data)
    return path, expected


@pytest.mark.parametrize(
    "kind",
    [
        "empty", "blank", "truncated ours", "truncated chatgpt", "not json", "binary", "utf-16",
        "trailing garbage", "other json", "scalar", "newer version", "unknown role",
        "header after, wrong", "list expected", "chatgpt item",
    ],
)
def test_a_bad_file_is_explained_and_writes_nothing(core: Core, tmp_path: Path, kind: str) -> None:
    path, expected = _damaged(kind, tmp_path)
    before = _counts()
    preview = preview_import(path, core)
    assert not preview.ok and expected in (preview.error or ""), preview.error
    assert "Traceback" not in preview.describe() and "(right here)" not in (preview.error or "")
    with pytest.raises(TransferError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        run_import(core, path)
    assert _counts() == before
    assert [c.title for c in core.chats.list_conversations()] == ["Mine"]


def test_a_problem_late_in_the_file_undoes_the_conversations_already_written(
    core: Core, tmp_path: Path
) -> None:
    """The header check after the conversations runs when two were already inserted."""
    path, _ = _damaged("header after, wrong", tmp_path)
    written: list[int] = []
    with pytest.raises(TransferError):
        run_import(core, path, progress=lambda p: written.append(p.conversations))
    assert written and max(written) >= 1, "conversations were written before the problem showed"
    assert raw_rows(db_path(), "select count(*) from conversations")[0][0] == 1


def test_cancel_stops_with_nothing_written(core: Core, tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    before = _counts()
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) >= 3  # after two conversations went in

    with pytest.raises(ImportCancelled, match="nothing was imported"):
        run_import(core, path, cancel=cancel)
    assert _counts() == before
    assert run_import(core, path).conversations == 3, "and a later run imports it all"


def test_progress_runs_up_to_the_whole_file(core: Core, tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    seen = []
    run_import(core, path, progress=seen.append)
    assert seen[-1].bytes_read == seen[-1].bytes_total == path.stat().st_size
    assert (seen[-1].conversations, seen[-1].messages, seen[-1].fraction) == (3, 5, 1.0)


def test_a_byte_order_mark_and_broken_text_are_accepted(core: Core, tmp_path: Path) -> None:
    data = ours(conversation("u9", "Bro\x00ken", message("nul\x00 and a lone \ud800 surrogate")))
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    summary = run_import(core, path)
    (text,) = [m.content for m in core.chats.messages(summary.conversation_ids[0])]
    assert "\x00" not in text and text.startswith("nul and a lone ") and text.endswith(" surrogate")
    assert core.chats.conversation(summary.conversation_ids[0]).title == "Broken"


def test_a_million_character_message_is_kept_whole_and_said_so(core: Core, tmp_path: Path) -> None:
    """Longer than the composer allows (100 000), but it is the user's data: stored whole."""
    huge = ("lorem ipsum " * 83_334)[:999_990] + " zebrafish"
    assert len(huge) == 1_000_000
    chatgpt = json.loads(CHATGPT.read_text(encoding="utf-8"))[1:2]
    chatgpt[0]["mapping"]["b2"]["message"]["content"]["parts"] = [huge]
    for name, data in (("ours.json", ours(conversation("big", "Big", message(huge)))), ("gpt.json", chatgpt)):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        preview = preview_import(path, core)
        assert any("1,000,000 characters" in w and "kept whole" in w for w in preview.warnings)
        summary = run_import(core, path)
        contents = [m.content for m in core.chats.messages(summary.conversation_ids[0])]
        assert huge in contents
    hits = core.memory.search("zebrafish", ["message"])
    assert len(hits) == 2, "searchable like any other"


def test_html_in_our_titles_stays_text(core: Core, tmp_path: Path) -> None:
    title = '<img src=x onerror="alert(1)"> <script>fetch("//x")</script>'
    path = tmp_path / "html.json"
    path.write_text(json.dumps(ours(conversation("h", title, message("hi")))), encoding="utf-8")
    summary = run_import(core, path)
    assert core.chats.conversation(summary.conversation_ids[0]).title == title


def test_a_missing_file_or_a_folder_is_explained(tmp_path: Path) -> None:
    assert "There is no file" in (preview_import(tmp_path / "nope.json").error or "")
    assert "is a folder" in (preview_import(tmp_path).error or "")
