"""Changing the embedding model on a real profile with real models: the bundled MiniLM is the
old model, a downloaded copy of it under another id (served from 127.0.0.1) the new one.
Search keeps working on the old vectors until the new ones cover everything, then changes over
in one step; cancel and restart are safe. Also: when the multilingual model is suggested."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlite_utils

from assistant.core import Core
from assistant.memory.embedder import EmbedderError, TextEmbedder
from assistant.memory.switch import coverage, should_suggest_multilingual
from assistant.memory.vectors import VectorIndex
from assistant.memory.worker import EmbeddingWorker, embed_pending
from assistant.models.download_events import DownloadDone
from assistant.models.embedder_download import download_embedder
from assistant.store import migrations
from tests.support.embedder_standin import STANDIN_ID, STANDIN_MODEL_ID

if TYPE_CHECKING:
    from assistant.models.embedder_catalog import EmbedderEntry
    from tests.support.embedder_standin import FolderServer

OLD_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
NOTES = [
    "The heating engineer comes on Tuesday to repair the boiler in the basement.",
    "Grandma's apple cake needs three eggs, butter and a pinch of cinnamon.",
    "周五下午三点和李老师讨论论文的第二章。",
    "The passport renewal form must be posted before the end of March.",
    "我们的服务器每天凌晨两点自动备份数据库。",
    "Remember to water the tomato plants on the balcony every evening.",
]


@pytest.fixture
def installed(standin_server: FolderServer, standin_catalog: EmbedderEntry) -> EmbedderEntry:
    options: dict[str, Any] = {"allow_insecure_localhost": True, "retries": 0}
    events = list(download_embedder(standin_catalog, None, **options))
    assert events[-1] == DownloadDone(standin_catalog.folder)
    return standin_catalog


def _profile(make_core: Callable[..., Core]) -> Core:
    core = make_core()
    cid = core.chats.create_conversation()
    for text in NOTES:
        core.chats.add_message(cid, "user", text)
    core.memory.start()
    assert core.memory.worker is not None and core.memory.worker.wait_idle(180)
    return core


def _models(core: Core) -> dict[str, int]:
    rows = core.database.db.execute("select model, count(*) from embeddings group by model").fetchall()
    return {r[0]: r[1] for r in rows}


def _boiler(core: Core) -> list[str]:
    return [h.text for h in core.memory.search("boiler repair visit", k=3)]


def test_switch_keeps_old_vectors_until_complete_then_changes_over(
    make_core: Callable[..., Core], installed: EmbedderEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = _profile(make_core)
    before = _boiler(core)
    assert before and "boiler" in before[0]
    core.memory.stop()

    status = core.memory.switch.begin(STANDIN_ID)
    assert status.state == "waiting" and status.done == 0 and status.total == len(NOTES)
    target = core.memory.switch.embedder
    assert target is not None and target.model_id == STANDIN_MODEL_ID
    embed_pending(core.database, target, VectorIndex(core.database, STANDIN_MODEL_ID), limit=2)
    # Half-way: two vectors of the new model beside all of the old ones; search unchanged.
    assert core.memory.switch.status().done == 2
    assert _models(core) == {OLD_MODEL: len(NOTES), STANDIN_MODEL_ID: 2}
    assert core.memory.embedder is not None and core.memory.embedder.model_id == OLD_MODEL
    assert _boiler(core) == before
    core.close()

    # A restart carries on: the target is a setting, "what is left" a query.
    core = make_core()
    memory = core.memory
    assert memory.settings.embedding_next == STANDIN_ID and memory.switch.status().done == 2
    promoted_at: list[tuple[int, int]] = []
    real_promote = memory.promote

    def watch(embedder: TextEmbedder, index: VectorIndex, worker: EmbeddingWorker | None) -> bool:
        promoted_at.append(coverage(core.database, embedder.model_id))
        return real_promote(embedder, index, worker)

    monkeypatch.setattr(memory, "promote", watch)
    memory.start()
    seen_models: set[str] = set()
    deadline = time.monotonic() + 180
    while memory.switch.status().state != "idle":
        assert time.monotonic() < deadline, memory.switch.status()
        assert memory.switch.status().state in ("running", "waiting"), memory.switch.status()
        hits = _boiler(core)  # search answers all along, from whichever set is complete
        assert hits and "boiler" in hits[0]
        seen_models.add(memory.index.model_id)
        time.sleep(0.05)
    assert promoted_at == [(len(NOTES), len(NOTES))]  # only when the new set was complete
    assert seen_models <= {OLD_MODEL, STANDIN_MODEL_ID}
    assert memory.embedder is not None and memory.embedder.model_id == STANDIN_MODEL_ID
    assert memory.embedder.languages == "multi"
    assert memory.index.model_id == STANDIN_MODEL_ID and memory.settings.embedding_model == STANDIN_ID
    assert memory.settings.embedding_next == ""
    hits = _boiler(core)
    assert hits and "boiler" in hits[0]
    deadline = time.monotonic() + 30
    while _models(core) != {STANDIN_MODEL_ID: len(NOTES)}:  # the old set is deleted afterwards
        assert time.monotonic() < deadline, _models(core)
        time.sleep(0.1)
    # New messages get the new model's vectors.
    core.chats.add_message(core.chats.create_conversation(), "user", "Book the piano tuner for May.")
    memory.notify()
    assert memory.worker is not None and memory.worker.wait_idle(60)
    assert _models(core) == {STANDIN_MODEL_ID: len(NOTES) + 1}


def test_cancel_keeps_the_old_model_and_deletes_the_partial_vectors(
    make_core: Callable[..., Core], installed: EmbedderEntry
) -> None:
    core = _profile(make_core)
    core.memory.stop()
    core.memory.switch.begin(STANDIN_ID)
    target = core.memory.switch.embedder
    assert target is not None
    embed_pending(core.database, target, VectorIndex(core.database, STANDIN_MODEL_ID), limit=3)
    assert _models(core)[STANDIN_MODEL_ID] == 3
    core.memory.switch.cancel()
    assert core.memory.switch.status().state == "idle" and core.memory.settings.embedding_next == ""
    core.memory.start()
    deadline = time.monotonic() + 60
    while _models(core) != {OLD_MODEL: len(NOTES)}:
        assert time.monotonic() < deadline, _models(core)
        time.sleep(0.1)
    assert core.memory.embedder is not None and core.memory.embedder.model_id == OLD_MODEL
    assert _boiler(core)


def test_a_model_that_is_not_downloaded_cannot_be_chosen(make_core: Callable[..., Core]) -> None:
    core = make_core()
    with pytest.raises(EmbedderError, match="not downloaded"):
        core.memory.switch.begin("multilingual-e5-small")
    assert core.memory.settings.embedding_model == "" and core.memory.settings.embedding_next == ""


def test_switch_to_the_active_model_is_nothing_to_do(make_core: Callable[..., Core]) -> None:
    core = make_core()
    assert core.memory.switch.begin("all-minilm-l6-v2").state == "idle"
    assert core.memory.settings.embedding_next == ""


# the suggestion ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ui", "share", "active", "done", "expected"),
    [
        ("zh_CN", 0.0, "en", False, True),
        ("zh-TW", 0.0, "en", False, True),
        ("en_US", 0.8, "en", False, True),
        ("en_US", 0.3, "en", False, False),
        ("", 0.5, "en", False, False),  # half is not most
        ("zh_CN", 0.9, "en", True, False),  # once only
        ("zh_CN", 0.9, "multi", False, False),  # already multilingual
    ],
)
def test_should_suggest_multilingual(ui: str, share: float, active: str, done: bool, expected: bool) -> None:
    assert should_suggest_multilingual(ui, share, active, done) is expected


def _with_notes(make_core: Callable[..., Core], notes: list[str]) -> Core:
    core = make_core()
    cid = core.chats.create_conversation()
    for text in notes:
        core.chats.add_message(cid, "user", text)
    return core


def test_suggested_once_for_a_chinese_interface(make_core: Callable[..., Core]) -> None:
    core = _with_notes(make_core, ["Shopping list: milk, bread and eggs."])
    assert core.memory.switch.suggestion("en_US") is None  # English interface, English text
    entry = core.memory.switch.suggestion("zh_CN")
    assert entry is not None and entry.id == "multilingual-e5-small" and entry.languages == "multi"
    core.memory.switch.mark_suggested()
    assert core.memory.switch.suggestion("zh_CN") is None
    core.close()
    assert make_core().memory.switch.suggestion("zh_CN") is None  # remembered across restarts


def test_suggested_when_most_indexed_text_is_cjk(make_core: Callable[..., Core]) -> None:
    chinese = ["大模型微调方法有很多种，例如LoRA和前缀调优。", "明天上午十点在会议室开周会。",
               "请把报告发给王经理。", "今天天气很好，我们去公园散步吧。"]
    core = _with_notes(make_core, [*chinese, "One English note."])
    entry = core.memory.switch.suggestion("en_US")
    assert entry is not None and entry.id == "multilingual-e5-small"


def test_not_suggested_while_a_switch_is_under_way(make_core: Callable[..., Core]) -> None:
    core = make_core()
    core.memory.save_changes(embedding_next="multilingual-e5-small")
    assert core.memory.switch.suggestion("zh_CN") is None


def test_migration_keeps_vectors_and_allows_one_per_model(tmp_path: Path) -> None:
    """A profile from before embeddings_001: its vectors survive, with their seq, and an item
    can then hold a vector of a second model."""
    db = sqlite_utils.Database(tmp_path / "old.db")
    for name, func in migrations.MIGRATIONS:
        if name == "embeddings_001_one_vector_per_model":
            break
        func(db)
    db.execute("insert into search_items(id, kind, text) values (7, 'fact', 'old fact')")
    db.execute("insert into embeddings(seq, item_id, model, dim, vector, created_at)"
               " values (41, 7, 'old-model', 2, x'0000803f00000000', 1.0)")
    dict(migrations.MIGRATIONS)["embeddings_001_one_vector_per_model"](db)
    assert db.execute("select seq, item_id, model from embeddings").fetchall() == [(41, 7, "old-model")]
    db.execute("insert into embeddings(item_id, model, dim, vector, created_at)"
               " values (7, 'new-model', 2, x'0000803f00000000', 2.0)")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into embeddings(item_id, model, dim, vector, created_at)"
                   " values (7, 'new-model', 2, x'00', 3.0)")
    assert db.execute("select max(seq) from embeddings").fetchone()[0] == 42
