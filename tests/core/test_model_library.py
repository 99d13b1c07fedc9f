"""The model library: header facts without loading weights, add/remove, per-model defaults."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings, starter_model_path
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.models.library import ModelLibraryError, models_dir


@pytest.fixture
def core(tmp_path: Path):
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "a.db")
    yield core
    core.close()


def test_lists_the_starter_model_with_its_header_facts(core: Core) -> None:
    [info] = core.models.list()
    assert info.source == "starter" and not info.error
    assert info.architecture == "llama" and info.quantization == "Q4_1"
    assert info.context_length == 8192 and info.has_chat_template
    assert info.parameters_label == "135M"


def test_add_remember_and_remove_keeps_the_users_file(core: Core, tmp_path: Path) -> None:
    copy = tmp_path / "mine.gguf"
    shutil.copy(starter_model_path(), copy)
    core.models.add(copy)
    assert copy in [m.path for m in core.models.list()]
    message = core.models.remove(copy)
    assert "kept" in message and copy.exists()
    assert copy not in [m.path for m in core.models.list()]


def test_downloaded_models_are_deleted_on_remove(core: Core) -> None:
    folder = models_dir()
    folder.mkdir(parents=True)
    target = folder / "down.gguf"
    shutil.copy(starter_model_path(), target)
    assert target.resolve() in [m.path.resolve() for m in core.models.list()]
    assert "Deleted" in core.models.remove(target)
    assert not target.exists()


@pytest.mark.parametrize("name", ["weights.bin", "model.pt", "model.pth", "x.pkl"])
def test_pickle_formats_are_refused(core: Core, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(ModelLibraryError, match="pickle"):
        core.models.add(path)


def test_damaged_file_cannot_be_added(core: Core, tmp_path: Path) -> None:
    path = tmp_path / "half.gguf"
    path.write_bytes(starter_model_path().read_bytes()[:1_000_000])
    with pytest.raises(ModelLibraryError, match="truncated"):
        core.models.add(path)


def test_starter_cannot_be_removed(core: Core) -> None:
    with pytest.raises(ModelLibraryError):
        core.models.remove(starter_model_path())


def test_per_model_defaults_apply_only_to_that_model(core: Core, tmp_path: Path) -> None:
    starter = starter_model_path()
    core.settings = Settings(temperature=0.7, n_ctx=4096)
    core.models.set_defaults(starter, {"temperature": 0.1, "n_ctx": 1024, "bogus": 1})
    effective = core.effective_settings()
    assert effective.temperature == 0.1 and effective.n_ctx == 1024
    other = tmp_path / "other.gguf"
    shutil.copy(starter, other)
    core.settings = Settings(model_path=str(other), temperature=0.7, n_ctx=4096)
    assert core.effective_settings().temperature == 0.7


def test_cli_list_and_info(tmp_path: Path) -> None:
    env_home = {"ASSISTANT_HOME": str(tmp_path)}
    import os

    env = dict(os.environ, **env_home)
    listed = subprocess.run([sys.executable, "-m", "assistant", "models", "list"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "SmolLM2-135M-Instruct" in listed.stdout and "Q4_1" in listed.stdout
    bad = tmp_path / "bad.gguf"
    bad.write_text("nope")
    info = subprocess.run([sys.executable, "-m", "assistant", "models", "info", str(bad)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert info.returncode == 1 and "not a GGUF" in info.stderr and "Traceback" not in info.stderr
