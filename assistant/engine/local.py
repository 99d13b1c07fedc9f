"""LocalEngine: llama.cpp in a child process, spoken to over a pipe.

This module must stay cheap to import: ``llama_cpp`` is imported only in the child.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import signal
import threading
from collections.abc import Iterator
from dataclasses import asdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assistant.config import log_dir
from assistant.engine import sampling
from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    EngineConfig,
    EngineError,
    EngineEvent,
    GenerationStats,
)
from assistant.events import ContextTrimmed, ModelLoaded, StatusChanged, TextDelta
from assistant.models.fit import FitDecision, choose_gpu_layers, estimate, fallbacks
from assistant.models.gguf_header import GGUFError, GGUFHeader, read_header
from assistant.models.hardware import Hardware

log = logging.getLogger(__name__)
POLL_SECONDS = 0.05
SHUTDOWN_SECONDS = 3.0


class LocalEngine:
    """Owns one model process at a time; restarts it after a crash or a config change."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._conn: Connection | None = None
        self._config: EngineConfig | None = None
        self._lock = threading.Lock()
        self._log_path = log_dir() / "model-process.log"
        self.hardware: Hardware | None = None
        #: The loaded model's chat template renders tool definitions (from its GGUF header).
        self.template_supports_tools = False
        #: llama.cpp gives back text; tool calls come through the agent's constrained stages.
        self.supports_tool_calls = False
        #: The loaded model's sampling defaults (GGUF metadata, else its family's).
        self.sampling = sampling.BASE

    # lifecycle ---------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        if self.alive and self._config == config:
            return
        path = Path(config.model_path)
        yield StatusChanged("loading", path.name)
        try:
            header = read_header(path)
        except GGUFError as exc:
            raise EngineError(str(exc), exc.kind) from exc
        self._stop_process()
        self._start_process()
        hardware = Hardware(**self._ask(("probe",), "probe")[1])
        self.hardware = hardware
        decision = self._plan(config, header, hardware)
        plans = [decision, *fallbacks(decision)]
        last_error = ""
        for attempt, plan in enumerate(plans):
            if attempt:
                yield StatusChanged("loading", plan.reason)
                log.warning("load failed (%s); %s", last_error, plan.reason)
            try:
                info = self._load_once(config, plan)
            except EngineError as exc:
                last_error = exc.message
                if not _maybe_out_of_memory(exc) or attempt == len(plans) - 1:
                    self._stop_process()
                    raise
                continue
            self._config = config
            template = header.chat_template or ""
            self.template_supports_tools = "tools" in template
            self.sampling = sampling.from_metadata(header.metadata)
            log.info("loaded %s in %.2f s: %s", path, info["load_seconds"], plan.reason)
            yield ModelLoaded(
                name=info.get("name") or header.metadata.get("general.name") or path.stem,
                path=str(path),
                n_ctx=int(info["n_ctx"]),
                n_threads=config.n_threads,
                n_gpu_layers=plan.n_gpu_layers,
                load_seconds=float(info["load_seconds"]),
                detail=plan.reason,
                backend=hardware.backend,
            )
            return

    def _plan(self, config: EngineConfig, header: GGUFHeader, hardware: Hardware) -> FitDecision:
        free = hardware.gpu_free_bytes
        if config.gpu_memory_limit > 0:
            free = min(free, config.gpu_memory_limit) if free is not None else config.gpu_memory_limit
        est = estimate(header, config.n_ctx)
        return choose_gpu_layers(est, config.n_gpu_layers, hardware.gpu_offload, free, config.n_ctx)

    def _load_once(self, config: EngineConfig, plan: FitDecision) -> dict[str, Any]:
        if not self.alive:
            self._start_process()
        settings = dict(asdict(config), n_gpu_layers=plan.n_gpu_layers, n_ctx=plan.n_ctx)
        settings.pop("remote", None)
        reply = self._ask(("load", settings), "loading")
        if reply[0] == "error" and reply[1] == "template":
            raise EngineError(f"This model was refused: {reply[2]}", "template")
        if reply[0] == "error":
            raise EngineError(f"The model could not be loaded: {reply[2]}", "load_failed")
        return dict(reply[1])

    def _ask(self, message: tuple[Any, ...], during: str) -> tuple[Any, ...]:
        assert self._conn is not None
        self._conn.send(message)
        return self._receive(None, during=during)

    def _start_process(self) -> None:
        # spawn, not fork: forking a process that runs Qt and threads is unsafe.
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe(duplex=True)
        self._log_path.parent.mkdir(parents=True, exist_ok=True)
        from assistant.engine import worker

        self._proc = ctx.Process(
            target=worker.main, args=(child, str(self._log_path)), daemon=True, name="model"
        )
        self._proc.start()
        child.close()
        self._conn = parent

    def _stop_process(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        self._config = None
        if proc is None:
            return
        try:
            if conn is not None and proc.is_alive():
                conn.send(("shutdown",))
        except OSError:
            pass
        proc.join(SHUTDOWN_SECONDS)
        if proc.is_alive():
            proc.kill()
            proc.join(SHUTDOWN_SECONDS)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        self._stop_process()

    def reset_cache(self) -> None:
        """Drop the model's KV cache, so the next prompt is evaluated from scratch."""
        if self.alive and self._conn is not None:
            self._conn.send(("reset",))
            self._receive(None, during="resetting")

    # chatting ------------------------------------------------------------------------------
    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        if not self.alive or self._conn is None:
            raise EngineError("The model is not loaded.", "not_loaded")
        conn = self._conn
        conn.send(("chat", dict(asdict(request), sampling=self._sampling(request))))
        stop_sent = False
        while True:
            if cancel.cancelled and not stop_sent:
                conn.send(("stop",))
                stop_sent = True
            message = self._receive(cancel, during="generating")
            kind = message[0]
            if kind == "delta":
                yield TextDelta(message[1])
            elif kind == "trimmed":
                yield ContextTrimmed(message[1], message[2])
            elif kind == "done":
                stats = message[1]
                yield GenerationStats(
                    stopped=bool(stats["stopped"]),
                    n_tokens=int(stats["n_tokens"]),
                    prompt_tokens=int(stats["prompt_tokens"]),
                    cached_tokens=int(stats["cached_tokens"]),
                    first_token_seconds=float(stats["first_token_seconds"]),
                    tokens_per_second=float(stats["tokens_per_second"]),
                    keep_from=int(stats["keep_from"]),
                    finish_reason=str(stats["finish_reason"]),
                )
                return
            elif kind == "error":
                raise EngineError(message[2], message[1])
            elif kind == "timeout" and stop_sent is False and cancel.cancelled:
                continue

    def choose_option(self, request: ChatRequest, prefix: str, options: list[str]) -> int:
        """Which option the model continues ``prefix`` with (see engine/scoring.py)."""
        if not self.alive or self._conn is None:
            raise EngineError("The model is not loaded.", "not_loaded")
        self._conn.send(("choose", asdict(request), prefix, list(options)))
        message = self._receive(None, during="choosing")
        if message[0] == "error":
            raise EngineError(message[2], message[1])
        return int(message[1])

    def score_texts(self, texts: list[str]) -> list[tuple[float, int]]:
        """Bits and tokens the loaded model needs for each text (engine/fluency.py). The caller
        holds the session's gate: this replaces the KV cache, so never during a reply."""
        if not self.alive or self._conn is None:
            raise EngineError("The model is not loaded.", "not_loaded")
        self._conn.send(("score", list(texts)))
        message = self._receive(None, during="measuring")
        if message[0] == "error":
            raise EngineError(message[2], message[1])
        return [(float(bits), int(tokens)) for bits, tokens in message[1]]

    @property
    def loaded_path(self) -> str | None:
        """The model file the process holds now, or None."""
        return self._config.model_path if self.alive and self._config is not None else None

    def _sampling(self, request: ChatRequest) -> dict[str, Any]:
        """The model's defaults with the request's values on top. Constrained decoding (the
        agent's JSON stages) runs without a repeat penalty: JSON repeats quotes and braces."""
        chosen = dict(self.sampling.to_dict(), **(request.sampling or {}))
        if request.json_schema or request.grammar:
            chosen["repeat_penalty"] = 1.0
        return chosen

    def _receive(self, cancel: CancelToken | None, during: str) -> tuple[Any, ...]:
        """Wait for the next message, noticing a dead child instead of hanging forever."""
        conn = self._conn
        assert conn is not None
        while True:
            try:
                if conn.poll(POLL_SECONDS):
                    message: tuple[Any, ...] = conn.recv()  # the worker's protocol (engine/worker.py)
                    return message
            except (EOFError, OSError):
                pass
            if cancel is not None and cancel.cancelled:
                return ("timeout",)
            if not self.alive:
                self._crashed(during)

    def _crashed(self, during: str) -> None:
        code = self._proc.exitcode if self._proc is not None else None
        self._stop_process()
        message = _crash_message(code, during, self._last_log_line())
        log.error(message)
        raise EngineError(message, "crashed")

    def _last_log_line(self) -> str:
        try:
            lines = self._log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""


def _maybe_out_of_memory(exc: EngineError) -> bool:
    """llama.cpp reports a failed allocation as a load failure, or the process dies (OOM killer)."""
    if exc.kind == "crashed":
        return True
    text = exc.message.lower()
    return exc.kind == "load_failed" and any(
        word in text for word in ("memory", "alloc", "failed to load model", "cuda", "vram")
    )


def _crash_message(code: int | None, during: str, log_line: str) -> str:
    if code is not None and code < 0:
        try:
            cause = signal.Signals(-code).name
        except ValueError:
            cause = f"signal {-code}"
    else:
        cause = f"exit code {code}"
    text = f"The model process stopped unexpectedly while {during} ({cause})."
    if code == -signal.SIGKILL:
        text += " It may have run out of memory, or was ended by the system."
    elif code == -signal.SIGABRT or code == -signal.SIGSEGV:
        text += " The model file may be damaged or not supported."
    if log_line:
        text += f" Last message: {log_line}"
    return text + " Your chat is saved; send a message to reload the model."
