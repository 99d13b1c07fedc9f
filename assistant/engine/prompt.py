"""Rendering a conversation with the model's own chat template (sandboxed Jinja).

A chat template is code from a downloaded file. It runs in Jinja's immutable sandbox (no
Python internals) with size limits on everything it builds (template_sandbox.py), within a
time limit, and in the model process under an address-space limit (worker.py). Whatever goes
wrong becomes a TemplateError with a message for the user, never a crash.
"""

from __future__ import annotations

import _thread
import datetime
import threading
from typing import Any

import jinja2
import jinja2.ext

from assistant.engine.template_sandbox import (
    INPUT_FACTOR,
    MAX_TEXT,
    METER,
    LimitedSandbox,
    Meter,
    TemplateError,
    measure,
)

__all__ = ["CHATML", "RENDER_SECONDS", "ChatTemplate", "TemplateError"]

#: Used when a GGUF carries no chat template: ChatML, which most small instruct models know.
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


#: A template that takes longer than this to render is treated as hostile (or broken).
RENDER_SECONDS = 2.0


def _raise(message: str) -> None:
    raise TemplateError(message)


class ChatTemplate:
    """Compiles the template once; ``render`` runs it in the LimitedSandbox, within RENDER_SECONDS."""

    def __init__(self, source: str | None, bos_token: str = "", eos_token: str = "") -> None:
        self.source = source or CHATML
        self.bos_token = bos_token
        self.eos_token = eos_token
        env = LimitedSandbox(
            loader=jinja2.BaseLoader(),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=[jinja2.ext.loopcontrols],
        )
        try:
            self._template = env.from_string(self.source)
        except (jinja2.TemplateError, RecursionError, MemoryError) as exc:  # deep nesting breaks the parser
            raise TemplateError(f"The model's chat template is invalid: {type(exc).__name__}: {exc}") from exc

    def render(self, messages: list[dict[str, Any]], **extra: Any) -> str:
        """Render within RENDER_SECONDS. The time limit interrupts the main thread, so call
        this from the main thread of the model process (where it is the only work)."""
        on_main = threading.current_thread() is threading.main_thread()
        timer = threading.Timer(RENDER_SECONDS, _thread.interrupt_main) if on_main else None
        given = measure({"messages": messages, **extra}, 1 << 62, 0)
        token = METER.set(Meter(MAX_TEXT + INPUT_FACTOR * given))
        if timer:
            timer.start()
        try:
            return self._render(messages, **extra)
        except KeyboardInterrupt as exc:
            raise TemplateError(
                f"The model's chat template did not finish within {RENDER_SECONDS:.0f} s "
                "(it may loop forever); the model cannot be used safely."
            ) from exc
        finally:
            if timer:
                timer.cancel()
            METER.reset(token)

    def _render(self, messages: list[dict[str, Any]], **extra: Any) -> str:
        try:
            return self._template.render(
                messages=messages,
                add_generation_prompt=True,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                raise_exception=_raise,
                strftime_now=lambda fmt: datetime.datetime.now().strftime(fmt),
                **extra,
            )
        except TemplateError:
            raise
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"The model's chat template tried something unsafe: {exc}") from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"The model's chat template failed: {exc}") from exc
        except MemoryError as exc:  # the model process's address-space limit stopped it
            raise TemplateError(
                "The model's chat template needs far more memory than a prompt can; "
                "the model cannot be used safely."
            ) from exc
        except Exception as exc:  # 1/0, 1e300**2, deep recursion: a broken template, not a crash
            raise TemplateError(f"The model's chat template failed: {type(exc).__name__}: {exc}") from exc
