"""Text out of .txt .md .pdf .docx .html files, as blocks with heading and page metadata.

Runs inside the extractor process (:mod:`assistant.knowledge.sandbox`), which adds a time
and memory limit around it; the caps here (characters, pages, zip entries, unpacked size)
refuse hostile files early and with a clear reason. pypdf, python-docx and selectolax are
imported only when a file of their kind arrives.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 64 * 1024 * 1024
    max_unpacked_bytes: int = 256 * 1024 * 1024  # what a .docx may expand to
    max_zip_entries: int = 2000
    max_chars: int = 4_000_000  # ~1 000 pages of prose
    max_pages: int = 3000
    seconds: float = 30.0  # per file, enforced by killing the extractor process
    memory_bytes: int = 1536 * 1024 * 1024  # address space of the extractor process


class Skip(Exception):
    """The file cannot be indexed; the message is shown in the collection's status."""


#: (text, heading, page): one paragraph-ish block, in reading order.
Block = tuple[str, str | None, int | None]


def extract(path: str, limits: Limits) -> list[Block]:
    kind = SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise Skip("not a supported document type")
    try:
        if kind in ("text", "markdown"):
            text = _read_text(path, limits)
            return _markdown_blocks(text) if kind == "markdown" else _paragraphs(text, None, None)
        if kind == "html":
            return _html_blocks(_read_text(path, limits), limits)
        if kind == "pdf":
            return _pdf_blocks(path, limits)
        return _docx_blocks(path, limits)
    except FileNotFoundError as exc:
        raise Skip("the file disappeared while it was being read") from exc
    except PermissionError as exc:
        raise Skip("permission denied: the file cannot be read") from exc
    except IsADirectoryError as exc:
        raise Skip("it is a folder, not a file") from exc
    except (RecursionError, MemoryError) as exc:
        raise Skip(f"the file is built too deeply or too large to read ({type(exc).__name__})") from exc


def _read_text(path: str, limits: Limits) -> str:
    with open(path, "rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise Skip(f"larger than the {limits.max_file_bytes // 2**20} MB limit")
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in head:
        raise Skip("binary content, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text[:8192]) * 0.05:
        raise Skip("binary content, not text")
    return text[: limits.max_chars]


def _paragraphs(text: str, heading: str | None, page: int | None) -> list[Block]:
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [(p.strip(), heading, page) for p in parts if p.strip()]


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    heading: str | None = None
    current: list[str] = []
    fenced = False

    def flush() -> None:
        if current:
            blocks.extend(_paragraphs("\n".join(current), heading, None))
            current.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _MD_HEADING.match(line)
        if match:
            flush()
            heading = match.group(2).strip()[:200]
        else:
            current.append(line)
    flush()
    return blocks


_BLOCK_TAGS = frozenset(
    "p div section article header footer main aside nav li ul ol dl dt dd table tr td th pre blockquote "
    "h1 h2 h3 h4 h5 h6 br hr figure figcaption form fieldset address details summary".split()
)
_SKIP_TAGS = frozenset("script style noscript template svg head iframe object".split())


def _html_blocks(html: str, limits: Limits) -> list[Block]:
    # selectolax (lexbor, C): fast and standards-compliant; we walk the tree ourselves to
    # keep headings as metadata. Iterative walk: deeply nested markup cannot overflow.
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return []
    blocks: list[Block] = []
    heading: str | None = None
    buffer: list[str] = []
    total = 0

    def flush() -> None:
        nonlocal total
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            total += len(text)
            blocks.append((text, heading, None))

    # Nodes to visit, and markers: "/block" ends a block, ("heading",) ends a heading.
    stack: list[LexborNode | str | tuple[str]] = [root]
    while stack and total < limits.max_chars:
        node = stack.pop()
        if isinstance(node, str):
            flush()
            continue
        if isinstance(node, tuple):  # end of a heading
            flush_heading = re.sub(r"\s+", " ", "".join(buffer)).strip()
            buffer.clear()
            heading = flush_heading[:200] or heading
            continue
        tag = node.tag
        if tag == "-text":
            buffer.append(node.text_content or "")
            continue
        if tag in _SKIP_TAGS or tag == "-comment":
            continue
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            stack.append(("heading",))
        elif tag in _BLOCK_TAGS:
            flush()
            stack.append("/block")
        stack.extend(reversed(children))
    flush()
    return blocks


def _pdf_blocks(path: str, limits: Limits) -> list[Block]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs warn a lot
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Skip("the PDF is password-protected")
        if len(reader.pages) > limits.max_pages:
            raise Skip(f"more than {limits.max_pages} pages")
        blocks: list[Block] = []
        total = 0
        for number, page in enumerate(reader.pages, 1):
            text = page.extract_text() or ""
            total += len(text)
            if total > limits.max_chars:
                raise Skip(f"more than {limits.max_chars:,} characters of text")
            blocks.extend(_pdf_page_paragraphs(text, number))
        return blocks
    except Skip:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise Skip(f"damaged or unsupported PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc


def _pdf_page_paragraphs(text: str, page: int) -> list[Block]:
    """pypdf gives lines; a blank line or a line ending a sentence short of the width ends a
    paragraph, so chunks do not cut sentences that wrapped."""
    text = text.replace("\r", "\n")
    if "\n\n" in text:
        return _paragraphs(text, None, page)
    lines = [line.strip() for line in text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            continue
        current.append(line)
        if line.endswith((".", "!", "?", ":")) and len(line) < width * 0.8:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return [(p, None, page) for p in paragraphs if p.strip()]


def check_zip(path: str, limits: Limits) -> None:
    """Refuse zip bombs from the central directory alone, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise Skip("damaged .docx (not a valid zip archive)") from exc
    if len(infos) > limits.max_zip_entries:
        raise Skip(f"the .docx archive has {len(infos):,} entries (limit {limits.max_zip_entries:,})")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unpacked_bytes:
        raise Skip(
            f"the .docx declares {declared / 2**30:.1f} GB when unpacked "
            f"(limit {limits.max_unpacked_bytes // 2**20} MB)"
        )


def _docx_blocks(path: str, limits: Limits) -> list[Block]:
    check_zip(path, limits)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(path)
    except Exception as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise Skip(f"damaged or unsupported .docx ({type(exc).__name__})") from exc
    blocks: list[Block] = []
    heading: str | None = None
    total = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            if text and (style.startswith("Heading") or style == "Title"):
                heading = text[:200]
                continue
            texts = [text]
        elif isinstance(item, Table):
            texts = [" | ".join(c.text.strip() for c in row.cells) for row in item.rows]
        else:
            continue
        for text in texts:
            if text.strip():
                total += len(text)
                if total > limits.max_chars:
                    raise Skip(f"more than {limits.max_chars:,} characters of text")
                blocks.append((text.strip(), heading, None))
    return blocks
