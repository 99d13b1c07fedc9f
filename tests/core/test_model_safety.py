"""Hostile chat templates are refused in the sandboxed model process, with a clear message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.config import Settings, starter_model_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.local import LocalEngine
from assistant.engine.prompt import ChatTemplate, TemplateError
from assistant.events import Done, Failed
from assistant.models.gguf_header import read_header
from tests.support.gguf_tools import with_chat_template

CODE_EXEC = (
    "{{ ''.__class__.__mro__[1].__subclasses__()[0].__init__.__globals__['os'].system('touch /tmp/x') }}"
)
LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize(
    ("template", "phrase"),
    [(CODE_EXEC, "unsafe"), (LOOP, "did not finish"), ("{{ 'x' * 10**12 }}", "absurdly")],
)
def test_sandbox_refuses(template: str, phrase: str) -> None:
    with pytest.raises(TemplateError, match=phrase):
        ChatTemplate(template).render([{"role": "user", "content": "hi"}])


def test_normal_templates_still_render() -> None:
    text = ChatTemplate(None).render([{"role": "user", "content": "hi"}])
    assert text.endswith("<|im_start|>assistant\n") and "hi" in text


#: The issue's memory bombs: each builds gigabytes in one operation, inside the time limit.
JOIN_BOMB = "{{ (['a'*999999]*1000)|join }}"
FORMAT_BOMB = "{{ '%*s'|format(1500000000,'') }}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("template", "phrase"),
    [(CODE_EXEC, "unsafe"), (LOOP, "did not finish"), (JOIN_BOMB, "absurdly"), (FORMAT_BOMB, "absurdly")],
)
def test_model_with_hostile_template_is_refused(tmp_path: Path, template: str, phrase: str) -> None:
    starter = starter_model_path()
    assert starter is not None
    bad = with_chat_template(starter, tmp_path / "evil.gguf", template)
    assert read_header(bad).chat_template.startswith(template[:20])  # still a valid GGUF
    core = Core.open(engine=LocalEngine(), path=tmp_path / "a.db")
    core.settings = Settings(model_path=str(bad), n_ctx=512, temperature=0.0, max_reply_tokens=8)
    conversation = core.chats.create_conversation()
    start = time.monotonic()
    events = list(core.session.send(conversation, "hello", CancelToken()))
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and failed[0].kind == "template" and phrase in failed[0].message, events
    assert time.monotonic() - start < 30
    assert [m.content for m in core.chats.messages(conversation)] == ["hello"]
    # The app keeps working: switch back to the good model.
    core.settings = Settings(model_path=str(starter), n_ctx=512, temperature=0.0, max_reply_tokens=8)
    assert any(isinstance(e, Done) for e in core.session.send(conversation, "hi", CancelToken()))
    core.close()
