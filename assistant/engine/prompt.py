"""Rendering a conversation with the model's own chat template (sandboxed Jinja)."""

from __future__ import annotations

import _thread
import datetime
import operator
import threading
from typing import Any

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Used when a GGUF carries no chat template: ChatML, which most small instruct models know.
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


#: A template that takes longer than this to render is treated as hostile (or broken).
RENDER_SECONDS = 2.0
#: Largest string or repeat count a template may build with * or **.
MAX_PRODUCT = 1_000_000


class TemplateError(ValueError):
    pass


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no access to Python internals: the CVE-2024-34359 pattern)
    plus limits on * and ** so a template cannot build gigabyte strings."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise TemplateError("The chat template computes absurdly large numbers.")
            return operator.pow(left, right)
        for a, b in ((left, right), (right, left)):
            if isinstance(a, str | list | tuple) and isinstance(b, int) and len(a) * b > MAX_PRODUCT:
                raise TemplateError("The chat template builds an absurdly large string.")
        return operator.mul(left, right)


def _raise(message: str) -> None:
    raise TemplateError(message)


class ChatTemplate:
    """Compiles the template once; ``render`` runs it in Jinja's immutable sandbox, which
    blocks attribute access to Python internals (the CVE-2024-34359 pattern)."""

    def __init__(self, source: str | None, bos_token: str = "", eos_token: str = "") -> None:
        self.source = source or CHATML
        self.bos_token = bos_token
        self.eos_token = eos_token
        env = _Sandbox(
            loader=jinja2.BaseLoader(),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=[jinja2.ext.loopcontrols],
        )
        try:
            self._template = env.from_string(self.source)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"The model's chat template is invalid: {exc}") from exc

    def render(self, messages: list[dict[str, str]], **extra: Any) -> str:
        """Render within RENDER_SECONDS. The time limit interrupts the main thread, so call
        this from the main thread of the model process (where it is the only work)."""
        on_main = threading.current_thread() is threading.main_thread()
        timer = threading.Timer(RENDER_SECONDS, _thread.interrupt_main) if on_main else None
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

    def _render(self, messages: list[dict[str, str]], **extra: Any) -> str:
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
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"The model's chat template tried something unsafe: {exc}") from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"The model's chat template failed: {exc}") from exc
