"""Input the user (or the machine) gets wrong: empty, huge, odd Unicode, read-only, full disk."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.config import MODEL_ENV, Settings, db_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.fake import ScriptedEngine
from assistant.events import Done, Event, Failed, MessageStored, StatusChanged, TextDelta
from assistant.store.db import StorageError
from tests.support.rows import of_type, raw_rows


def _all_message_rows() -> list:
    return raw_rows(db_path(), "select * from messages order by id")


def _run(events: Iterator[Event]) -> list[Event]:
    """Drain a session generator; any exception escaping it fails the test."""
    return list(events)


# empty and oversized ------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", " ", "   \n\t  \r\n", "\u3000\u2003", "\x00", " \x00 \x00\n"])
def test_empty_or_blank_message_is_rejected_and_not_stored(core: Core, text: str) -> None:
    cid = core.chats.create_conversation()
    events = _run(core.session.send(cid, text, CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["input_rejected"]
    assert failed[0].message
    assert not of_type(events, MessageStored) and not of_type(events, TextDelta)
    assert _all_message_rows() == []
    assert core.engine.requests == []


def test_huge_message_is_refused_naming_the_limit_not_truncated(core: Core) -> None:
    limit = core.settings.max_input_chars
    text = "a" * 100_000
    assert len(text) > limit
    cid = core.chats.create_conversation()
    events = _run(core.session.send(cid, text, CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["input_rejected"]
    message = failed[0].message
    assert f"{limit:,}" in message or str(limit) in message
    assert f"{len(text):,}" in message or str(len(text)) in message
    assert _all_message_rows() == []
    assert core.engine.requests == []


def test_message_at_the_limit_is_stored_whole(make_core: Callable[..., Core]) -> None:
    limit = 5_000
    core = make_core(max_input_chars=limit)
    cid = core.chats.create_conversation()
    at_limit = ("0123456789" * (limit // 10 + 1))[:limit]
    events = _run(core.session.send(cid, at_limit, CancelToken()))
    assert of_type(events, Done)
    assert core.chats.messages(cid)[0].content == at_limit

    over = at_limit + "!"
    events = _run(core.session.send(cid, over, CancelToken()))
    assert [f.kind for f in of_type(events, Failed)] == ["input_rejected"]
    assert f"{limit:,}" in of_type(events, Failed)[0].message
    assert [m.content for m in core.chats.messages(cid) if m.role == "user"] == [at_limit]


def test_oversized_edit_is_refused_and_hides_nothing(make_core: Callable[..., Core]) -> None:
    core = make_core(max_input_chars=100)
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "short question", CancelToken()))
    before = [(m.id, m.content) for m in core.chats.messages(cid)]
    events = _run(core.session.edit(before[0][0], "x" * 101, CancelToken()))
    assert [f.kind for f in of_type(events, Failed)] == ["input_rejected"]
    assert [(m.id, m.content) for m in core.chats.messages(cid)] == before


# Unicode ------------------------------------------------------------------------------------
UNICODE_CASES = {
    "emoji_zwj": "Family: 👩‍👩‍👧‍👦, flag 🇵🇹, skin tone 👍🏽, astral 𝄞 𐍈",
    "arabic": "مرحبا بالعالم، كيف حالك؟",
    "hebrew": "שלום עולם, מה שלומך?",
    "bidi_mixed": "abc \u202eRTL override\u202c עברית 123 العربية",
    "cjk": "你好，世界。日本語のテキスト。한국어 문장.",
    "combining_not_normalised": "Ame\u0301lie, n\u0303, e\u0301\u0301\u0301, Zalgo: Z\u0351\u0352\u0353",
    "zero_width_and_controls": "a\u200bb\u200dc\ufeffd\u2060e \x07 \x1b[31m \x7f",
    "line_endings": "line1\r\nline2\rline3\nline4\t\ttabbed  ",
    "quotes_and_sql": 'It\'s "quoted" -- ; drop table messages; \\ %_',
}


@pytest.mark.parametrize("name", sorted(UNICODE_CASES))
def test_unicode_round_trips_exactly(core: Core, name: str) -> None:
    text = UNICODE_CASES[name]
    cid = core.chats.create_conversation()
    events = _run(core.session.send(cid, text, CancelToken()))
    assert not of_type(events, Failed)
    assert of_type(events, MessageStored)[0].content == text
    assert core.chats.messages(cid)[0].content == text
    assert raw_rows(db_path(), "select content from messages where role='user'")[0][0] == text
    assert core.engine.requests[-1].messages[-1] == {"role": "user", "content": text}


def test_nul_bytes_are_dropped_and_the_rest_kept(core: Core) -> None:
    cid = core.chats.create_conversation()
    text = "before\x00after\x00 and \x00end"
    events = _run(core.session.send(cid, text, CancelToken()))
    expected = text.replace("\x00", "")
    assert of_type(events, MessageStored)[0].content == expected
    assert core.chats.messages(cid)[0].content == expected
    assert core.engine.requests[-1].messages[-1]["content"] == expected


@pytest.mark.parametrize("text", ["broken \ud800 high", "broken \udfff low", "\udc80\udcff from bytes"])
def test_lone_surrogates_do_not_crash_the_session(core: Core, text: str) -> None:
    """A str with a lone surrogate cannot be encoded to UTF-8 for SQLite.

    Such strings come from broken UTF-16 (clipboard, Qt) or os.fsdecode. The session must
    answer with a Failed event (or store a repaired text), never raise.
    """
    cid = core.chats.create_conversation()
    events = _run(core.session.send(cid, text, CancelToken()))  # must not raise
    failed = of_type(events, Failed)
    stored = _all_message_rows()
    if failed:
        assert failed[0].kind == "input_rejected"
        assert stored == []
    else:
        # Repaired instead of refused: what is stored must be valid text.
        user = stored[0]["content"]
        user.encode("utf-8")


def _text_that_passes(text: str, limit: int) -> bool:
    cleaned = text.replace("\x00", "")
    return bool(cleaned.strip()) and len(cleaned) <= limit


def test_any_accepted_text_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Property: whatever st.text() produces and validation accepts comes back exactly."""
    monkeypatch.delenv(MODEL_ENV, raising=False)
    model = tmp_path / "scripted.gguf"
    model.write_bytes(b"GGUF")
    core = Core.open(engine=ScriptedEngine(["ok"]), path=tmp_path / "property.db")
    limit = 2_000
    core.save_settings(Settings(model_path=str(model), max_input_chars=limit))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(max_size=300) | st.text(st.characters(codec="utf-8"), max_size=50))
    def check(text: str) -> None:
        cid = core.chats.create_conversation()
        events = list(core.session.send(cid, text, CancelToken()))
        if not _text_that_passes(text, limit):
            assert [f.kind for f in of_type(events, Failed)] == ["input_rejected"]
            assert core.chats.messages(cid) == []
            return
        expected = text.replace("\x00", "")
        assert not of_type(events, Failed)
        assert of_type(events, MessageStored)[0].content == expected
        user = core.chats.messages(cid)[0]
        assert (user.role, user.content) == ("user", expected)
        assert core.engine.requests[-1].messages[-1]["content"] == expected

    try:
        check()
    finally:
        core.close()


def test_whitespace_and_nul_only_inputs_never_stored() -> None:
    """Property on the validator alone: blank-after-cleaning text is always refused."""
    from assistant.chat.session import InputRejected, validate_input

    @given(st.text(st.sampled_from(" \t\n\r\x0b\x0c\x00\u00a0\u2000\u3000\u2028")))
    def check(text: str) -> None:
        with pytest.raises(InputRejected):
            validate_input(text, 100)

    check()


@given(st.text(min_size=1, max_size=80).filter(lambda t: t.replace("\x00", "").strip()))
@settings(max_examples=200)
def test_validator_never_truncates(text: str) -> None:
    from assistant.chat.session import InputRejected, validate_input

    cleaned = text.replace("\x00", "")
    limit = max(1, len(cleaned) - 1)
    assume(len(cleaned) > limit)
    with pytest.raises(InputRejected):
        validate_input(text, limit)
    assert validate_input(text, len(cleaned)) == cleaned


# unusable data folder ---------------------------------------------------------------------
def test_data_folder_that_is_a_file_gives_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    with pytest.raises(StorageError) as info:
        Core.open(engine=ScriptedEngine(), path=blocker / "assistant.db")
    assert str(blocker) in str(info.value)
    assert blocker.read_text() == "I am a file"


def test_database_path_that_is_a_directory_gives_a_storage_error(tmp_path: Path) -> None:
    folder_in_the_way = tmp_path / "assistant.db"
    folder_in_the_way.mkdir()
    with pytest.raises(StorageError) as info:
        Core.open(engine=ScriptedEngine(), path=folder_in_the_way)
    assert "open" in str(info.value).lower()


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """chattr +i: read-only even for root (the tests run as root, so chmod is ignored)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available: cannot make a folder read-only for root")
    marked: list[Path] = []

    def make_immutable(path: Path) -> None:
        result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"chattr +i not supported here: {result.stderr.strip()}")
        marked.append(path)

    yield make_immutable
    for path in reversed(marked):
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_read_only_data_folder_at_start_gives_a_storage_error(
    make_core: Callable[..., Core], immutable: Callable[[Path], None]
) -> None:
    core = make_core()
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "written while writable", CancelToken()))
    path = core.database.path
    core.close()
    for leftover in path.parent.glob(path.name + "-*"):  # -wal/-shm are gone after a clean close
        leftover.unlink()
    snapshot = path.read_bytes()
    immutable(path)
    immutable(path.parent)

    with pytest.raises(StorageError) as info:
        Core.open(engine=ScriptedEngine(), path=path)
    message = str(info.value).lower()
    assert str(path.parent).lower() in message
    assert "read-only" in message or "cannot open" in message
    assert path.read_bytes() == snapshot


def test_database_turning_read_only_mid_session_fails_softly(make_core: Callable[..., Core]) -> None:
    core = make_core()
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "first, while writable", CancelToken()))
    before = [(m.role, m.content, m.status) for m in core.chats.messages(cid)]

    core.database.db.execute("PRAGMA query_only = ON")  # every write now fails: SQLITE_READONLY
    events = _run(core.session.send(cid, "second, after the folder went read-only", CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["storage"]
    assert "read-only" in failed[0].message
    assert not of_type(events, TextDelta)
    assert [(m.role, m.content, m.status) for m in core.chats.messages(cid)] == before

    core.database.db.execute("PRAGMA query_only = OFF")
    events = _run(core.session.send(cid, "third, writable again", CancelToken()))
    assert of_type(events, Done)[0].status == "complete"


# disk full ----------------------------------------------------------------------------------
def _fill_disk(core: Core, spare_pages: int = 1) -> None:
    """SQLITE_FULL once the file would grow past its current size plus ``spare_pages``."""
    db = core.database.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def test_disk_full_on_the_user_message(make_core: Callable[..., Core]) -> None:
    core = make_core(max_input_chars=200_000)
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "earlier message", CancelToken()))
    before = [(m.role, m.content, m.status) for m in core.chats.messages(cid)]
    _fill_disk(core)

    events = _run(core.session.send(cid, "big " * 30_000, CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["storage"]
    assert "disk is full" in failed[0].message.lower()
    assert not of_type(events, MessageStored) and not of_type(events, TextDelta)
    assert [(m.role, m.content, m.status) for m in core.chats.messages(cid)] == before
    assert raw_rows(db_path(), "PRAGMA integrity_check")[0][0] == "ok"

    core.database.db.execute("PRAGMA max_page_count = 1073741823")  # space freed
    events = _run(core.session.send(cid, "after freeing space", CancelToken()))
    assert of_type(events, Done)[0].status == "complete"


def test_disk_full_on_a_long_reply(make_core: Callable[..., Core]) -> None:
    long_reply = " ".join(f"token{i}" for i in range(30_000))  # ~270 kB
    core = make_core(replies=["short first answer", long_reply])
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "earlier message", CancelToken()))
    before = [(m.role, m.content, m.status) for m in core.chats.messages(cid)]
    _fill_disk(core, spare_pages=2)

    events = _run(core.session.send(cid, "now write a lot", CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["storage"]
    assert "disk is full" in failed[0].message.lower()
    assert not of_type(events, Done)
    visible = [(m.role, m.content, m.status) for m in core.chats.messages(cid)]
    assert visible[:2] == before
    assert ("user", "now write a lot") == visible[2][:2]
    assert raw_rows(db_path(), "PRAGMA integrity_check")[0][0] == "ok"
    core.close()

    # Next start with space again: nothing is left looking like it is still streaming.
    reopened = Core.open(engine=ScriptedEngine())
    try:
        statuses = [m.status for m in reopened.chats.messages(cid)]
        assert "streaming" not in statuses
        assert [(m.role, m.content, m.status) for m in reopened.chats.messages(cid)][:2] == before
    finally:
        reopened.close()


def test_disk_full_mid_reply_does_not_leave_it_streaming(make_core: Callable[..., Core]) -> None:
    """In the running session (not only after a restart) the failed reply must stop looking
    like it is still being written, and the state must leave "generating"."""
    long_reply = " ".join(f"token{i}" for i in range(30_000))
    core = make_core(replies=["short first answer", long_reply])
    cid = core.chats.create_conversation()
    _run(core.session.send(cid, "earlier message", CancelToken()))
    _fill_disk(core, spare_pages=2)

    events = _run(core.session.send(cid, "now write a lot", CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["storage"]
    states = [e.state for e in of_type(events, StatusChanged)]
    assert states and states[-1] != "generating", f"state left at {states[-1:]}"
    reply = core.chats.message(failed[0].message_id)
    assert reply is not None and reply.status != "streaming"
