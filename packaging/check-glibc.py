#!/usr/bin/env python3
"""Does the package's ``Depends:`` cover the C library versions its bundle really needs?

    packaging/check-glibc.py dist/offline-assistant --deb dist/offline-assistant_<v>_amd64.deb
    packaging/check-glibc.py dist/offline-assistant --depends "libc6 (>= 2.34), libstdc++6 (>= 12)"
    packaging/check-glibc.py dist/offline-assistant            (report only, no check)

Reads every ELF file of the bundle (any file that starts with ``\\x7fELF``, whatever its
name), takes its version needs (the ``.gnu.version_r`` section: "libc.so.6 needs GLIBC_2.34")
and keeps those that the *system* must meet: a need on a library that the bundle carries
itself (Qt, torch, ...) is met by the bundle. Then:

- ``GLIBC_x.y`` on libc/libm/libpthread/libdl/librt/ld-linux... -> ``libc6 (>= x.y)``;
- ``GLIBCXX_3.4.n`` / ``CXXABI_1.3.n`` on libstdc++.so.6 -> ``libstdc++6 (>= gcc version)``
  (unless the bundle carries its own libstdc++.so.6);
- ``GCC_x.y.z`` on libgcc_s.so.1 -> ``libgcc-s1 (>= x)`` (same).

Exit status 1 when a Depends entry is missing or too low for what the bundle needs, or when a
version is newer than this script's tables know (update the tables, do not guess). ``--json``
writes the highest versions and the files that need them (docs/BENCHMARKS.md quotes it).
Pure Python (no pyelftools, no binutils), so it runs on the build host and in a bare chroot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NEEDED = 1

# The sonames of glibc itself: their GLIBC_ versions are the libc6 package's version.
GLIBC_SONAMES = {
    "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
    "libresolv.so.2", "libanl.so.1", "libnsl.so.1", "libcrypt.so.1", "libmvec.so.1",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld-linux.so.2", "libBrokenLocale.so.1",
}
# libstdc++ symbol versions -> the first GCC release that provides them (the libstdc++
# manual's ABI page; checked against Debian 12's libstdc++6 12.2: GLIBCXX_3.4.30, CXXABI_1.3.13).
GLIBCXX_GCC = {
    19: "4.8.3", 20: "4.9", 21: "5.1", 22: "6.1", 23: "7.1", 24: "7.2", 25: "8.1", 26: "9.1",
    27: "9.2", 28: "9.3", 29: "11.1", 30: "12.1", 31: "13.1", 32: "13.2", 33: "14.1", 34: "15.1",
}
CXXABI_GCC = {7: "4.8", 8: "4.9", 9: "5.1", 10: "6.1", 11: "7.1", 12: "9.1", 13: "11.1"}
# Debian packages of those libraries (Debian 11 and 12 names).
PKG_LIBC, PKG_STDCXX, PKG_GCC = "libc6", "libstdc++6", "libgcc-s1"


def vkey(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


@dataclass
class ElfInfo:
    path: str
    needed: list[str] = field(default_factory=list)  # DT_NEEDED sonames
    versions: dict[str, set[str]] = field(default_factory=dict)  # soname -> version names


def read_elf(path: Path) -> ElfInfo | None:
    """DT_NEEDED and version needs of one ELF file; None when it is not ELF (or is malformed)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return None
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    try:
        if is64:
            shoff, = struct.unpack_from(end + "Q", data, 0x28)
            shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
            sh_fmt = end + "IIQQQQIIQQ"
        else:
            shoff, = struct.unpack_from(end + "I", data, 0x20)
            shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
            sh_fmt = end + "IIIIIIIIII"
        sections = [struct.unpack_from(sh_fmt, data, shoff + i * shentsize) for i in range(shnum)]
    except struct.error:
        return None

    def strtab(index: int):  # type: ignore[no-untyped-def]
        _, _, _, _, off, size, *_ = sections[index]
        blob = data[off:off + size]

        def at(pos: int) -> str:
            stop = blob.find(b"\0", pos)
            return blob[pos:stop if stop >= 0 else len(blob)].decode("utf-8", "replace")

        return at

    info = ElfInfo(str(path))
    try:
        for _, sh_type, _, _, off, size, link, _, _, _ in sections:
            if sh_type == SHT_DYNAMIC:
                name = strtab(link)
                fmt, step = (end + "qQ", 16) if is64 else (end + "iI", 8)
                for pos in range(off, off + size - step + 1, step):
                    tag, val = struct.unpack_from(fmt, data, pos)
                    if tag == 0:
                        break
                    if tag == DT_NEEDED:
                        info.needed.append(name(val))
            elif sh_type == SHT_GNU_VERNEED:
                name = strtab(link)
                pos = off
                while True:  # Elf_Verneed: vn_version vn_cnt vn_file vn_aux vn_next
                    _, cnt, file_, aux, nxt = struct.unpack_from(end + "HHIII", data, pos)
                    soname = name(file_)
                    apos = pos + aux
                    for _ in range(cnt):  # Elf_Vernaux: hash flags other name next
                        _, _, _, vname, anext = struct.unpack_from(end + "IHHII", data, apos)
                        info.versions.setdefault(soname, set()).add(name(vname))
                        if not anext:
                            break
                        apos += anext
                    if not nxt:
                        break
                    pos += nxt
    except (struct.error, IndexError):
        return None
    return info


def scan(bundle: Path) -> list[ElfInfo]:
    found = []
    for dirpath, _, files in os.walk(bundle):
        for name in sorted(files):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            info = read_elf(path)
            if info is not None:
                info.path = str(path.relative_to(bundle))
                found.append(info)
    return found


def glibcxx_gcc(version: str) -> str | None:
    if m := re.fullmatch(r"GLIBCXX_3\.4(?:\.(\d+))?", version):
        n = int(m.group(1) or 0)
        return "4.1" if n < 19 else GLIBCXX_GCC.get(n)
    if m := re.fullmatch(r"CXXABI_1\.3(?:\.(\d+))?", version):
        n = int(m.group(1) or 0)
        return "4.1" if n < 7 else CXXABI_GCC.get(n)
    if version.startswith(("CXXABI_TM_", "CXXABI_FLOAT128", "GLIBCXX_LDBL", "GLIBCXX_IEEE")):
        return "4.1"  # variants present in every libstdc++6 still shipped
    return None


def requirements(infos: list[ElfInfo]) -> dict:
    """What the system must provide: {package: {"min": version, "by": [(file, symver)...]}}
    plus the version names this script does not know (an error)."""
    bundled = {Path(i.path).name for i in infos}
    need: dict[str, dict] = {}
    unknown: list[tuple[str, str]] = []
    private: list[tuple[str, str]] = []

    def add(pkg: str, version: str, file: str, symver: str) -> None:
        entry = need.setdefault(pkg, {"min": "0", "by": []})
        if vkey(version) > vkey(entry["min"]):
            entry["min"], entry["by"] = version, []
        if vkey(version) == vkey(entry["min"]):
            entry["by"].append((file, symver))

    for info in infos:
        for soname, versions in info.versions.items():
            if soname in bundled:
                continue  # met by the bundle's own copy
            for v in versions:
                if soname in GLIBC_SONAMES:
                    if v == "GLIBC_PRIVATE":
                        private.append((info.path, soname))
                    elif m := re.fullmatch(r"GLIBC_(\d+(?:\.\d+)+)", v):
                        add(PKG_LIBC, m.group(1), info.path, f"{soname} {v}")
                elif soname == "libstdc++.so.6":
                    gcc = glibcxx_gcc(v)
                    if gcc is None:
                        unknown.append((info.path, v))
                    else:
                        add(PKG_STDCXX, gcc, info.path, v)
                elif soname == "libgcc_s.so.1":
                    if m := re.fullmatch(r"GCC_(\d+(?:\.\d+)*)", v):
                        add(PKG_GCC, m.group(1), info.path, v)
    for entry in need.values():
        entry["by"] = sorted(set(entry["by"]))
    return {"need": need, "unknown": sorted(set(unknown)), "glibc_private": sorted(set(private))}


def parse_depends(text: str) -> dict[str, str | None]:
    """``libc6 (>= 2.34), libgl1 | libgl1-mesa-glx`` -> {"libc6": "2.34", "libgl1": None, ...}
    (only ``>=`` lower bounds matter here; an alternative counts as its first package)."""
    result: dict[str, str | None] = {}
    for clause in filter(None, (c.strip() for c in text.replace("\n", " ").split(","))):
        first = clause.split("|")[0].strip()
        m = re.fullmatch(r"([a-z0-9][a-z0-9.+-]*)(?::\w+)?\s*(?:\(\s*(>=|>>|=)\s*([^)\s]+)\s*\))?", first)
        if m:
            result[m.group(1)] = m.group(3)
    return result


def upstream(debian_version: str) -> str:
    """``1:12.2.0-14+deb12u1`` -> ``12.2.0`` (epoch and Debian revision dropped)."""
    return debian_version.split(":", 1)[-1].rsplit("-", 1)[0]


def check(req: dict, depends: dict[str, str | None]) -> list[str]:
    problems = []
    for pkg, entry in sorted(req["need"].items()):
        have = depends.get(pkg)
        example = ", ".join(f"{f} ({s})" for f, s in entry["by"][:3])
        if pkg not in depends:
            problems.append(f"Depends lacks {pkg} (>= {entry['min']}), needed by {example}")
        elif not have or vkey(upstream(have)) < vkey(entry["min"]):
            problems.append(
                f"Depends has {pkg} {'(>= ' + have + ')' if have else 'unversioned'} but the bundle "
                f"needs {pkg} (>= {entry['min']}): {example}"
            )
    for path, v in req["unknown"]:
        problems.append(f"{path}: {v} is newer than this script's table (update GLIBCXX_GCC/CXXABI_GCC)")
    return problems


def deb_depends(deb: Path) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True,
                          check=True).stdout


def control_depends(control: Path) -> str:
    text = control.read_text()
    m = re.search(r"^Depends:(.*(?:\n[ \t].*)*)", text, re.M)
    return m.group(1) if m else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder (dist/offline-assistant)")
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--deb", type=Path, help="read Depends from this .deb")
    src.add_argument("--control", type=Path, help="read Depends from this DEBIAN/control file")
    src.add_argument("--depends", help="the Depends value itself")
    parser.add_argument("--json", type=Path, help="write the findings here")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file at the top version")
    args = parser.parse_args(argv)

    infos = scan(args.bundle)
    if not infos:
        print(f"no ELF files under {args.bundle}", file=sys.stderr)
        return 2
    req = requirements(infos)
    print(f"{len(infos)} ELF files in {args.bundle}")
    for pkg, entry in sorted(req["need"].items()):
        shown = entry["by"] if args.verbose else entry["by"][:4]
        more = len(entry["by"]) - len(shown)
        print(f"  {pkg} (>= {entry['min']}) needed by: " + ", ".join(f"{f} [{s}]" for f, s in shown)
              + (f" and {more} more" if more > 0 else ""))
    for path, soname in req["glibc_private"]:
        print(f"  warning: {path} needs GLIBC_PRIVATE of {soname} (breaks on any other glibc build)")
    if args.json:
        args.json.write_text(json.dumps({
            "elf_files": len(infos),
            "needs": {p: {"min": e["min"], "by": [list(x) for x in e["by"]]} for p, e in req["need"].items()},
            "glibc_private": [list(x) for x in req["glibc_private"]],
        }, indent=1))
    text = (deb_depends(args.deb) if args.deb else control_depends(args.control) if args.control
            else args.depends)
    if text is None:
        return 1 if req["unknown"] else 0
    problems = check(req, parse_depends(text))
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print("OK: Depends covers every C/C++ runtime version the bundle needs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
