"""ChatGPT's conversations.json: the current branch, skipped nodes, damaged trees; and imported
chats being searchable and recallable like any other."""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import db_path
from assistant.core import Core
from assistant.memory.worker import pending_count
from assistant.transfer import export_conversations, preview_import, run_import
from tests.support.memory_fixtures import HashEmbedder
from tests.support.rows import raw_rows

FIXTURE = Path(__file__).parents[1] / "data" / "chatgpt_conversations.json"


def _load() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _write(path: Path, conversations: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(conversations), encoding="utf-8")
    return path


def _contents(core: Core, conversation_id: int) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in core.chats.messages(conversation_id)]


def test_the_current_branch_is_kept_with_titles_and_times_and_the_rest_counted(
    make_core: Callable[..., Core],
) -> None:
    core = make_core()
    preview = preview_import(FIXTURE, core)
    assert preview.ok and preview.format == "chatgpt"
    assert (preview.conversations, preview.messages) == (3, 8)
    assert (preview.first_at, preview.last_at) == (1690000001.0, 1710000002.0)
    assert preview.skipped == {
        "system messages": 1,
        "tool messages": 2,  # the browsing call (assistant -> browser) and its result
        "messages with an unknown role": 1,
        "messages of a type this app cannot show": 1,  # "thoughts"
    }
    summary = run_import(core, FIXTURE)
    trip, html, untitled = summary.conversation_ids
    assert _contents(core, trip) == [
        ("user", "Plan a day in Rome"),
        ("assistant", "Start at the Colosseum."),
        ("user", "[image]\nWhere is this restaurant?"),
        ("assistant", "```python\nprint('Trattoria da Enzo')\n```"),
    ], "the edited-away branch and the skipped nodes are not there"
    conversation = core.chats.conversation(trip)
    assert conversation is not None
    assert (conversation.title, conversation.created_at) == ("Trip to Rome", 1700000000.5)
    assert conversation.updated_at == 1700000900.25
    sql = "select created_at, model from messages where conversation_id = ? order by id"
    times = raw_rows(db_path(), sql, [trip])
    assert [tuple(r) for r in times] == [
        (1700000001.0, None), (1700000002.0, "gpt-4"), (1700000200.0, None), (1700000205.0, "gpt-4o")
    ]
    assert _contents(core, html)[0] == ("user", "用中文回答：天空为什么是蓝色的？")
    assert core.chats.conversation(untitled).title == "Name a colour", "no title: the first question"
    assert _contents(core, untitled)[1] == ("assistant", "Newest answer: blue"), "no current node: last leaf"
    assert any("no current message" in w for w in summary.warnings)


def test_html_and_script_in_titles_stay_plain_text(make_core: Callable[..., Core], tmp_path: Path) -> None:
    core = make_core()
    html = run_import(core, FIXTURE).conversation_ids[1]
    title = "<b>Bold</b> <script>alert('x')</script> 你好"
    assert core.chats.conversation(html).title == title, "stored as written, shown as text by the UI"
    export_conversations(core, [html], "markdown", tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "\\<script\\>alert('x')\\</script\\>" in text


def test_a_second_import_of_the_same_export_adds_nothing(make_core: Callable[..., Core]) -> None:
    core = make_core()
    assert run_import(core, FIXTURE).conversations == 3
    preview = preview_import(FIXTURE, core)
    assert (preview.conversations, preview.messages, preview.already_imported) == (0, 0, 3)
    again = run_import(core, FIXTURE)
    assert (again.conversations, again.already_imported) == (0, 3)
    assert raw_rows(db_path(), "select count(*) from conversations")[0][0] == 3
    uids = {r[0] for r in raw_rows(db_path(), "select uid from conversation_uids")}
    assert "chatgpt:11111111-aaaa-4aaa-8aaa-000000000001" in uids


def test_a_loop_in_the_tree_is_cut_and_reported(make_core: Callable[..., Core], tmp_path: Path) -> None:
    data = _load()[2:3]
    mapping = data[0]["mapping"]
    data[0]["current_node"] = "c2b"
    mapping["c1"]["parent"] = "c2b"  # c2b -> c1 -> c2b -> ...
    core = make_core()
    summary = run_import(core, _write(tmp_path / "loop.json", data))
    assert summary.conversations == 1
    assert _contents(core, summary.conversation_ids[0]) == [
        ("user", "Name a  colour"), ("assistant", "Newest answer: blue")
    ], "each node once, in order"
    assert any("loops back on itself" in w for w in summary.warnings)


def test_a_missing_parent_keeps_what_follows_the_gap(make_core: Callable[..., Core], tmp_path: Path) -> None:
    data = _load()[0:1]
    mapping = data[0]["mapping"]
    del mapping["a1"]  # u2's parent is gone
    core = make_core()
    preview = preview_import(_write(tmp_path / "gap.json", data), core)
    assert preview.messages == 2 and any("parent is missing" in w for w in preview.warnings)
    summary = run_import(core, tmp_path / "gap.json")
    assert [c for _, c in _contents(core, summary.conversation_ids[0])] == [
        "[image]\nWhere is this restaurant?", "```python\nprint('Trattoria da Enzo')\n```"
    ]


def test_unknown_roles_and_content_are_skipped_and_counted(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    data = _load()[1:2]
    base = data[0]["mapping"]["b2"]
    def text(*parts: object) -> dict[str, object]:
        return {"content_type": "text", "parts": list(parts)}

    odd = {
        "x1": {"author": {"role": "moderator"}, "content": text("?")},
        "x2": {"author": {"role": "assistant"}, "content": {"content_type": "hologram", "parts": ["?"]}},
        "x3": {"author": "nobody", "content": None},
        "x4": {"author": {"role": "assistant"}, "content": text(None, 3, "  ")},
        "x5": {"author": {"role": "user"}, "content": text("Still here", {"x": 1})},
    }
    parent = "b2"
    for node_id, message in odd.items():
        data[0]["mapping"][parent]["children"] = [node_id]
        data[0]["mapping"][node_id] = {"id": node_id, "parent": parent, "children": [],
                                       "message": {**copy.deepcopy(base["message"]), **message}}
        parent = node_id
    data[0]["current_node"] = parent
    core = make_core()
    summary = run_import(core, _write(tmp_path / "odd.json", data))
    assert summary.skipped == {
        "messages with an unknown role": 2,
        "messages of a type this app cannot show": 1,
        "empty messages": 1,
    }
    assert _contents(core, summary.conversation_ids[0])[-1] == ("user", "Still here\n[attachment]")


def test_the_export_zip_is_read_as_is(make_core: Callable[..., Core], tmp_path: Path) -> None:
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("chat.html", "<html></html>")
        zf.write(FIXTURE, "conversations.json")
    core = make_core()
    assert preview_import(archive, core).messages == 8
    assert run_import(core, archive).conversations == 3
    no_chats = tmp_path / "other.zip"
    with zipfile.ZipFile(no_chats, "w") as zf:
        zf.writestr("user.json", "{}")
    assert "has no conversations.json" in (preview_import(no_chats).error or "")


def test_another_file_of_the_chatgpt_export_is_refused_clearly(tmp_path: Path) -> None:
    feedback = _write(tmp_path / "message_feedback.json", [{"id": "x", "rating": "thumbsUp"}])
    preview = preview_import(feedback)
    assert preview.error and "conversations.json" in preview.error


def test_imported_chats_are_searchable_and_recallable_like_any_other(make_core: Callable[..., Core]) -> None:
    core = make_core()
    embedder = HashEmbedder()
    core.memory.use_embedder(embedder)
    summary = run_import(core, FIXTURE)
    trip = summary.conversation_ids[0]
    hits = core.memory.search("Colosseum", ["message"])
    assert hits and hits[0].conversation_id == trip, "searchable by words at once (FTS trigger)"
    assert pending_count(core.database, embedder.model_id) == 8, "every imported message waits for a vector"
    core.memory.start()  # the app's own background worker, as the window starts it
    assert core.memory.worker is not None and core.memory.worker.wait_idle(30)
    assert pending_count(core.database, embedder.model_id) == 0
    assert all(h.similarity is not None for h in core.memory.search("Plan a day in Rome", ["message"]))
    asking = core.chats.create_conversation()
    found = core.memory.recall(asking, "Plan a day in Rome")
    assert found is not None and any(c.conversation_id == trip for c in found.citations)
