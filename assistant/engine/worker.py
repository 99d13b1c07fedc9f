"""The model process: hosts ``llama_cpp.Llama`` and streams over a pipe.

Runs in a child process so that llama.cpp aborting (a damaged file, out of memory) or
being killed takes down only this process; the app notices the closed pipe and reports.

Messages in:  ("load", EngineConfig dict) | ("chat", ChatRequest dict) | ("stop",) | ("reset",)
              | ("choose", ChatRequest dict, prefix, options) | ("score", texts) | ("probe",) | ("shutdown",)
Messages out: ("loaded", info) | ("probe", Hardware dict) | ("trimmed", dropped, kept) | ("delta", text)
              | ("done", stats dict) | ("chosen", index, seconds) | ("scored", [(bits, tokens)], seconds)
              | ("error", kind, message)
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from assistant.engine.context import PromptTooLong, choose_start
from assistant.engine.fluency import score_message
from assistant.engine.priority import yield_to_the_window
from assistant.engine.prompt import ChatTemplate, TemplateError
from assistant.engine.scoring import greedy_option

#: Deltas are sent at most this often; fewer pipe messages, same perceived streaming.
FLUSH_SECONDS = 0.015
#: Address space the process may grow by once a model is loaded (the mapped weights, KV cache
#: and compute buffers are already counted then): prompts, tokens, the chat template.
RUN_MARGIN = 1 << 30
#: Per llama.cpp thread: its stack and a malloc arena, created on the first decode.
THREAD_MARGIN = 64 << 20


class Worker:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.llm: Any = None
        self.template: ChatTemplate | None = None
        self.config: dict[str, Any] = {}
        #: The whole process runs under an address-space limit (CPU builds); otherwise only
        #: each template render does (GPU drivers map memory of their own while decoding).
        self.process_limited = False

    # loading ---------------------------------------------------------------------------
    def load(self, config: dict[str, Any]) -> None:
        import llama_cpp  # heavy: only ever imported in this process

        start = time.perf_counter()
        skip_llama_cpp_chat_formatters(llama_cpp)
        self.llm = None
        lift_address_limit()  # a previous model's limit must not starve this one
        self.llm = llama_cpp.Llama(
            model_path=config["model_path"],
            n_ctx=config["n_ctx"],
            n_threads=config["n_threads"],
            n_threads_batch=config["n_threads"],
            n_gpu_layers=config["n_gpu_layers"],
            use_mmap=True,
            verbose=False,
        )
        # Bounded from here on: whatever the chat template or a prompt tries, the process
        # gets MemoryError (reported) instead of taking the machine's memory. Measured after
        # loading, so the mapped weights, KV cache and compute buffers are already counted.
        self.process_limited = not llama_cpp.llama_supports_gpu_offload()
        if self.process_limited:
            limit_address_space(RUN_MARGIN + THREAD_MARGIN * max(1, int(config["n_threads"])))
        self.config = config
        model = self.llm._model
        bos = model.token_get_text(self.llm.token_bos()) if self.llm.token_bos() != -1 else ""
        eos = model.token_get_text(self.llm.token_eos()) if self.llm.token_eos() != -1 else ""
        self.template = ChatTemplate(self.llm.metadata.get("tokenizer.chat_template"), bos, eos)
        # Try the template once now, so a hostile or broken one is refused at load time.
        self._render_once([{"role": "system", "content": "Hi"}, {"role": "user", "content": "Hi"}])
        self.conn.send(
            (
                "loaded",
                {
                    "name": self.llm.metadata.get("general.name", ""),
                    "n_ctx": self.llm.n_ctx(),
                    "load_seconds": time.perf_counter() - start,
                    "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
                },
            )
        )

    # prompting -------------------------------------------------------------------------
    def tokenize_prompt(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None
    ) -> list[int]:
        assert self.template is not None
        text = self._render(messages, tools)
        add_bos = bool(self.llm._model.add_bos_token()) and not (
            self.template.bos_token and text.startswith(self.template.bos_token)
        )
        tokens: list[int] = self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)
        return tokens

    def fit(self, request: dict[str, Any]) -> tuple[list[int], int, int]:
        messages = request["messages"]
        system = messages[:1] if messages and messages[0]["role"] == "system" else []
        history = messages[len(system) :]
        reserve = min(request["max_tokens"], self.llm.n_ctx() // 4)
        budget = self.llm.n_ctx() - reserve
        cache: dict[int, list[int]] = {}
        tools = request.get("tools") if request.get("native_tools") else None

        def tokens_from(start: int) -> list[int]:
            if start not in cache:
                cache[start] = self.tokenize_prompt(system + history[start:], tools)
            return cache[start]

        start = choose_start(
            [m["role"] for m in history],
            lambda s: len(tokens_from(s)),
            budget,
            request.get("keep_from", 0),
        )
        return tokens_from(start), start, len(history)

    # generation ------------------------------------------------------------------------
    def chat(self, request: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        try:
            tokens, start, total = self.fit(request)
        except PromptTooLong as exc:
            self.conn.send(("error", "too_long", str(exc)))
            return
        except TemplateError as exc:
            self.conn.send(("error", "template", str(exc)))
            return
        if start > 0:
            self.conn.send(("trimmed", start, total - start))
        cached = self._cached_prefix(tokens)
        stats = self._generate(tokens, request, t0)
        stats.update(prompt_tokens=len(tokens), cached_tokens=cached, keep_from=start)
        self.conn.send(("done", stats))

    def _cached_prefix(self, tokens: list[int]) -> int:
        n = 0
        for a, b in zip(self.llm._input_ids[: self.llm.n_tokens], tokens, strict=False):
            if a != b:
                break
            n += 1
        return n

    def _generate(self, tokens: list[int], request: dict[str, Any], t0: float) -> dict[str, Any]:
        import llama_cpp

        llm = self.llm
        vocab = llm._model.vocab
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        temperature = float(request["temperature"])
        n_ctx = llm.n_ctx()
        pending: list[str] = []
        first = last_flush = 0.0
        produced = 0
        stopped = False
        reason = "stop"
        if request.get("seed", -1) >= 0:
            llm.set_seed(int(request["seed"]))
        llm.last_n_tokens_size = int((request.get("sampling") or {}).get("repeat_last_n", 64))
        stream = llm.generate(tokens, temp=temperature, grammar=self._grammar(request), **_sampling(request))
        for token in stream:
            now = time.perf_counter()
            if not first:
                first = now
            if llama_cpp.llama_vocab_is_eog(vocab, token) and not request.get("ignore_eos"):
                break
            produced += 1
            pending.append(decoder.decode(llm.detokenize([token])))
            if now - last_flush >= FLUSH_SECONDS:
                self._flush(pending)
                last_flush = now
            if self.conn.poll() and self.conn.recv()[0] == "stop":
                stopped = True
                break
            if produced >= request["max_tokens"] or llm.n_tokens >= n_ctx - 1:
                reason = "length"
                break
        pending.append(decoder.decode(b"", final=True))
        self._flush(pending)
        end = time.perf_counter()
        decode_time = end - first if first else 0.0
        return {
            "stopped": stopped,
            "n_tokens": produced,
            "first_token_seconds": (first - t0) if first else 0.0,
            "tokens_per_second": (produced - 1) / decode_time if produced > 1 and decode_time else 0.0,
            "finish_reason": "stopped" if stopped else reason,
        }

    # choosing among a few options ------------------------------------------------------
    def choose(self, request: dict[str, Any], prefix: str, options: list[str]) -> None:
        """Which option the reply would continue ``prefix`` with, as greedy constrained
        decoding would pick it, from one shared prompt evaluation (engine/scoring.py)."""
        t0 = time.perf_counter()
        try:
            tokens, _start, _total = self.fit(request)
        except (PromptTooLong, TemplateError) as exc:
            self.conn.send(("error", "too_long" if isinstance(exc, PromptTooLong) else "template", str(exc)))
            return
        chosen = greedy_option(self.llm, tokens + self._tokens(prefix), options)
        self.conn.send(("chosen", chosen, time.perf_counter() - t0))

    def _tokens(self, text: str) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)) if text else []

    def _render(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> str:
        """Tool turns rendered for templates that know them, else as plain text; a template
        that refuses the "tool" role (raise_exception on unknown roles) gets them as user text."""
        if tools:
            return self._render_once(messages, tools=tools)
        plain = [_plain_tool_message(m) for m in messages]
        try:
            return self._render_once(plain)
        except TemplateError:
            if not any(m["role"] == "tool" for m in plain):
                raise
            return self._render_once([dict(m, role="user") if m["role"] == "tool" else m for m in plain])

    def _render_once(self, messages: list[dict[str, Any]], **extra: Any) -> str:
        """The chat template is untrusted code: it always runs under an address-space limit."""
        assert self.template is not None
        if self.process_limited:
            return self.template.render(messages, **extra)
        with address_limit(RUN_MARGIN):
            return self.template.render(messages, **extra)

    def _grammar(self, request: dict[str, Any]) -> Any:
        """A llama.cpp grammar for constrained decoding (tool choice, tool arguments), cached:
        compiling one takes a few milliseconds and the agent reuses a handful."""
        import json

        from llama_cpp.llama_grammar import LlamaGrammar

        schema, gbnf = request.get("json_schema"), request.get("grammar")
        if not schema and not gbnf:
            return None
        key = json.dumps(schema, sort_keys=True) if schema else str(gbnf)
        cache: dict[str, Any] = self.__dict__.setdefault("_grammars", {})
        if key not in cache:
            if len(cache) > 64:
                cache.clear()
            cache[key] = (
                LlamaGrammar.from_json_schema(key, verbose=False)
                if schema
                else LlamaGrammar.from_string(key, verbose=False)
            )
        return cache[key]

    def _flush(self, pending: list[str]) -> None:
        text = "".join(pending)
        pending.clear()
        if text:
            self.conn.send(("delta", text))

    # loop --------------------------------------------------------------------------------
    def serve(self) -> None:
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return  # the app went away
            op = message[0]
            if op == "shutdown":
                return
            try:
                if op == "load":
                    self.load(message[1])
                elif op == "chat":
                    self.chat(message[1])
                elif op == "choose":
                    self.choose(message[1], message[2], message[3])
                elif op == "score":  # bits per text (engine/fluency.py)
                    self.conn.send(score_message(self.llm, list(message[1])))
                elif op == "probe":
                    from assistant.models.hardware import probe

                    self.conn.send(("probe", probe().to_dict()))
                elif op == "reset":
                    self.llm.reset()  # forget the KV cache (benchmarks measure a cold start)
                    self.conn.send(("reset",))
                # a late "stop" after a reply finished is harmless: ignore it
            except TemplateError as exc:
                self.llm = None
                self.conn.send(("error", "template", str(exc)))
            except Exception as exc:  # report, keep serving: the app decides what next
                kind = "load_failed" if op == "load" else "generation"
                self.conn.send(("error", kind, f"{type(exc).__name__}: {exc}"))


class _UnusedChatFormatter:
    """Stands in for llama-cpp-python's Jinja2ChatFormatter. ``Llama()`` builds one for every
    chat template in the file, in a Jinja sandbox without size limits, and Jinja evaluates
    constant expressions while compiling: ``{{ (['a'*999999]*1000)|join }}`` would build a
    gigabyte during the load, before any of our limits. Its chat handlers are never used
    here (ChatTemplate renders every prompt), so compiling is skipped altogether."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def to_chat_handler(self) -> Any:
        return _unused_chat_handler


def _unused_chat_handler(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("llama-cpp-python's chat handlers are not used: ChatTemplate renders prompts.")


def skip_llama_cpp_chat_formatters(llama_cpp: Any) -> None:
    llama_cpp.llama_chat_format.Jinja2ChatFormatter = _UnusedChatFormatter


_ORIGINAL_SOFT_LIMIT: int | None = None


def _mapped_bytes() -> int:
    """The process's current address-space size (VmSize), which RLIMIT_AS limits."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def limit_address_space(extra: int) -> int | None:
    """Cap the soft RLIMIT_AS at what is mapped now plus ``extra`` bytes; returns the limit.
    Linux only: macOS does not enforce RLIMIT_AS and Windows has no such limit."""
    global _ORIGINAL_SOFT_LIMIT
    if not sys.platform.startswith("linux"):
        return None
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if _ORIGINAL_SOFT_LIMIT is None:
        _ORIGINAL_SOFT_LIMIT = soft
    target = _mapped_bytes() + extra
    for ceiling in (_ORIGINAL_SOFT_LIMIT, hard):  # never loosen a limit the user set (ulimit -v)
        if ceiling != resource.RLIM_INFINITY:
            target = min(target, ceiling)
    resource.setrlimit(resource.RLIMIT_AS, (target, hard))
    return target


@contextlib.contextmanager
def address_limit(extra: int) -> Iterator[None]:
    """``limit_address_space`` for the duration of a block, then the previous limit again."""
    if not sys.platform.startswith("linux"):
        yield
        return
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    limit_address_space(extra)
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def lift_address_limit() -> None:
    """Back to the limit the process started with (only the soft limit was ever lowered)."""
    if _ORIGINAL_SOFT_LIMIT is None:
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (_ORIGINAL_SOFT_LIMIT, resource.getrlimit(resource.RLIMIT_AS)[1]))


def main(conn: Connection, log_path: str | None = None) -> None:
    """Child process entry point, at a lower priority (see ``yield_to_the_window``)."""
    yield_to_the_window()
    if log_path:
        # llama.cpp writes its aborts (GGML_ASSERT ...) to fd 2; keep them for the app to quote.
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
    Worker(conn).serve()


def _sampling(request: dict[str, Any]) -> dict[str, Any]:
    """top_k, top_p, min_p, repeat_penalty for ``Llama.generate`` (the engine resolved them)."""
    chosen = request.get("sampling") or {}
    return {
        "top_k": int(chosen.get("top_k", 40)),
        "top_p": float(chosen.get("top_p", 0.95)),
        "min_p": float(chosen.get("min_p", 0.05)),
        "repeat_penalty": float(chosen.get("repeat_penalty", 1.0)),
    }


def _plain_tool_message(message: dict[str, Any]) -> dict[str, str]:
    """OpenAI tool-call messages as plain role/content text, for templates without tools."""
    content = message.get("content")
    text = content if isinstance(content, str) else ""
    calls = message.get("tool_calls")
    if calls:
        described = [f"[called {c['function']['name']} with {c['function']['arguments']}]" for c in calls]
        text = "\n".join([text, *described]).strip()
    return {"role": str(message["role"]), "content": text}
