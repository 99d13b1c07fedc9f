"""Export (JSON and Markdown) and the round trip through our own JSON, on real profiles."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from assistant.config import db_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.fake import ScriptedEngine
from assistant.memory.events import Citation
from assistant.transfer import TransferError, export_conversations, preview_import, run_import
from tests.support.rows import raw_rows

TITLE = "Trip <script>alert('x')</script> & *stars*"


def _cite(core: Core, reply_id: int, citations: list[Citation]) -> None:
    """Stored as Memory.cited stores them."""
    with core.database.writing() as db:
        db.execute(
            "insert into reply_citations(message_id, citations) values (?, ?)",
            [reply_id, json.dumps([c.to_dict() for c in citations])],
        )


def populate(core: Core) -> dict[str, int]:
    """Two conversations with every kind of data a chat holds, and one in the trash."""
    older = core.chats.create_conversation()
    list(core.session.send(older, "My sister's name is Ana 你好", CancelToken()))
    older_user = core.chats.messages(older)[0].id
    core.chats.update_message(core.chats.messages(older)[1].id, "Nice to meet Ana.", "stopped", n_tokens=5)

    trip = core.chats.create_conversation(TITLE, "Answer briefly.\nUse metric units.")
    # Written directly: through the session this request would wait for the user to confirm.
    core.chats.add_message(trip, "user", "Remind me to pack at 8")
    core.chats.add_message(trip, "assistant", "Old reply")
    user_id, first_reply = (m.id for m in core.chats.messages(trip))
    core.agent_store.record_call(
        trip, user_id, "call-1", "create_reminder", {"text": "pack `bags`", "when": "8:00"},
        "ok", "Reminder saved for 08:00", "id=3", time.time(), 0.25,
    )
    core.chats.supersede_from(first_reply)  # a regenerate: the old reply stays, hidden
    core.chats.add_message(trip, "assistant", "Done: **08:00**. Ana can help.", model="scripted-2")
    reply = core.chats.messages(trip)[-1].id
    _cite(core, reply, [
        Citation(1, "message", "Earlier chat", "My sister's name is Ana", older, older_user),
        Citation(2, "fact", "Your facts", "Ana likes tea", fact_id=7),
        Citation(3, "chunk", "notes.pdf, page 2", "Packing list", collection_id=1, chunk_id=9,
                 path="/home/u/notes.pdf", page=2),
    ])
    gone = core.chats.create_conversation("In the trash")
    core.chats.add_message(gone, "user", "deleted chat")
    core.chats.delete_conversation(gone)
    return {"older": older, "trip": trip, "reply": reply, "gone": gone}


def _open(path: Path) -> Core:
    return Core.open(engine=ScriptedEngine(), path=path)


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """The export without what differs between profiles: ids (and the export time). Citations
    keep where they point, as (conversation uid, message position); their fact and document
    ids are this profile's and are compared apart."""
    where = {
        m["id"]: (c["uid"], n) for c in document["conversations"] for n, m in enumerate(c["messages"])
    }
    out = json.loads(json.dumps(document))
    out.pop("exported_at")
    for conversation in out["conversations"]:
        conversation.pop("id")
        for message in conversation["messages"]:
            message.pop("id")
            for citation in message.get("citations", []):
                target = citation.pop("message_id")
                for key in ("conversation_id", "fact_id", "collection_id", "chunk_id"):
                    citation.pop(key)
                citation["points_at"] = list(where[target]) if target in where else None
    return out


def test_json_export_keeps_everything_with_a_format_version(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    ids = populate(core)
    summary = export_conversations(core, None, "json", tmp_path / "all.json")
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("offline-assistant-chats", 1)
    assert [c["id"] for c in document["conversations"]] == [ids["older"], ids["trip"]], "trash not exported"
    assert (summary.conversations, summary.messages) == (2, 5)
    trip = document["conversations"][1]
    assert trip["title"] == TITLE and trip["system_prompt"] == "Answer briefly.\nUse metric units."
    roles = [(m["role"], m["content"], m["superseded_at"] is not None) for m in trip["messages"]]
    assert roles == [
        ("user", "Remind me to pack at 8", False),
        ("assistant", "Old reply", True),
        ("assistant", "Done: **08:00**. Ana can help.", False),
    ]
    assert trip["messages"][2]["model"] == "scripted-2"
    assert [c["n"] for c in trip["messages"][2]["citations"]] == [1, 2, 3]
    assert "citations" not in trip["messages"][0]
    assert trip["tool_calls"][0]["arguments"] == {"text": "pack `bags`", "when": "8:00"}
    assert trip["tool_calls"][0]["after_message"] == 0
    older = document["conversations"][0]["messages"]
    assert (older[1]["status"], older[1]["n_tokens"]) == ("stopped", 5)
    assert len(trip["uid"]) == 32 and trip["uid"] != document["conversations"][0]["uid"]


def test_round_trip_into_a_fresh_profile_is_exact_except_ids(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    populate(core)
    first = tmp_path / "first.json"
    export_conversations(core, None, "json", first)
    other = _open(tmp_path / "other" / "assistant.db")
    try:
        unrelated = other.chats.create_conversation("Already here")  # so ids differ
        other.chats.add_message(unrelated, "user", "unrelated")
        summary = run_import(other, first)
        assert (summary.conversations, summary.messages, summary.format) == (2, 5, "ours")
        second = tmp_path / "second.json"
        export_conversations(other, summary.conversation_ids, "json", second)
        before = json.loads(first.read_text(encoding="utf-8"))
        after = json.loads(second.read_text(encoding="utf-8"))
        assert [c["id"] for c in after["conversations"]] != [c["id"] for c in before["conversations"]]
        assert normalise(after) == normalise(before)
        # The citation follows its message into the new profile; fact and chunk ids, which
        # would point at unrelated rows here, are cleared (label, snippet and path stay).
        new_older, new_trip = summary.conversation_ids
        reply = other.chats.messages(new_trip)[-1].id
        cited = other.memory.citations(reply)
        cited_message = other.chats.messages(new_older)[0].id
        assert (cited[0].conversation_id, cited[0].message_id) == (new_older, cited_message)
        assert cited[1].fact_id is None and (cited[2].chunk_id, cited[2].path) == (None, "/home/u/notes.pdf")
    finally:
        other.close()


def test_importing_twice_or_back_into_its_own_profile_adds_nothing(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    populate(core)
    path = tmp_path / "all.json"
    export_conversations(core, None, "json", path)
    preview = preview_import(path, core)
    assert (preview.conversations, preview.already_imported) == (0, 2)
    assert "2 conversations already imported" in preview.describe()
    count = raw_rows(db_path(), "select count(*) from messages")[0][0]
    summary = run_import(core, path)
    assert (summary.conversations, summary.already_imported) == (0, 2)
    assert raw_rows(db_path(), "select count(*) from messages")[0][0] == count
    other = _open(tmp_path / "other" / "assistant.db")
    try:
        assert run_import(other, path).conversations == 2
        again = run_import(other, path)
        assert (again.conversations, again.already_imported) == (0, 2)
        assert len(other.chats.list_conversations()) == 2
    finally:
        other.close()


def test_markdown_shows_the_visible_chat_with_sources_and_tool_cards_as_text(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    ids = populate(core)
    out = tmp_path / "trip.md"
    export_conversations(core, [ids["trip"]], "markdown", out)
    text = out.read_text(encoding="utf-8")
    assert "## Trip \\<script\\>alert('x')\\</script\\> \\& \\*stars\\*" in text
    assert "<script>" not in text, "a title is text, never HTML"
    assert "**System prompt:**" in text and "Use metric units." in text
    assert "### You · " in text and "Remind me to pack at 8" in text
    assert "Done: **08:00**. Ana can help." in text, "message text is Markdown already: kept as written"
    assert "Old reply" not in text and "1 earlier version of edited or regenerated messages" in text
    assert "**Tool: create\\_reminder** (ok, 0.2 s)" in text
    assert "Arguments: ``{\"text\": \"pack `bags`\", \"when\": \"8:00\"}``" in text
    assert "Summary: Reminder saved for 08:00" in text
    assert "**Sources**" in text and "1. Earlier chat — “My sister's name is Ana”" in text
    assert text.index("Remind me to pack") < text.index("**Tool: create") < text.index("Done: **08:00**")


def test_export_refuses_unknown_ids_and_unwritable_places_and_leaves_no_partial_file(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    ids = populate(core)
    with pytest.raises(TransferError, match="There is no conversation 999"):
        export_conversations(core, [ids["trip"], 999], "json", tmp_path / "x.json")
    with pytest.raises(TransferError, match="There is no conversation"):
        export_conversations(core, [ids["gone"]], "json", tmp_path / "x.json")  # in the trash
    with pytest.raises(TransferError, match="does not exist"):
        export_conversations(core, None, "json", tmp_path / "missing" / "x.json")
    with pytest.raises(TransferError, match="Unknown export format"):
        export_conversations(core, None, "pdf", tmp_path / "x.pdf")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".json", ".part")) == []
    export_conversations(core, [ids["trip"], ids["older"], ids["trip"]], "json", tmp_path / "x.json")
    chosen = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["conversations"]
    assert [c["id"] for c in chosen] == [ids["trip"], ids["older"]], "in the order asked, once each"
    assert (tmp_path / "x.json").stat().st_mode & 0o077 == 0, "private, like the profile"


def test_cli_export_then_import_asks_first_and_refuses_without_a_terminal(
    make_core: Callable[..., Core],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    core = make_core(replies=["First reply", "Old reply"])
    populate(core)
    core.close()
    out = tmp_path / "all.json"
    assert main(["export", "--all", "--format", "json", "-o", str(out)]) == 0
    assert "Exported 2 conversations (5 messages)" in capsys.readouterr().out
    assert main(["export", "--all", "--format", "md", "-o", str(tmp_path / "all.md")]) == 0
    assert "### Assistant" in (tmp_path / "all.md").read_text(encoding="utf-8")
    assert main(["export", "--id", "999", "-o", str(tmp_path / "none.json")]) == 1
    assert "no conversation 999" in capsys.readouterr().err

    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "fresh"))
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal
    assert main(["import", str(out)]) == 1
    captured = capsys.readouterr()
    assert "New: 2 conversations, 5 messages" in captured.out and "add --yes" in captured.err
    fresh_db = tmp_path / "fresh" / "assistant.db"
    assert raw_rows(fresh_db, "select count(*) from conversations")[0][0] == 0

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["import", str(out)]) == 1
    assert "Nothing imported." in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert main(["import", str(out)]) == 0
    assert "Import 2 conversations? [y/N]" in (text := capsys.readouterr().out) and "Imported 2" in text
    assert main(["import", str(out), "--yes"]) == 0
    assert "2 conversations already imported" in capsys.readouterr().out
    assert raw_rows(fresh_db, "select count(*) from conversations")[0][0] == 2
