"""Stream the conversations out of an export file, one at a time, in bounded memory.

The file is parsed as a stream of events (ijson, C backend when available) and only one
conversation is built as Python objects at a time, so memory depends on the largest
conversation, never on the size of the file. Two shapes are recognised from the first
events: our export (an object with ``"format": "offline-assistant-chats"``) and ChatGPT's
``conversations.json`` (an array of objects with a ``mapping``); a ChatGPT ``.zip`` works too.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from assistant.transfer.model import FORMAT, VERSION, Format, TransferError

BOM = b"\xef\xbb\xbf"
CHATGPT_NAME = "conversations.json"


class Source:
    """An open export file: ``format`` is known after :meth:`conversations` yields its first
    item; ``bytes_read``/``bytes_total`` drive the progress bar."""

    def __init__(self, raw: IO[bytes], total: int, name: str) -> None:
        self._raw = raw
        self.bytes_total = total
        self.name = name
        self.format: Format | None = None
        self.header: dict[str, Any] = {}

    @property
    def bytes_read(self) -> int:
        try:
            return int(self._raw.tell())
        except (OSError, ValueError):
            return 0

    def conversations(self) -> Iterator[dict[str, Any]]:
        """Each conversation as a dict; raises :class:`TransferError` for a damaged file or one
        that is neither of our formats. The format is checked before the first item is yielded
        (our header written after the conversations is checked at the end)."""
        if self.bytes_total == 0:
            raise TransferError("The file is empty.")
        try:
            yield from self._conversations()
        except ijson.JSONError as exc:
            raise TransferError(_explain(exc, self.bytes_read)) from None
        except UnicodeDecodeError:
            raise TransferError("The file is not UTF-8 text, so it is not a JSON export.") from None

    def _conversations(self) -> Iterator[dict[str, Any]]:
        events = ijson.parse(self._raw, use_float=True)
        first = next(events, None)
        if first is None:  # the parser raises first for an empty stream; this is a guard
            raise TransferError("The file holds no JSON value.")
        _prefix, event, _value = first
        if event == "start_array":
            yield from self._chatgpt(events)
        elif event == "start_map":
            yield from self._ours(events)
        else:
            raise TransferError(_NOT_OURS)
        for _ in events:  # trailing data after the top-level value is a damaged file
            pass

    def _chatgpt(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[dict[str, Any]]:
        for index, item in enumerate(_items(events, "item", "")):
            if not isinstance(item, dict) or not isinstance(item.get("mapping"), dict):
                if index == 0:
                    raise TransferError(_NOT_OURS)
                raise TransferError(f"Item {index + 1} of the file is not a ChatGPT conversation.")
            self.format = "chatgpt"
            yield item
        self.format = self.format or "chatgpt"  # an empty array: nothing to import

    def _ours(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[dict[str, Any]]:
        key = ""
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                key = value
            elif prefix == "" and event == "end_map":
                break
            elif prefix == "conversations" and event == "start_array":
                self._check_header(final=False)
                yield from _items(events, "conversations.item", "conversations")
            elif prefix == "conversations" and event in ("start_map", "string", "number", "boolean"):
                raise TransferError("The export is damaged: its conversations are not a list.")
            elif prefix == key and event in ("string", "number", "boolean", "null"):
                self.header[key] = value
            elif prefix == key and event in ("start_map", "start_array"):
                _skip(events, prefix)  # an unknown nested key from a later version: ignored
        self._check_header(final=True)

    def _check_header(self, final: bool) -> None:
        fmt = self.header.get("format")
        if fmt is None and not final:
            return  # the header may come after the conversations (a re-sorted file)
        if fmt != FORMAT:
            raise TransferError(_NOT_OURS)
        version = self.header.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise TransferError("The export has no format version; it cannot be read safely.")
        if version > VERSION:
            raise TransferError(
                f"The export was made by a newer version of the app (format {version}); "
                f"this one reads format {VERSION} and older. Update the app to import it."
            )
        self.format = "ours"


_NOT_OURS = (
    "This is not a chat export this app can read: expected an export of this app (JSON) "
    "or ChatGPT's conversations.json (or the ChatGPT export .zip)."
)


def _items(events: Iterator[tuple[str, str, Any]], item_prefix: str, array_prefix: str) -> Iterator[Any]:
    """The elements of the array at ``array_prefix``, built one at a time from the events."""
    for prefix, event, value in events:
        if prefix == array_prefix and event == "end_array":
            return
        if event in ("start_map", "start_array"):
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
            for inner_prefix, inner_event, inner_value in events:
                builder.event(inner_event, inner_value)
                if inner_prefix == item_prefix and inner_event in ("end_map", "end_array"):
                    break
            yield builder.value
        else:
            yield value  # a scalar element: the caller says why it is wrong


def _skip(events: Iterator[tuple[str, str, Any]], prefix: str) -> None:
    for inner_prefix, inner_event, _ in events:
        if inner_prefix == prefix and inner_event in ("end_map", "end_array"):
            return


def _explain(exc: Exception, position: int) -> str:
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    detail = text.strip().splitlines()[0] if text.strip() else "unreadable"
    if "premature EOF" in detail:
        return "The file ends too early: it is incomplete (cut off while saving or downloading?)."
    detail = detail.split("error:", 1)[-1].strip().rstrip(".")
    # The C parser gives no offset: how far the reading got narrows it down in a large file.
    return f"The file is not valid JSON ({detail}, within its first {position:,} bytes)."


@contextlib.contextmanager
def open_source(path: Path) -> Iterator[Source]:
    """Open a JSON export, or the ``conversations.json`` inside a ChatGPT ``.zip``."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _chatgpt_member(archive)
                with archive.open(member) as raw:
                    yield Source(_skip_bom(raw), member.file_size, f"{path.name}:{member.filename}")
            return
        with path.open("rb") as raw:
            yield Source(_skip_bom(raw), path.stat().st_size, path.name)
    except FileNotFoundError:
        raise TransferError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise TransferError(f"{path} is a folder; choose the export file.") from None
    except PermissionError:
        raise TransferError(f"Cannot read {path}: permission denied.") from None
    except zipfile.BadZipFile as exc:
        raise TransferError(f"The .zip file is damaged ({exc}).") from None


def _chatgpt_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    for info in archive.infolist():
        if Path(info.filename).name == CHATGPT_NAME:
            return info
    raise TransferError(f"The .zip file has no {CHATGPT_NAME}: is it a ChatGPT data export?")


def _skip_bom(raw: IO[bytes]) -> IO[bytes]:
    """Some editors save UTF-8 with a byte-order mark, which the JSON parser rejects. (Files
    and zip members are both seekable.)"""
    start = raw.read(len(BOM))
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TransferError("The file is saved as UTF-16 text; exports are UTF-8. Save it as UTF-8.")
    if start != BOM:
        raw.seek(0)
    return raw
