"""The core never imports Qt, and the app's parent process never imports llama_cpp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
QT_MODULES = ("PySide6", "shiboken6")
# Modules loaded in the app's own process: llama_cpp belongs in the engine's child only.
PARENT_PROCESS_MODULES = ("assistant.cli", "assistant.core", "assistant.engine.local")

_WALK_SCRIPT = r"""
import importlib, json, pkgutil, sys, traceback

WATCH = tuple(sys.argv[1].split(","))

def watched():
    return {m for m in sys.modules if m.partition(".")[0] in WATCH}

import assistant
report = {"modules": [], "errors": {}, "pulled_in": {}}
walk_errors = {}
for info in pkgutil.walk_packages(assistant.__path__, "assistant.",
                                  onerror=lambda name: walk_errors.setdefault(name, "walk")):
    before = watched()
    try:
        importlib.import_module(info.name)
    except BaseException:
        report["errors"][info.name] = traceback.format_exc(limit=3)
    new = sorted(watched() - before)
    if new:
        report["pulled_in"][info.name] = new
    report["modules"].append(info.name)
for name in walk_errors:
    report["errors"].setdefault(name, "could not be imported while walking packages")
report["loaded_at_end"] = sorted(watched())
print(json.dumps(report))
"""

_ONE_MODULE_SCRIPT = r"""
import importlib, json, sys
WATCH = tuple(sys.argv[2].split(","))
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.partition(".")[0] in WATCH)))
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )


def test_no_core_module_imports_qt() -> None:
    result = _run(_WALK_SCRIPT, ",".join(QT_MODULES))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    # Not vacuous: the walk reached the core we know about.
    expected = {
        "assistant.config",
        "assistant.events",
        "assistant.core",
        "assistant.store.db",
        "assistant.store.migrations",
        "assistant.store.chats",
        "assistant.chat.session",
        "assistant.engine.base",
        "assistant.engine.fake",
    }
    assert expected <= set(report["modules"])
    on_disk = {
        ".".join(p.relative_to(REPO_ROOT).with_suffix("").parts)
        for p in (REPO_ROOT / "assistant").rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts and (p.parent / "__init__.py").exists()
    }
    assert on_disk <= set(report["modules"]), f"not walked: {sorted(on_disk - set(report['modules']))}"

    assert report["pulled_in"] == {}, f"core modules that import Qt: {report['pulled_in']}"
    assert report["loaded_at_end"] == []
    assert report["errors"] == {}, "modules that fail to import:\n" + "\n".join(
        f"{name}: {err}" for name, err in report["errors"].items()
    )


@pytest.mark.parametrize("module", PARENT_PROCESS_MODULES)
def test_parent_process_modules_do_not_import_llama_cpp(module: str) -> None:
    relative = Path(*module.split("."))
    if (
        not (REPO_ROOT / relative.with_suffix(".py")).exists()
        and not (REPO_ROOT / relative / "__init__.py").exists()
    ):
        pytest.skip(f"{module} is not written yet ({relative}.py does not exist)")
    result = _run(_ONE_MODULE_SCRIPT, module, ",".join(("llama_cpp", *QT_MODULES)))
    assert result.returncode == 0, f"importing {module} failed:\n{result.stderr}"
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing {module} loaded {loaded}"
