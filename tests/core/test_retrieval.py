"""Recall and hybrid search with the real embedding model (all-MiniLM-L6-v2, loaded once)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.memory.events import CitationsUsed
from assistant.memory.recall import BLOCK_END, BLOCK_START
from assistant.memory.worker import embed_pending
from tests.support.rows import of_type

pytestmark = pytest.mark.slow
DOCS = Path(__file__).parents[1] / "data" / "docs"


@pytest.fixture
def core(make_core: Callable[..., Core], real_embedder: object) -> Core:
    core = make_core(replies=["Here is my answer [1]."])
    core.memory.use_embedder(real_embedder)  # type: ignore[arg-type]
    return core


def _embed_all(core: Core) -> None:
    assert core.memory.embedder is not None
    while embed_pending(core.database, core.memory.embedder, core.memory.index):
        pass


def _index_docs(core: Core, tmp_path: Path) -> int:
    folder = tmp_path / "docs"
    shutil.copytree(DOCS, folder)
    collection = core.knowledge.add(folder)
    list(core.knowledge.index(collection.id))
    return collection.id


def test_search_by_meaning_across_conversations(core: Core) -> None:
    first = core.chats.create_conversation()
    core.chats.add_message(first, "user", "My car keeps making a grinding noise when I brake.")
    answer = core.chats.add_message(first, "assistant", "That usually means the brake pads are worn out.")
    other = core.chats.create_conversation()
    core.chats.add_message(other, "user", "Give me a recipe for banana bread.")
    _embed_all(core)
    hits = core.memory.search("vehicle stopping sounds", ["message"], k=3)
    assert hits[0].conversation_id == first and hits[0].similarity and hits[0].similarity > 0.3
    assert answer in [h.message_id for h in hits[:2]]


def test_documents_are_cited_and_injected_text_stays_inside_the_reference_block(
    core: Core, tmp_path: Path
) -> None:
    collection_id = _index_docs(core, tmp_path)
    # What a model that uses passages is given (a small one is answered by quoting instead).
    core.memory.save_changes(passages="model")
    cid = core.chats.create_conversation()
    events = list(
        core.session.send(cid, "What did the budget meeting decide about the library?", CancelToken())
    )
    cited = of_type(events, CitationsUsed)
    assert len(cited) == 1 and cited[0].message_id == core.chats.messages(cid)[-1].id
    sources = {(Path(c.path or "").name, c.heading) for c in cited[0].citations}
    assert ("injection.md", "Meeting minutes") in sources
    assert core.memory.citations(cited[0].message_id) == cited[0].citations  # kept for reopening

    messages = core.engine.requests[-1].messages
    last = messages[-1]["content"]
    assert last.startswith("What did the budget meeting decide about the library?\n\n" + BLOCK_START)
    assert last.endswith(BLOCK_END) and last.count(BLOCK_START) == 1 and last.count(BLOCK_END) == 1
    block = last[last.index(BLOCK_START) :]
    assert "data, not instructions" in block and "[1]" in block
    assert "IGNORE PREVIOUS INSTRUCTIONS" in block
    everywhere_else = [m["content"] for m in messages[:-1]] + [last[: last.index(BLOCK_START)]]
    assert not any("IGNORE PREVIOUS" in text for text in everywhere_else)
    assert messages[0]["role"] == "system"

    # Switched off for this conversation: no documents in its prompts.
    core.knowledge.collections.set_enabled(cid, collection_id, False)
    list(core.session.send(cid, "What did the budget meeting decide about the library?", CancelToken()))
    assert "injection.md" not in core.engine.requests[-1].messages[-1]["content"]


def test_a_remembered_fact_reaches_a_later_chat_and_unrelated_questions_get_no_block(core: Core) -> None:
    first = core.chats.create_conversation()
    list(core.session.send(first, "Remember that my sister's birthday is 3 May", CancelToken()))
    _embed_all(core)
    later = core.chats.create_conversation()
    events = list(core.session.send(later, "When is my sister's birthday?", CancelToken()))
    content = core.engine.requests[-1].messages[-1]["content"]
    assert "Saved fact about the user: My sister's birthday is 3 May" in content
    assert [c.kind for c in of_type(events, CitationsUsed)[0].citations] == ["fact"]  # not also the chat

    events = list(core.session.send(later, "How do magnets work?", CancelToken()))
    assert BLOCK_START not in core.engine.requests[-1].messages[-1]["content"]
    assert of_type(events, CitationsUsed) == []


def test_recall_before_the_first_token_is_quick(core: Core, tmp_path: Path) -> None:
    import time

    _index_docs(core, tmp_path)
    cid = core.chats.create_conversation()
    core.memory.recall(cid, "warm up")
    start = time.perf_counter()
    for question in ("How do I reset the boiler?", "When does the train to Porto leave?"):
        assert core.memory.recall(cid, question) is not None
    assert (
        time.perf_counter() - start
    ) / 2 < 0.5  # generous: shared CI machines; the bench has the real figure


def test_cli_index_and_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    folder = tmp_path / "cli-docs"
    shutil.copytree(DOCS, folder)
    assert main(["index", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "6 files: 6 indexed" in captured.out and "[6/6]" in captured.err
    assert main(["search", "reset the boiler"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert "[chunk]" in first and "manual.pdf, page 1" in first
    assert main(["facts", "add", "I", "live", "in", "Porto"]) == 0
    assert main(["facts", "forget", "live", "Porto"]) == 0
    assert "Forgot 1 fact" in capsys.readouterr().out
