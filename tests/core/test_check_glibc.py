"""packaging/check-glibc.py on small synthetic bundles (hand-made ELF files, no compiler).

Each fake library has a .dynstr, a .dynamic with DT_NEEDED entries and a .gnu.version_r
section, which is all the checker reads: enough to say "needs libc.so.6 GLIBC_2.34".
"""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_glibc", ROOT / "packaging" / "check-glibc.py")
assert _spec and _spec.loader
check_glibc = importlib.util.module_from_spec(_spec)
sys.modules["check_glibc"] = check_glibc
_spec.loader.exec_module(check_glibc)


def fake_elf(needs: dict[str, list[str]]) -> bytes:
    """An ELF64 little-endian shared object whose only content is its version needs."""
    strtab = bytearray(b"\0")

    def s(text: str) -> int:
        pos = len(strtab)
        strtab.extend(text.encode() + b"\0")
        return pos

    dynamic = b"".join(struct.pack("<qQ", 1, s(lib)) for lib in needs) + struct.pack("<qQ", 0, 0)
    verneed = bytearray()
    libs = list(needs.items())
    for i, (lib, versions) in enumerate(libs):
        last = i == len(libs) - 1
        size = 16 + 16 * len(versions)
        verneed += struct.pack("<HHIII", 1, len(versions), s(lib), 16, 0 if last else size)
        for j, version in enumerate(versions):
            verneed += struct.pack("<IHHII", 0, 0, j + 2, s(version), 0 if j == len(versions) - 1 else 16)
    body = bytes(strtab) + dynamic + bytes(verneed)
    o_str, o_dyn, o_ver = 64, 64 + len(strtab), 64 + len(strtab) + len(dynamic)
    shoff = 64 + len(body)
    shoff += -shoff % 8
    sections = [
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        (0, 3, 0, 0, o_str, len(strtab), 0, 0, 1, 0),  # .dynstr
        (0, 6, 0, 0, o_dyn, len(dynamic), 1, 0, 8, 16),  # .dynamic -> .dynstr
        (0, 0x6FFFFFFE, 0, 0, o_ver, len(verneed), 1, len(libs), 4, 0),  # .gnu.version_r
    ]
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) + struct.pack(
        "<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, len(sections), 0
    )
    data = header + body + bytes(shoff - 64 - len(body))
    return data + b"".join(struct.pack("<IIQQQQIIQQ", *sec) for sec in sections)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    (root / "_internal" / "sub").mkdir(parents=True)
    (root / "assistant").write_bytes(fake_elf({"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.17"]}))
    (root / "_internal" / "libbundled.so.1").write_bytes(fake_elf({"libc.so.6": ["GLIBC_2.28"]}))
    # Named like a data file: the checker goes by the ELF magic, not by the name.
    (root / "_internal" / "sub" / "engine.bin").write_bytes(fake_elf({
        "libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.34"], "libm.so.6": ["GLIBC_2.29"],
        "libstdc++.so.6": ["GLIBCXX_3.4", "GLIBCXX_3.4.30", "CXXABI_1.3.13"],
        "libgcc_s.so.1": ["GCC_3.0"], "libbundled.so.1": ["BUNDLED_9.9"],
    }))
    (root / "_internal" / "notes.txt").write_text("not an ELF file")
    return root


def run(bundle: Path, depends: str) -> int:
    return check_glibc.main([str(bundle), "--depends", depends])


def test_reads_version_needs(bundle: Path) -> None:
    info = check_glibc.read_elf(bundle / "_internal" / "sub" / "engine.bin")
    assert info is not None
    assert info.needed == ["libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libbundled.so.1"]
    assert info.versions["libstdc++.so.6"] == {"GLIBCXX_3.4", "GLIBCXX_3.4.30", "CXXABI_1.3.13"}
    assert check_glibc.read_elf(bundle / "_internal" / "notes.txt") is None


def test_highest_versions(bundle: Path) -> None:
    req = check_glibc.requirements(check_glibc.scan(bundle))
    need = req["need"]
    assert need["libc6"]["min"] == "2.34"
    assert need["libc6"]["by"] == [("_internal/sub/engine.bin", "libc.so.6 GLIBC_2.34")]
    assert need["libstdc++6"]["min"] == "12.1"  # GLIBCXX_3.4.30 arrived with GCC 12
    assert need["libgcc-s1"]["min"] == "3.0"
    assert not req["unknown"]


def test_depends_must_cover_glibc(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(bundle, "libc6 (>= 2.31), libstdc++6 (>= 12), libgcc-s1 (>= 3.0)") == 1
    assert "libc6 (>= 2.34)" in capsys.readouterr().err
    assert run(bundle, "libc6 (>= 2.34), libstdc++6 (>= 12.2), libgcc-s1 (>= 3.0), libgl1") == 0


def test_unversioned_or_missing_runtime_fails(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(bundle, "libc6, libstdc++6 (>= 12.2), libgcc-s1") == 1
    err = capsys.readouterr().err
    assert "libc6 unversioned" in err and "libgcc-s1 unversioned" in err
    assert run(bundle, "libc6 (>= 2.36), libgcc-s1 (>= 1:12)") == 1
    assert "Depends lacks libstdc++6" in capsys.readouterr().err


def test_a_bundled_libstdcxx_meets_its_own_needs(bundle: Path) -> None:
    (bundle / "_internal" / "libstdc++.so.6").write_bytes(fake_elf({"libc.so.6": ["GLIBC_2.36"]}))
    (bundle / "_internal" / "libgcc_s.so.1").write_bytes(fake_elf({"libc.so.6": ["GLIBC_2.14"]}))
    req = check_glibc.requirements(check_glibc.scan(bundle))
    assert set(req["need"]) == {"libc6"}
    assert req["need"]["libc6"]["min"] == "2.36"  # but the copy itself needs a newer glibc
    assert run(bundle, "libc6 (>= 2.34)") == 1
    assert run(bundle, "libc6 (>= 2.36)") == 0


def test_unknown_libstdcxx_version_fails(bundle: Path) -> None:
    (bundle / "future.so").write_bytes(fake_elf({"libstdc++.so.6": ["GLIBCXX_3.4.99"]}))
    assert run(bundle, "libc6 (>= 2.34), libstdc++6 (>= 99), libgcc-s1 (>= 3)") == 1


def test_depends_parsing() -> None:
    text = "libc6 (>= 2.34),\n libgl1 | libgl1-mesa-glx, libstdc++6:amd64 (>= 12)"
    parsed = check_glibc.parse_depends(text)
    assert parsed == {"libc6": "2.34", "libgl1": None, "libstdc++6": "12"}
    assert check_glibc.upstream("1:12.2.0-14+deb12u1") == "12.2.0"


def test_real_elf_file_if_present() -> None:
    """The host's own Python executable parses, and needs some glibc version."""
    exe = Path(sys.executable).resolve()
    info = check_glibc.read_elf(exe)
    if info is None:
        pytest.skip("the Python executable is not ELF here")
    assert "libc.so.6" in info.versions or info.needed
