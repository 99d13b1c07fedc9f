"""``assistant models embedders``: list, download (from the local stand-in server), use --wait
with the real models, and the refusals."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant import cli_embedders
from assistant.cli import build_parser
from assistant.core import Core
from tests.support.embedder_standin import STANDIN_ID, STANDIN_MODEL_ID

if TYPE_CHECKING:
    from assistant.models.embedder_catalog import EmbedderEntry



def cli(core: Core, *argv: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(["models", "embedders", *argv])
    out, err = io.StringIO(), io.StringIO()
    return cli_embedders.run(core, args, out, err), out.getvalue(), err.getvalue()


def test_list_and_refusals(make_core: Callable[..., Core]) -> None:
    core = make_core()
    code, out, _ = cli(core, "list")
    assert code == 0
    assert out.splitlines()[0].startswith("* all-minilm-l6-v2") and "bundled" in out
    assert "multilingual-e5-small" in out and "many languages" in out
    code, _, err = cli(core, "use", "multilingual-e5-small")
    assert code == 1 and "not downloaded" in err
    code, _, err = cli(core, "download", "no-such-model")
    assert code == 1 and "no-such-model" in err


def test_download_then_use_wait_switches_with_real_models(
    make_core: Callable[..., Core], standin_catalog: EmbedderEntry
) -> None:
    core = make_core()
    cid = core.chats.create_conversation()
    for text in ("The boiler is serviced every October.", "周五下午开会讨论预算。"):
        core.chats.add_message(cid, "user", text)
    out, err = io.StringIO(), io.StringIO()
    assert cli_embedders.download(standin_catalog, out, err, allow_insecure_localhost=True, retries=0) == 0
    assert "is ready" in out.getvalue() and "SHA-256" in out.getvalue()
    code, out_text, _ = cli(core, "use", STANDIN_ID, "--wait")
    assert code == 0 and "Search now uses" in out_text
    assert core.memory.embedder is not None and core.memory.embedder.model_id == STANDIN_MODEL_ID
    models = core.database.db.execute("select distinct model from embeddings").fetchall()
    assert [m[0] for m in models] == [STANDIN_MODEL_ID]
    hits = core.memory.search("boiler service", k=1)
    assert [h.text for h in hits] == ["The boiler is serviced every October."]
    code, out_text, _ = cli(core, "list")
    assert any(line.startswith(f"* {STANDIN_ID}") for line in out_text.splitlines())
