"""Rendering a conversation with the model's own chat template (sandboxed Jinja)."""

from __future__ import annotations

import datetime
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


class TemplateError(ValueError):
    pass


def _raise(message: str) -> None:
    raise TemplateError(message)


class ChatTemplate:
    """Compiles the template once; ``render`` runs it in Jinja's immutable sandbox, which
    blocks attribute access to Python internals (the CVE-2024-34359 pattern)."""

    def __init__(self, source: str | None, bos_token: str = "", eos_token: str = "") -> None:
        self.source = source or CHATML
        self.bos_token = bos_token
        self.eos_token = eos_token
        env = ImmutableSandboxedEnvironment(
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
