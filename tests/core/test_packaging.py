"""Fast checks of the installer recipes (packaging/, resources/ desktop files, CI workflow).

Building the bundle takes minutes and installing it needs root, so those are separate targets
(packaging/build-linux.sh, packaging/test-install-debian.sh). These tests only make sure the
recipes are well-formed and agree with each other.
"""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import assistant

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
DESKTOP = ROOT / "resources" / "assistant.desktop"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def test_desktop_entry_is_valid() -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_entry_launches_the_installed_command() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "assistant"
    # The icon name and the WM class match QGuiApplication.setDesktopFileName("offline-assistant").
    assert section["Icon"] == "offline-assistant"
    assert section["StartupWMClass"] == "offline-assistant"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_sizes(size: int) -> None:
    assert _png_size(ICONS / f"offline-assistant-{size}.png") == (size, size)


def test_icon_svg_and_ico() -> None:
    root = ET.parse(ICONS / "offline-assistant.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 512 512"
    ico = (ICONS / "offline-assistant.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and struct.unpack("<H", ico[4:6])[0] >= 5


def test_launcher_calls_freeze_support_first() -> None:
    tree = ast.parse((PACKAGING / "launcher.py").read_text())
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    first = main.body[0]
    assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
    assert ast.unparse(first.value) == "multiprocessing.freeze_support()"


def test_spec_bundles_what_is_imported_by_name() -> None:
    """ijson, keyring and uvicorn choose modules from strings at run time; PyInstaller's
    analysis cannot see those, so the spec names them (and must not exclude uvicorn)."""
    tree = ast.parse((PACKAGING / "assistant.spec").read_text())
    values: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
    hidden, excluded = values["hiddenimports"], values["excludes"]
    for name in ("ijson.backends.yajl2_c", "ijson.backends.python", "keyring.backends.SecretService",
                 "uvicorn.loops.auto", "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.off"):
        assert name in hidden, name
    assert "uvicorn" not in excluded and "starlette" not in excluded


def test_spec_and_hook_compile() -> None:
    for path in (PACKAGING / "assistant.spec", PACKAGING / "hooks" / "hook-llama_cpp.py"):
        compile(path.read_text(), str(path), "exec")
    spec = (PACKAGING / "assistant.spec").read_text()
    assert '"launcher.py"' in spec and "hookspath" in spec and '"models"' in spec


def test_llama_cpp_hook_collects_the_shared_libraries() -> None:
    pytest.importorskip("PyInstaller")
    pytest.importorskip("llama_cpp")
    namespace: dict[str, object] = {}
    hook = PACKAGING / "hooks" / "hook-llama_cpp.py"
    exec(compile(hook.read_text(), str(hook), "exec"), namespace)
    binaries = namespace["binaries"]
    assert isinstance(binaries, list)
    names = {Path(src).name for src, dest in binaries if dest == "llama_cpp/lib"}
    assert any(re.match(r"(lib)?llama\.(so|dll|dylib)$", n) for n in names), names
    assert not any(re.search(r"\.so\.\d+\.\d+", n) for n in names), "fully versioned duplicates"


def test_api_hook_names_the_lazily_imported_server() -> None:
    """The hook's hidden imports must exist, and be the module assistant.api imports by name."""
    import importlib.util

    namespace: dict[str, object] = {}
    hook = PACKAGING / "hooks" / "hook-assistant.api.py"
    exec(compile(hook.read_text(), str(hook), "exec"), namespace)
    hidden = namespace["hiddenimports"]
    assert isinstance(hidden, list) and hidden
    for name in hidden:
        assert importlib.util.find_spec(name) is not None, name
    api_init = (ROOT / "assistant" / "api" / "__init__.py").read_text()
    lazy = re.findall(r'import_module\("([\w.]+)"\)', api_init)
    assert set(lazy) <= set(hidden), lazy


def test_shell_scripts_parse() -> None:
    scripts = [*PACKAGING.glob("*.sh"), *PACKAGING.glob("*/*.sh"), PACKAGING / "debian" / "postrm"]
    for script in scripts:
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"
        assert script.stat().st_mode & 0o111, f"{script.name} is not executable"


def test_postrm_never_touches_user_data() -> None:
    code = [
        line for line in (PACKAGING / "debian" / "postrm").read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    body = "\n".join(code)
    for forbidden in ("HOME", "/home", ".local", ".config", "/root", "userdel"):
        assert forbidden not in body
    assert "/opt/offline-assistant" in body


def test_deb_version_and_depends() -> None:
    script = (PACKAGING / "build-linux.sh").read_text()
    pattern = re.search(r"sed -n '(s/[^']*)' assistant/__init__.py", script)
    assert pattern is not None
    result = subprocess.run(
        ["sed", "-n", pattern.group(1), str(ROOT / "assistant" / "__init__.py")],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.strip() == assistant.__version__
    depends = [
        token for line in (PACKAGING / "debian" / "depends.txt").read_text().splitlines()
        if not line.startswith("#") for token in re.sub(r"\([^)]*\)", "", line).split()
    ]
    assert depends and all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", name) for name in depends)
    for needed in ("libgl1", "libegl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libfontconfig1"):
        assert needed in depends


def test_inno_setup_script() -> None:
    iss = (PACKAGING / "windows" / "assistant.iss").read_text()
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}", iss, re.M), "a fixed AppId keeps upgrades in place"
    assert "PrivilegesRequired=lowest" in iss
    assert "..\\..\\resources\\icons\\offline-assistant.ico" in iss


def test_workflow_pins_actions_by_major_version() -> None:
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text()
    uses = re.findall(r"uses:\s*(\S+)", workflow)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", u) for u in uses), uses
    for runner in ("ubuntu-22.04", "windows-latest", "macos-latest"):
        assert f"runs-on: {runner}" in workflow
    yaml = pytest.importorskip("yaml")
    assert set(yaml.safe_load(workflow)["jobs"]) == {"linux", "windows", "macos"}
