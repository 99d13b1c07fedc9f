"""A window attribute that lives in one of the window's parts.

The window keeps its public names (used by the bench probe and the tests: ``window.current_id``,
``window.open_models(...)``) while the state and behaviour live in the part that owns them
(``window.chat``, ``window.dialogs``, ``window.desktop``); the app itself uses the parts.
"""

from __future__ import annotations

from typing import Generic, TypeVar, overload

T = TypeVar("T")


class Forward(Generic[T]):
    """``current_id = Forward[int | None]("chat")``: reads and writes ``window.chat.current_id``."""

    def __init__(self, part: str, name: str = "") -> None:
        self.part = part
        self.name = name

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = self.name or name

    @overload
    def __get__(self, window: None, owner: type) -> Forward[T]: ...
    @overload
    def __get__(self, window: object, owner: type) -> T: ...
    def __get__(self, window: object | None, owner: type) -> Forward[T] | T:
        if window is None:
            return self
        value: T = getattr(getattr(window, self.part), self.name)
        return value

    def __set__(self, window: object, value: T) -> None:
        setattr(getattr(window, self.part), self.name, value)
