"""`assistant search` answers from the keyword index at once (issue 10, item 4): the process
never imports the embedding model's libraries, the GGUF reader, the downloaders or the indexer.
Checked by what the process has imported (deterministic), not by a clock on a shared machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Never needed to print keyword results: the embedder stack, the model process and what only
#: other commands use (each of these once cost a search 0.1-6 s of imports).
NOT_FOR_A_KEYWORD_SEARCH = (
    "torch",
    "sentence_transformers",
    "transformers",
    "llama_cpp",
    "gguf",
    "assistant.knowledge.indexer",
    "assistant.models.download",
    "assistant.models.embedder_download",
    "assistant.engine.openai_http",
    "assistant.cli_download",
)

_SEARCH = r"""
import json, sys
from assistant.cli import main
status = main(["search", *sys.argv[1:]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("query", ["大模型用QLoRA微调", "fine-tuning notes"])
def test_a_keyword_search_imports_nothing_it_does_not_use(tmp_path: Path, query: str) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH, query], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 1  # a new, empty profile: "Nothing found."
    modules = set(report["modules"])
    assert "assistant.memory.search" in modules  # not vacuous: the search ran
    loaded = {m for m in modules if m.split(".")[0] in {"torch", "transformers"}} | (
        modules & set(NOT_FOR_A_KEYWORD_SEARCH)
    )
    assert not loaded
