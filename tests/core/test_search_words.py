"""Keyword search over words (issue 10): segmentation, bm25 ranking of the rare term, every
write path segmented, the resumable re-index of an older profile, the quiet terminal search.
Real SQLite profiles, real documents through the real indexer, the real segmenter (rjieba)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.core import Core
from assistant.memory import words
from assistant.memory.words_index import WordsBackfill, backlog, fill, fill_batch, remaining
from assistant.store import migrations
from assistant.store.db import Database

DATA = Path(__file__).parents[1] / "data"
TOPICS = ["推理速度", "显存占用", "数据清洗", "评测方法", "部署成本", "提示词设计", "量化精度", "上下文长度"]


def _write_corpus(folder: Path) -> Path:
    """30 notes that all talk about 大模型; one of them names QLoRA and 低秩适配."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(29):
        topic = TOPICS[i % len(TOPICS)]
        (folder / f"note-{i:02d}.md").write_text(
            f"# 大模型笔记 {i}\n\n大模型的{topic}是本周讨论的重点。我们比较了几个大模型在{topic}上的表现，"
            f"大模型越大，{topic}的问题越明显。团队认为大模型的{topic}需要继续观察。\n",
            encoding="utf-8",
        )
    (folder / "finetune.md").write_text(
        "# 微调记录\n\n这次用 QLoRA 给大模型做了低秩适配微调：4 比特量化的底座，"
        "单张 24GB 显卡就够了。大模型的效果和全量微调接近。\n",
        encoding="utf-8",
    )
    return folder


def _index(core: Core, folder: Path) -> int:
    collection = core.knowledge.add(folder)
    list(core.knowledge.index(collection.id))
    return collection.id


def _words_of(core: Core) -> dict[int, str]:
    return dict(core.database.db.execute("select rowid, words from search_words").fetchall())


# segmentation ----------------------------------------------------------------------------
def test_query_words_segment_chinese_keep_latin_terms_whole_and_drop_stop_words() -> None:
    assert words.query_words("LoRA和QLoRA有什么区别？") == ["lora", "qlora", "区别"]
    assert words.query_words("What is the difference between LoRA and QLoRA?") == [
        "difference",
        "between",
        "lora",
        "qlora",
    ]
    assert "chatgpt-4o" in words.segment_for_index("我们测试了ChatGPT-4o的中文能力")
    assert "共和国" in words.segment_for_index("中华人民共和国").split()  # sub-words indexed too
    assert words.query_words("的了吗是什么") == [] and words.query_words("the and of it") == []
    assert len(words.query_words(" ".join(f"w{i}" for i in range(500)))) == 32


def test_segmenting_is_bounded_in_pieces() -> None:
    text = "大模型" * 10_000
    parts = list(words.pieces(text, 4096))
    assert "".join(parts) == text and max(len(p) for p in parts) <= 4096
    assert words.segment_for_index(text).split()[:2] == ["大", "模型"]


# ranking ---------------------------------------------------------------------------------
def test_the_decisive_rare_term_ranks_its_document_first(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = make_core()
    _index(core, _write_corpus(tmp_path / "notes"))
    for question in ("大模型用QLoRA微调需要多大的显卡？", "大模型的低秩适配微调怎么做"):
        for sides in ("keyword", "both"):
            hits = (
                core.memory.search(question, ["chunk"], k=5)
                if sides == "both"
                else (core.memory.retriever.search(question, ["chunk"], 5, sides="keyword"))
            )
            assert hits and Path(hits[0].path or "").name == "finetune.md", (question, sides)
    # The old trigram-only side drowned it: the words side is what puts it first.
    assert core.memory.retriever.search("QLoRA", ["chunk"], 3)[0].path.endswith("finetune.md")  # type: ignore[union-attr]


# every write path ------------------------------------------------------------------------
def test_every_write_path_is_segmented(make_core: Callable[..., Core], tmp_path: Path) -> None:
    from assistant.transfer import run_import

    core = make_core()
    cid = core.chats.create_conversation()
    core.chats.add_message(cid, "user", "我想了解检索增强生成")
    core.memory.facts.add("我的猫叫小白")
    _index(core, _write_corpus(tmp_path / "notes"))
    run_import(core, DATA / "chatgpt_conversations.json")
    items = dict(core.database.db.execute("select id, text from search_items").fetchall())
    indexed = _words_of(core)
    assert set(indexed) == set(items)
    assert all(indexed[i] == words.segment_for_index(t) for i, t in items.items())
    kinds = {r[0] for r in core.database.db.execute("select distinct kind from search_items")}
    assert kinds == {"message", "fact", "chunk"}
    # an edited message and a deleted fact leave no stale words
    mid = core.chats.add_message(cid, "user", "旧的内容")
    core.database.db.execute("update messages set content = '新的内容' where id = ?", [mid])
    core.memory.facts.delete([f.id for f in core.memory.facts.list()])
    assert set(_words_of(core)) == {r[0] for r in core.database.db.execute("select id from search_items")}
    assert core.memory.search("小白", ["fact"]) == []


# the migration on an older profile -------------------------------------------------------
def _old_profile(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile made by the version before words_001, with chats and facts in it."""
    with monkeypatch.context() as patch:
        older = [(n, f) for n, f in migrations.MIGRATIONS if n != "words_001_search_words"]
        patch.setattr(migrations, "MIGRATIONS", older)
        database = Database(path).open()
        db = database.db
        with database.writing():
            db.execute("insert into conversations(title, created_at, updated_at) values ('旧', 0, 0)")
            for i in range(25):
                text = "QLoRA 微调的显存笔记" if i == 7 else f"大模型日常记录第{i}条"
                db.execute(
                    "insert into messages(conversation_id, role, content, status, created_at, updated_at)"
                    " values (1, 'user', ?, 'complete', ?, ?)",
                    [text, i, i],
                )
        assert "search_words" not in db.table_names()
        database.close()


def test_an_older_profile_is_reindexed_resumably_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.memory.search import Retriever
    from assistant.memory.vectors import VectorIndex

    path = tmp_path / "old.db"
    _old_profile(path, monkeypatch)
    database = Database(path).open()  # the migration: tables only, nothing segmented yet
    assert backlog(database) == (0, 25) and remaining(database) == 25
    retriever = Retriever(database, VectorIndex(database, "none"), None)
    assert retriever.search("QLoRA 微调")[0].text.startswith("QLoRA")  # trigram covers the backlog
    assert fill_batch(database, limit=10) == 10  # then the app is closed mid-way
    database.close()

    database = Database(path).open()
    assert backlog(database) == (10, 25) and remaining(database) == 15
    events = list(fill(database))
    assert events[-1].finished and events[-1].total == 15
    assert remaining(database) == 0
    count = database.db.execute("select count(*) from search_words").fetchone()[0]
    assert count == 25
    assert retriever.search("QLoRA 微调", sides="keyword")[0].text.startswith("QLoRA")
    database.close()


def test_the_backfill_thread_runs_from_memory_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _old_profile(path, monkeypatch)
    database = Database(path).open()
    seen: list[int] = []
    job = WordsBackfill(database, on_progress=lambda e: seen.append(e.done))
    job.start()
    deadline = time.monotonic() + 30
    while remaining(database) and time.monotonic() < deadline:
        time.sleep(0.05)
    job.stop()
    assert remaining(database) == 0 and seen and seen[-1] == 25
    database.close()


# the terminal ----------------------------------------------------------------------------
def test_terminal_search_is_quiet_and_quick(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "assistant"]
    folder = _write_corpus(tmp_path / "notes")
    subprocess.run([*cmd, "index", str(folder)], env=env, check=True, capture_output=True, timeout=300)
    # Quick means: the keyword answer never waits for the embedding model. Asserted by what the
    # process imports (deterministic), not by a wall clock on a shared machine.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assistant", "search", "大模型用QLoRA微调"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("(chunk 30)") or "finetune.md" in done.stdout.splitlines()[0]
    timings = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    imported = {line.split("|")[-1].strip() for line in timings}
    assert not imported & {"torch", "sentence_transformers", "transformers", "llama_cpp"}
    said = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))
    assert "Loading" not in done.stdout + said and "prefix dict" not in done.stdout + said
    assert "%|" not in said
    waited = subprocess.run(
        [*cmd, "search", "--wait", "fine-tuning"], env=env, capture_output=True, text=True, timeout=300
    )
    assert "Loading" not in waited.stdout + waited.stderr and "%|" not in waited.stderr
    nothing = subprocess.run([*cmd, "search", "？？！"], env=env, capture_output=True, text=True, timeout=60)
    assert nothing.returncode == 1 and nothing.stdout.strip() == "Nothing found."


# the same improvement reaches recall and the agent's search tool ---------------------------
def test_recall_and_the_search_tool_get_the_rare_term_first(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    from assistant.tools.search import _search

    core = make_core()
    _index(core, _write_corpus(tmp_path / "notes"))  # enabled by default for new chats
    cid = core.chats.create_conversation()
    found = core.memory.recall(cid, "大模型用QLoRA做低秩适配微调需要什么显卡？")
    assert found is not None and Path(found.citations[0].path or "").name == "finetune.md"
    tool_context = SimpleNamespace(retriever=core.memory, extra={}, message_id=None)  # as the agent gives
    result = _search(tool_context, "QLoRA 微调", ["chunk"], 3)  # type: ignore[arg-type]
    assert "finetune.md" in result["results"][0]["source"]
