#!/usr/bin/env python3
"""Joins the runtime and a squashfs image into an AppImage, recording the image's checksums.

    packaging/appimage/assemble.py RUNTIME IMAGE.squashfs OUT.AppImage

Squashfs has no checksums, and squashfuse trusts the image's tables, so the runtime
(packaging/appimage/image.c) checks the image against two CRC-32s that this script writes into
the runtime's `.oa_image_check` section: one of the superblock and the tables after the data
(checked at every start) and one of the whole image (checked before extracting it and by
--appimage-check). Standard library only.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import zlib
from pathlib import Path

SECTION = b".oa_image_check"
MAGIC = b"OAIMGCK1"
SUPERBLOCK = struct.Struct("<IIIIIHHHHHHQQQQQQQQ")  # squashfs 4.0, 96 bytes
CHUNK = 1 << 20


def elf_layout(elf: bytes) -> tuple[int, dict[bytes, tuple[int, int]]]:
    """The end of the ELF file as its headers describe it, and each section's (offset, size)."""
    if elf[:4] != b"\x7fELF":
        raise SystemExit("the runtime is not an ELF file")
    is64, order = elf[4] == 2, "<" if elf[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(order + "Q", elf, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", elf, 0x3A)
        entry = order + "IIQQQQ"
    else:
        shoff, = struct.unpack_from(order + "I", elf, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", elf, 0x2E)
        entry = order + "IIIIII"
    headers = [struct.unpack_from(entry, elf, shoff + i * shentsize) for i in range(shnum)]
    names_at = headers[shstrndx][4]
    sections = {}
    for name_index, _type, _flags, _addr, offset, size in headers:
        start = names_at + name_index
        sections[elf[start:elf.index(b"\0", start)]] = (offset, size)
    return shoff + shnum * shentsize, sections


def image_checksums(image: Path) -> tuple[int, int, int]:
    """(length, CRC-32 of the whole image, CRC-32 of its superblock and tables)."""
    with image.open("rb") as f:
        superblock = f.read(SUPERBLOCK.size)
        fields = SUPERBLOCK.unpack(superblock)
        if fields[0] != 0x73717368:
            raise SystemExit(f"{image} is not a squashfs image")
        bytes_used, inode_table_start = fields[12], fields[15]
        f.seek(inode_table_start)
        tables = zlib.crc32(f.read(bytes_used - inode_table_start), zlib.crc32(superblock))
        f.seek(0)
        whole = 0
        while chunk := f.read(CHUNK):
            whole = zlib.crc32(chunk, whole)
    return image.stat().st_size, whole, tables


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    runtime, image, out = Path(argv[1]), Path(argv[2]), Path(argv[3])
    elf = bytearray(runtime.read_bytes())
    end, sections = elf_layout(bytes(elf))
    if end != len(elf) or elf[8:11] != b"AI\x02":
        raise SystemExit(f"{runtime}: not an AppImage runtime (magic, or the ELF does not end the file)")
    length, whole, tables = image_checksums(image)
    if sections.get(SECTION, (0, 0))[1] >= 24:
        at = sections[SECTION][0]
        elf[at:at + 24] = MAGIC + struct.pack("<QII", length, whole, tables)
    else:  # another runtime (APPIMAGE_RUNTIME): it cannot check the image anyway
        print(f"{runtime}: no {SECTION.decode()} section; the checksums are not recorded", file=sys.stderr)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as f, image.open("rb") as src:
        f.write(elf)
        shutil.copyfileobj(src, f, CHUNK)
    os.chmod(tmp, 0o755)
    tmp.replace(out)
    print(f"{out}: runtime {len(elf)} bytes + image {length} bytes, CRC-32 {whole:08x}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
