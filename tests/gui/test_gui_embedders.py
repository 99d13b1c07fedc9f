"""Models → Search model: the suggestion line (once), a download from a real local server with
progress, Use for search starting the background switch with its progress, and Cancel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.models.embedder_download import download_embedder
from tests.support.embedder_standin import STANDIN_ID
from ui.models.embedder_tab import EmbedderTab

if TYPE_CHECKING:
    from assistant.engine.base import CancelToken
    from assistant.models.embedder_catalog import EmbedderEntry
    from tests.support.embedder_standin import FolderServer

pytestmark = pytest.mark.gui
LOCAL: dict[str, Any] = {"allow_insecure_localhost": True, "retries": 0}


@pytest.fixture
def core(assistant_home: Path) -> Iterator[Core]:
    core = Core.open(engine=ScriptedEngine())
    cid = core.chats.create_conversation()
    for text in ("大模型微调方法有很多种。", "明天上午十点开周会。", "请把报告发给王经理。"):
        core.chats.add_message(cid, "user", text)
    yield core
    core.close()


def test_suggestion_is_shown_once(core: Core, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = EmbedderTab(core.memory, "en_US")  # mostly Chinese text: suggested
    qtbot.addWidget(tab)
    assert not tab.suggestion.isHidden() and core.memory.settings.multilingual_suggested
    again = EmbedderTab(core.memory, "zh_CN")
    qtbot.addWidget(again)
    assert again.suggestion.isHidden()


def test_download_then_use_starts_the_background_switch(
    core: Core, qtbot, standin_server: FolderServer, standin_catalog: EmbedderEntry  # type: ignore[no-untyped-def]
) -> None:
    def local(entry: EmbedderEntry, cancel: CancelToken) -> Iterator[Any]:
        return download_embedder(replace(entry, base_url=standin_server.base), cancel, **LOCAL)

    tab = EmbedderTab(core.memory, "en_US", local)
    qtbot.addWidget(tab)
    row = tab.rows[STANDIN_ID]
    assert row.state == "idle" and tab.rows["all-minilm-l6-v2"].state == "active"
    row.button.click()
    assert row.state == "running"
    qtbot.waitUntil(lambda: row.state == "ready", timeout=30_000)
    assert "SHA-256" in row.status.text()
    row.button.click()  # Use for search: the switch is recorded; search keeps the old model
    assert core.memory.settings.embedding_next == STANDIN_ID and core.memory.settings.embedding_model == ""
    assert not tab.switch_box.isHidden() and row.state == "switching"
    assert "0 of 3" in tab.switch_label.text()
    tab.cancel_switch()
    assert tab.switch_box.isHidden() and row.state == "ready"
    assert core.memory.settings.embedding_next == ""
