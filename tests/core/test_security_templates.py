"""Chat templates cannot allocate gigabytes: every hostile construct fails fast with a
TemplateError (before the memory is taken), real templates render exactly as before, and the
model process runs under an address-space limit as the last line of defence.

The hostile templates run in a child process under RLIMIT_AS, so that a regression shows up
as a failed test rather than as gigabytes taken from the machine running the suite.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from assistant.config import starter_model_path
from assistant.engine.prompt import CHATML, ChatTemplate, TemplateError
from assistant.models.gguf_header import read_header

REPO_ROOT = Path(__file__).resolve().parents[2]
BIG = "'a' * 999999"
#: name -> (template, phrase the error must contain). The first two are the issue's.
HOSTILE: dict[str, tuple[str, str]] = {
    "join of references": ("{{ (['a'*999999]*1000)|join }}", "absurdly"),
    "format star width": ("{{ '%*s'|format(1500000000,'') }}", "absurdly"),
    "percent star width": ("{{ '%*s' % (1500000000, '') }}", "absurdly"),
    "many moderate widths": ("{{ ('%*s' * 1000) % ((3999999, '') * 1000) }}", "absurdly"),
    "literal width": ("{{ '%1500000000s' % '' }}", "absurdly"),
    "literal precision": ("{{ '%.1500000000f' % 1.0 }}", "absurdly"),
    "str.format width": ("{{ '{:>1500000000}'.format('') }}", "absurdly"),
    "str.format nested widths": ("{{ ('{:{}}' * 1000).format(*(('', 3999999) * 1000)) }}", "absurdly"),
    "tilde doubling": (f"{{% set s = {BIG} %}}" + "{% set s = s ~ s %}" * 6 + "{{ s|length }}", "absurdly"),
    "plus doubling": (f"{{% set s = {BIG} %}}" + "{% set s = s + s %}" * 6 + "{{ s|length }}", "absurdly"),
    "block set": (f"{{% set s = {BIG} %}}{{% set t %}}" + "{{ s }}" * 8 + "{% endset %}{{ t|length }}",
                  "absurdly"),
    "macro doubling": ("{% macro a() %}" + f"{{{{ {BIG} }}}}" * 3 + "{% endmacro %}"
                       "{% macro b() %}{{ a() }}{{ a() }}{% endmacro %}{{ b() }}", "absurdly"),
    "output loop": (f"{{% set s = {BIG} %}}{{% for i in range(100000) %}}{{{{ s }}}}{{% endfor %}}",
                    "absurdly"),
    "join separator": ("{{ range(100000)|join('x' * 999999) }}", "absurdly"),
    "str.join": ("{{ ('x' * 999999).join(range(100000)|map('string')) }}", "absurdly"),
    "replace filter": ("{{ ('a' * 100000)|replace('a', 'b' * 1000) }}", "absurdly"),
    "replace method": ("{{ ('a' * 100000).replace('a', 'b' * 1000) }}", "absurdly"),
    "wordwrap": ("{{ ('a ' * 100000)|wordwrap(1, wrapstring='x' * 1000) }}", "absurdly"),
    "indent": ("{{ ('\n' * 100000)|indent(1000) }}", "absurdly"),
    "center filter": ("{{ 'a'|center(1500000000) }}", "absurdly"),
    "ljust method": ("{{ 'a'.ljust(1500000000) }}", "absurdly"),
    "expandtabs": ("{{ ('\t' * 100000).expandtabs(1000) }}", "absurdly"),
    "batch fill": ("{{ [1]|batch(1500000000, 'x')|list }}", "absurdly"),
    "map amplifies": ("{{ range(100000)|map('center', 999999)|join }}", "absurdly"),
    "print references": ("{{ ['a' * 999999] * 1000 }}", "absurdly"),
    "string of references": (f"{{% set l = [{BIG}] %}}" + "{% set l = l + l %}" * 4 + "{{ l|string|length }}",
                             "absurdly"),
    "tojson indent": ("{{ [[[[[[[[range(30000)|list]]]]]]]]|tojson(indent=999) }}", "absurdly"),
    "sum of lists": ("{{ ([[0] * 999999] * 1000)|sum(start=[]) }}", "absurdly"),
    "integer squaring": ("{% set ns = namespace(x=10**64) %}{% for i in range(40) %}"
                         "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}", "absurdly"),
    "deep nesting": ("{% set ns = namespace(x=[]) %}{% for i in range(200) %}{% set ns.x = [ns.x] %}"
                     "{% endfor %}{{ ns.x|tojson }}", "deeply"),
    "lipsum": ("{{ lipsum(1000000) }}", "lipsum"),
    "division by zero": ("{{ 1 / 0 }}", "ZeroDivisionError"),
    "float overflow": ("{{ 1e300 * 1e300 * 1e300 }}{{ 1e300 ** 2 }}", "OverflowError"),
    "parser recursion": ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "invalid"),
}

_CHILD = r"""
import json, resource, sys, time, tracemalloc
from assistant.engine.prompt import ChatTemplate, TemplateError
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
with open("/proc/self/statm") as statm:
    mapped = int(statm.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (mapped + (768 << 20), hard))
messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
results = {}
tracemalloc.start()
for name, source in json.load(sys.stdin).items():
    tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        ChatTemplate(source).render(messages)
        outcome, message = "rendered", ""
    except TemplateError as exc:
        outcome, message = "TemplateError", str(exc)
    except BaseException as exc:
        outcome, message = type(exc).__name__, str(exc)[:300]
    peak = tracemalloc.get_traced_memory()[1]
    results[name] = {"outcome": outcome, "message": message, "peak": peak}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def hostile_results() -> dict[str, dict[str, Any]]:
    if not sys.platform.startswith("linux"):
        pytest.skip("RLIMIT_AS keeps this safe on Linux only")
    cases = {name: source for name, (source, _) in HOSTILE.items()}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], input=json.dumps(cases), capture_output=True, text=True,
        cwd=REPO_ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_template_fails_fast_with_a_clear_error(name: str, hostile_results: dict[str, Any]) -> None:
    result = hostile_results[name]
    assert result["outcome"] == "TemplateError", result
    assert HOSTILE[name][1] in result["message"], result
    # Refused before the value was built: not by the time limit, nor after a huge allocation.
    assert "did not finish" not in result["message"]
    assert result["peak"] < 64 << 20, f"{result['peak'] / 2**20:.0f} MiB traced"


# real templates are unaffected ------------------------------------------------------------
TOOLS_TEMPLATE = """{%- set ns = namespace(system='') -%}
{%- if messages[0].role == 'system' %}{% set ns.system = messages[0].content|trim %}
{%- set messages = messages[1:] %}
{%- endif -%}
{{- bos_token + '<|system|>\\n' + ns.system }}
{%- if tools %}
{{- '\\nToday: ' ~ date_string ~ '\\n# Tools\\n' }}
{%- for t in tools %}{{ t|tojson(indent=4) }}{{ '\\n' }}{{ t|tojson }}{% endfor %}
{%- endif %}
{{- '<|end|>\\n' }}
{%- macro turn(role, text) %}<|{{ role }}|>{{ text }}<|end|>{% endmacro -%}
{%- for message in messages %}
{%- if message.role == 'user' %}{{ turn('user', message.content) }}
{%- elif message.role == 'assistant' and message.tool_calls %}
{%- for call in message.tool_calls %}{{ '<tool_call>%s(%s)</tool_call>' % (call.function.name,
    call.function.arguments) }}{% endfor %}
{%- elif message.role == 'tool' %}{% if loop.first or messages[loop.index0 - 1].role != 'tool' %}<|tool|>
{%- endif %}{{ message.content|replace('\\n', ' ')|truncate(200) }}{{ '<|end|>' if loop.last else '' }}
{%- else %}{{ turn(message.role, message.content|indent(2)|wordwrap(60)|center(10)) }}
{%- endif %}
{%- endfor %}
{{- '#%d %s' | format(messages|length, (messages|map(attribute='role')|unique|join(',')).upper()) }}
{{- '{0}-{1:>4}'.format('end', messages|selectattr('role', 'equalto', 'user')|list|length) }}
{%- if add_generation_prompt %}{{ '<|assistant|>' ~ '\\n' * 2 }}{% endif %}"""

TOOLS = [
    {"type": "function", "function": {"name": "add_reminder", "description": "Remind the user.",
                                      "parameters": {"type": "object", "properties": {
                                          "text": {"type": "string"}, "when": {"type": "string"}},
                                          "required": ["text", "when"]}}},
    {"type": "function", "function": {"name": "now", "parameters": {"type": "object", "properties": {}}}},
]


def conversation(turns: int, size: int = 200) -> list[dict[str, Any]]:
    text = ("Ein Satz mit Umlauten, 中文句子, and plain words.\n" * (size // 48 + 1))[:size]
    messages: list[dict[str, Any]] = [{"role": "system", "content": "  You are helpful.  "}]
    for turn in range(turns):
        messages.append({"role": "user", "content": f"{turn}: {text}"})
        if turn % 3 == 0:
            call = {"function": {"name": "now", "arguments": "{}"}}
            messages.append({"role": "assistant", "content": "", "tool_calls": [call]})
            messages.append({"role": "tool", "content": f"12:{turn:02d}\nok"})
        messages.append({"role": "assistant", "content": text[::-1]})
    return messages


def plain_render(source: str, messages: list[dict[str, Any]], **extra: Any) -> str:
    """What the code before the size limits produced: Jinja's immutable sandbox alone."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    return env.from_string(source).render(
        messages=messages, add_generation_prompt=True, bos_token="<s>", eos_token="</s>",
        raise_exception=None, strftime_now=lambda fmt: datetime.datetime.now().strftime(fmt), **extra,
    )


def starter_template() -> str:
    path = starter_model_path()
    assert path is not None
    template = read_header(path).chat_template
    assert template
    return template


@pytest.mark.parametrize("which", ["chatml", "starter", "tools"])
@pytest.mark.parametrize("turns", [1, 40, 400])
def test_real_templates_render_exactly_as_before(which: str, turns: int) -> None:
    source = {"chatml": CHATML, "tools": TOOLS_TEMPLATE}.get(which) or starter_template()
    messages = conversation(turns)
    extra = {"tools": TOOLS, "date_string": "26 Jul 2024"} if which == "tools" else {}
    rendered = ChatTemplate(source, "<s>", "</s>").render(messages, **extra)
    assert rendered == plain_render(source, messages, **extra)
    assert len(rendered) > 100 * turns


def test_a_long_chat_is_not_mistaken_for_an_attack() -> None:
    """The limit grows with the input: 600 turns of 8 000 characters (~10 MB rendered)."""
    messages = conversation(600, size=8000)
    rendered = ChatTemplate(None).render(messages)
    assert len(rendered) > 9_000_000 and rendered.endswith("<|im_start|>assistant\n")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ '{} at {}'.format(1700000000, 2024) }}", "1700000000 at 2024"),
        ("{{ '%d|%-4s|%.2f' % (1700000000, 'a', 2.5) }}", "1700000000|a   |2.50"),
        ("{{ '%s tokens'|format(128000) }}", "128000 tokens"),
        ("{{ '{0:>4}|{1:.1f}'.format('a', 3.14) }}", "   a|3.1"),
        ("{{ '=' * 20 }}{{ [0] * 3 }}{{ 2 ** 64 }}", "=" * 20 + "[0, 0, 0]18446744073709551616"),
    ],
)
def test_large_numbers_are_printed_not_mistaken_for_widths(source: str, expected: str) -> None:
    assert ChatTemplate(source).render([{"role": "user", "content": "hi"}]) == expected


def test_the_limit_follows_each_renders_own_input() -> None:
    template = ChatTemplate("{{ 'x' * n }}")
    small = [{"role": "user", "content": "hi"}]
    large = [{"role": "user", "content": "y" * 3_000_000}]
    with pytest.raises(TemplateError, match="absurdly"):
        template.render(small, n=6_000_000)
    assert len(template.render(large, n=6_000_000)) == 6_000_000  # a long chat may render long
    with pytest.raises(TemplateError, match="absurdly"):
        template.render(small, n=6_000_000)  # ... and that allowance does not stay behind


# the address-space limit (the last line of defence) ------------------------------------------
_BACKSTOP = r"""
import json, resource
import assistant.engine.prompt as prompt
import assistant.engine.template_sandbox as sandbox
from assistant.engine.worker import address_limit, limit_address_space
before = resource.getrlimit(resource.RLIMIT_AS)
with address_limit(64 << 20):
    inside = resource.getrlimit(resource.RLIMIT_AS)
    try:
        bytearray(512 << 20)
        scoped = "allocated"
    except MemoryError:
        scoped = "MemoryError"
after = resource.getrlimit(resource.RLIMIT_AS)
limit_address_space(256 << 20)
# Pretend the size checks were missing, to see what the rlimit alone does to a template.
prompt.MAX_TEXT = sandbox.MAX_TEXT = 10**12
try:
    prompt.ChatTemplate("{{ 'a' * 900000000 }}").render([{"role": "user", "content": "hi"}])
    outcome = "rendered"
except prompt.TemplateError as exc:
    outcome = str(exc)
print(json.dumps({"before": before, "inside": inside, "after": after, "scoped": scoped, "outcome": outcome}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_address_space_limit_turns_a_huge_allocation_into_a_template_error() -> None:
    done = subprocess.run([sys.executable, "-c", _BACKSTOP], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["scoped"] == "MemoryError"
    assert result["inside"][0] < 2**40 and result["after"] == result["before"]
    assert re.search("memory", result["outcome"]), result


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_the_model_process_runs_under_an_address_space_limit() -> None:
    """Set after loading (the mapped model, KV cache and buffers are counted), with room for
    decoding threads: the real starter model still loads and answers under it."""
    from assistant.engine.base import CancelToken, ChatRequest, EngineConfig, GenerationStats
    from assistant.engine.local import LocalEngine

    model = starter_model_path()
    assert model is not None
    engine = LocalEngine()
    try:
        list(engine.ensure_loaded(EngineConfig(str(model), 2048, 4, 0)))
        request = ChatRequest([{"role": "user", "content": "Say hi. " * 200}], temperature=0.0, max_tokens=16)
        events = list(engine.chat(request, CancelToken()))
        assert any(isinstance(e, GenerationStats) and e.n_tokens > 0 for e in events)
        limits = Path(f"/proc/{engine.pid}/limits").read_text()
        soft = re.search(r"Max address space\s+(\S+)", limits)
        status = Path(f"/proc/{engine.pid}/status").read_text()
        mapped = int(re.search(r"VmSize:\s+(\d+) kB", status).group(1)) * 1024  # type: ignore[union-attr]
    finally:
        engine.close()
    assert soft is not None and soft.group(1) != "unlimited"
    assert mapped < int(soft.group(1)) < mapped + (4 << 30)


_LOAD = r"""
import json, resource, sys, time
from multiprocessing import Pipe
from assistant.engine.prompt import TemplateError
from assistant.engine.worker import Worker
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))
ours, theirs = Pipe()
start = time.monotonic()
try:
    Worker(theirs).load({"model_path": sys.argv[1], "n_ctx": 512, "n_threads": 1, "n_gpu_layers": 0})
    outcome = "loaded"
except TemplateError as exc:
    outcome = str(exc)
except BaseException as exc:
    outcome = f"{type(exc).__name__}: {exc}"
# VmHWM, not ru_maxrss: ru_maxrss keeps the forking parent's high-water mark across exec
# (a full pytest run with torch loaded is ~1.4 GB), VmHWM belongs to this process image alone.
peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) * 1024
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - start, "peak": peak}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
@pytest.mark.parametrize("bomb", ["{{ (['a'*999999]*1000)|join }}", "{{ 'a'|center(1500000000) }}"])
def test_loading_a_model_never_compiles_its_template_without_limits(tmp_path: Path, bomb: str) -> None:
    """llama-cpp-python compiles the file's chat templates in Llama(), and Jinja folds
    constant expressions while compiling: the bomb would go off during the load itself."""
    from tests.support.gguf_tools import with_chat_template

    model = starter_model_path()
    assert model is not None
    evil = with_chat_template(model, tmp_path / "evil.gguf", bomb)
    done = subprocess.run([sys.executable, "-c", _LOAD, str(evil)], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert "absurdly" in result["outcome"], result
    assert result["peak"] < 900 << 20, f"peak RSS {result['peak'] / 2**20:.0f} MiB"
