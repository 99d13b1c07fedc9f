"""Document collections on real files and SQLite: extraction, chunking, incremental indexing."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from assistant.knowledge.chunk import MAX_CHARS, chunk_blocks
from assistant.knowledge.events import FileSkipped, IndexFinished, IndexPaused, IndexProgress, IndexStarted
from assistant.knowledge.extract import Limits, extract
from assistant.knowledge.indexer import IndexControl, Indexer
from assistant.store.db import Database
from tests.support.memory_fixtures import HashEmbedder
from tests.support.rows import raw_rows

DOCS = Path(__file__).parents[1] / "data" / "docs"


@pytest.fixture
def database(tmp_path: Path):
    database = Database(tmp_path / "knowledge.db").open()
    yield database
    database.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def _run(indexer: Indexer, collection_id: int, **kw: object) -> list[object]:
    return list(indexer.index(collection_id, **kw))  # type: ignore[arg-type]


def _finished(events: list[object]) -> IndexFinished:
    return next(e for e in events if isinstance(e, IndexFinished))


def _consistent(db_file: Path) -> None:
    """No duplicated or orphaned chunks, search rows, FTS rows or vectors."""
    q = lambda sql: raw_rows(db_file, sql)[0][0]  # noqa: E731
    assert q("select count(*) from doc_chunks") == q("select count(*) from search_items where kind = 'chunk'")
    assert (
        q(
            "select count(*) from search_items si left join doc_chunks c on c.id = si.chunk_id"
            " where si.kind = 'chunk' and c.id is null"
        )
        == 0
    )
    assert (
        q("select count(*) from (select file_id, ord from doc_chunks group by 1, 2 having count(*) > 1)") == 0
    )
    assert q("select coalesce(sum(n_chunks), 0) from doc_files") == q("select count(*) from doc_chunks")
    assert (
        q(
            "select count(*) from embeddings e left join search_items si on si.id = e.item_id"
            " where si.id is null"
        )
        == 0
    )
    assert q("select count(*) from search_fts") == q("select count(*) from search_items")


def test_extraction_keeps_headings_and_pages() -> None:
    md = extract(str(DOCS / "garden.md"), Limits())
    assert (
        "Runner beans climb the trellis by the east fence. Pick them young, before the pods turn stringy.",
        "Beans",
        None,
    ) in md
    pdf = extract(str(DOCS / "manual.pdf"), Limits())
    assert any("hold the red button" in t and page == 1 for t, _, page in pdf)
    assert any("Bleed the radiators" in t and page == 2 for t, _, page in pdf)
    docx = extract(str(DOCS / "travel.docx"), Limits())
    assert any("Douro" in t and h == "Hotel" for t, h, _ in docx)
    assert ("Check-in | 15:00", "Hotel", None) in docx
    html = extract(str(DOCS / "recipes.html"), Limits())
    assert any("lentil soup uses red lentils" in t and h == "Family recipes" for t, h, _ in html)
    assert not any("do not index me" in t or "color:red" in t for t, _, _ in html)


def test_chunks_respect_paragraphs_and_size() -> None:
    paragraphs = [(f"Paragraph {i}. " + "word " * 60, "Intro" if i < 5 else "Later", None) for i in range(10)]
    paragraphs.append(("Sentence one is here. " * 80, "Later", None))  # one long paragraph
    chunks = chunk_blocks(paragraphs)
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert [c.ord for c in chunks] == list(range(len(chunks)))
    assert all(c.heading == "Intro" for c in chunks if "Paragraph 0" in c.text)
    for chunk in chunks:  # a paragraph is never cut unless it alone is too long
        for part in chunk.text.split("\n\n"):
            assert part.startswith(("Paragraph", "Sentence"))


def test_index_rescan_and_incremental_changes(database: Database, docs: Path) -> None:
    embedder = HashEmbedder()
    indexer = Indexer(database, embedder)
    collection = indexer.collections.add(docs)
    events = _run(indexer, collection.id)
    started = next(e for e in events if isinstance(e, IndexStarted))
    assert started.files_total == 6
    progress = [e for e in events if isinstance(e, IndexProgress)]
    assert [p.files_done for p in progress] == list(range(1, 7)) and progress[-1].eta_seconds == 0
    assert _finished(events).indexed == 6 and _finished(events).skipped == 0
    _consistent(database.path)
    assert raw_rows(database.path, "select count(*) from embeddings")[0][0] == _finished(events).chunks

    again = _finished(_run(indexer, collection.id))
    assert (again.indexed, again.unchanged) == (0, 6)
    calls = embedder.calls
    os.utime(docs / "garden.md", ns=(time.time_ns(), time.time_ns() + 10**9))  # touched, same content
    assert (_finished(_run(indexer, collection.id)).unchanged, embedder.calls) == (6, calls)

    (docs / "lighthouse.txt").write_text("The keeper now logs the weather at seven.\n")
    (docs / "new.md").write_text("# New\n\nA brand new note about kites.\n")
    (docs / "recipes.html").unlink()
    result = _finished(_run(indexer, collection.id))
    assert (result.indexed, result.removed, result.unchanged) == (2, 1, 4)
    texts = [r[0] for r in raw_rows(database.path, "select text from doc_chunks")]
    assert "The keeper now logs the weather at seven." in texts and not any("lentil" in t for t in texts)
    _consistent(database.path)

    indexer.collections.remove(collection.id)
    for table in ("doc_files", "doc_chunks", "search_items", "embeddings", "search_fts"):
        assert raw_rows(database.path, f"select count(*) from {table}")[0][0] == 0, table


def test_bad_files_are_skipped_with_reasons_and_the_rest_indexed(database: Database, tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "good.txt").write_text("A perfectly good note about otters.\n")
    with open(folder / "huge.txt", "wb") as handle:  # 2 GB, sparse: no disk space used
        handle.truncate(2 * 1024**3)
    (folder / "binary.md").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40)
    os.mkfifo(folder / "pipe.txt")  # root ignores chmod, so "unreadable" is a FIFO: open() would block
    (folder / "folder.txt").mkdir()  # a directory with a document's name is walked, not read
    (folder / "folder.txt" / "inside.md").write_text("Notes inside a folder named like a file.\n")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self.md").symlink_to(folder / "self.md")
    with zipfile.ZipFile(folder / "many.docx", "w") as archive:
        for i in range(10_000):
            archive.writestr(f"word/part{i}.xml", "")
    _gigabyte_docx(folder / "declares-gb.docx")
    (folder / "nested.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj\n" + b"[" * 200_000 + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )

    indexer = Indexer(database, HashEmbedder(), Limits(seconds=20))
    collection = indexer.collections.add(folder)
    events = _run(indexer, collection.id)
    reasons = {Path(e.path).name: e.reason for e in events if isinstance(e, FileSkipped)}
    assert reasons["huge.txt"] == "larger than the 64 MB limit (2,048 MB)"
    assert reasons["binary.md"] == "binary content, not text"
    assert "FIFO" in reasons["pipe.txt"]
    assert "symlink loop" in reasons["loop"] and "symlink loop" in reasons["self.md"]
    assert "10,000 entries" in reasons["many.docx"]
    assert "declares 4.0 GB" in reasons["declares-gb.docx"]
    assert "nested.pdf" in reasons
    status = indexer.collections.status(collection.id)
    assert status is not None and dict(status.skipped).keys() >= {
        str(folder / n) for n in ("huge.txt", "pipe.txt")
    }
    texts = " ".join(r[0] for r in raw_rows(database.path, "select text from doc_chunks"))
    assert "otters" in texts and "folder named like a file" in texts
    _consistent(database.path)


def _gigabyte_docx(path: Path) -> None:
    """A small zip whose central directory claims ~4 GB unpacked (a zip bomb's signature)."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 24 : at + 28] = struct.pack("<I", 0xFFFFFFF0)
    path.write_bytes(bytes(data))


def test_a_stuck_reader_is_killed_after_the_time_limit(tmp_path: Path) -> None:
    from assistant.knowledge.sandbox import Extractor

    fifo = tmp_path / "stuck.txt"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text("fine\n")
    extractor = Extractor(Limits(seconds=1.0))
    try:
        extractor.submit(str(fifo))
        extractor.submit(str(tmp_path / "ok.txt"))
        start = time.monotonic()
        assert extractor.result() == ("skip", "reading it took longer than 1 s")
        assert time.monotonic() - start < 5
        assert extractor.result() == ("ok", [("fine", None, None)])  # the next file still works
    finally:
        extractor.close()


def test_a_file_deleted_before_it_is_read_is_skipped(database: Database, docs: Path) -> None:
    indexer = Indexer(database, HashEmbedder())
    collection = indexer.collections.add(docs)
    plan = indexer.plan(collection)  # it was there when the folder was scanned ...
    assert len(plan.todo) == 6
    (docs / "garden.md").unlink()  # ... and is gone when its turn comes
    events = _run(indexer, collection.id)
    finished = _finished(events)
    assert finished.removed == 1 and finished.indexed == 5  # the next scan notices it is gone
    original = indexer.plan
    indexer.plan = lambda c: plan  # type: ignore[method-assign]  # replay the stale plan
    try:
        (docs / "lighthouse.txt").unlink()
        skipped = [e for e in _run(indexer, collection.id) if isinstance(e, FileSkipped)]
    finally:
        indexer.plan = original  # type: ignore[method-assign]
    assert any(e.path.endswith("lighthouse.txt") and "disappeared" in e.reason for e in skipped)


def test_pause_and_resume(database: Database, docs: Path) -> None:
    import threading

    indexer = Indexer(database, HashEmbedder())
    collection = indexer.collections.add(docs)
    control = IndexControl()
    seen: list[object] = []
    for event in indexer.index(collection.id, control):
        seen.append(event)
        if isinstance(event, IndexProgress) and event.files_done == 2:
            control.pause()
            threading.Timer(0.3, control.resume).start()
    paused = [e for e in seen if isinstance(e, IndexPaused)]
    assert len(paused) == 1 and paused[0].files_done == 2
    assert _finished(seen).indexed == 6
    _consistent(database.path)


def test_per_conversation_switch(database: Database, docs: Path) -> None:
    from assistant.store.chats import ChatStore

    chats = ChatStore(database)
    a, b = chats.create_conversation(), chats.create_conversation()
    indexer = Indexer(database)
    collection = indexer.collections.add(docs)
    assert indexer.collections.enabled_for(a) == [collection.id]
    indexer.collections.set_enabled(a, collection.id, False)
    assert indexer.collections.enabled_for(a) == [] and indexer.collections.enabled_for(b) == [collection.id]
    indexer.collections.set_default_enabled(collection.id, False)
    assert indexer.collections.enabled_for(b) == []


_INDEX_SCRIPT = r"""
import sys, time
sys.path[:0] = [sys.argv[3]]
from tests.support.memory_fixtures import HashEmbedder
from assistant.knowledge.indexer import Indexer
from assistant.store.db import Database

class Slow(HashEmbedder):
    def encode(self, texts):
        time.sleep(0.2)
        return super().encode(texts)

if __name__ == "__main__":
    database = Database(sys.argv[1]).open()
    indexer = Indexer(database, Slow())
    collection = indexer.collections.add(sys.argv[2])
    for event in indexer.index(collection.id):
        pass
"""


@pytest.mark.slow
def test_killed_mid_index_resumes_without_duplicates_or_orphans(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        body = "\n\n".join(f"File {i} paragraph {p}. " + "lorem ipsum dolor " * 40 for p in range(8))
        (folder / f"doc{i:02d}.txt").write_text(body)
    db_file = tmp_path / "killed.db"
    script = tmp_path / "index_script.py"
    script.write_text(_INDEX_SCRIPT)
    repo_root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_file), str(folder), str(repo_root)]
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if db_file.exists() and proc.poll() is None:
                try:
                    done = raw_rows(db_file, "select count(*) from doc_files where state = 'indexed'")[0][0]
                except Exception:  # the schema is still being created
                    continue
                if done >= 5:
                    break
        assert proc.poll() is None, "indexing finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    indexed = raw_rows(db_file, "select count(*) from doc_files where state = 'indexed'")[0][0]
    assert 5 <= indexed < 40
    _consistent(db_file)

    database = Database(db_file).open()
    try:
        indexer = Indexer(database, HashEmbedder())
        collection = indexer.collections.list()[0]
        finished = _finished(_run(indexer, collection.id))
        assert finished.indexed == 40 - indexed and finished.unchanged == indexed
    finally:
        database.close()
    _consistent(db_file)
    assert raw_rows(db_file, "select count(*) from doc_files where state = 'indexed'")[0][0] == 40
