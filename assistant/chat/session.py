"""One chat turn, from the user's text to a stored reply, as a stream of events."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from assistant.chat.hooks import Extractive, SessionAgent, SessionEvent, SessionMemory
from assistant.chat.loops import LinkedCancel, LoopDetector, note_for_messages, with_note
from assistant.config import Settings
from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    Engine,
    EngineConfig,
    EngineError,
    GenerationStats,
)
from assistant.engine.gate import USER, PriorityGate
from assistant.events import (
    ContextTrimmed,
    ConversationCreated,
    ConversationRenamed,
    Done,
    Event,
    Failed,
    MessagesSuperseded,
    MessageStored,
    ModelLoaded,
    ReplyRevised,
    ReplyStarted,
    ReplyStatus,
    StatusChanged,
    TextDelta,
)
from assistant.store.chats import DEFAULT_TITLE, ChatStore, title_from_text
from assistant.store.db import StorageError

#: A partial reply is saved this often while it streams, so a crash loses at most this much.
SAVE_EVERY_SECONDS = 1.0


class InputRejected(ValueError):
    """The user's text cannot be sent as it is; the message says why."""


def validate_input(text: str, max_chars: int) -> str:
    """Refuse, never silently truncate. NUL bytes are dropped (C strings end at them) and lone
    UTF-16 surrogates (from broken clipboard data) become U+FFFD: neither can be stored as UTF-8."""
    cleaned = text.replace("\x00", "").encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if not cleaned.strip():
        raise InputRejected("The message is empty.")
    if len(cleaned) > max_chars:
        raise InputRejected(
            f"The message is {len(cleaned):,} characters long; the limit is {max_chars:,}. "
            "Shorten it or split it into several messages."
        )
    return cleaned


def local_engine_config(settings: Settings) -> EngineConfig:
    path = settings.effective_model_path()
    if path is None:
        raise EngineError(
            "No model is set and the bundled starter model is not installed. "
            "Choose a .gguf file in Settings.",
            "model_missing",
        )
    return EngineConfig(
        model_path=str(path),
        n_ctx=settings.n_ctx,
        n_threads=settings.effective_threads(),
        n_gpu_layers=settings.n_gpu_layers,
        gpu_memory_limit=settings.gpu_memory_limit_mb * 1024 * 1024,
    )


class ChatSession:
    """Stores messages and streams replies. Safe to use from one worker thread at a time."""

    def __init__(
        self,
        chats: ChatStore,
        engine: Engine,
        settings: Callable[[], Settings],
        configure: Callable[[Settings], EngineConfig] | None = None,
        memory: SessionMemory | None = None,
        agent: SessionAgent | None = None,
        extractive: Extractive | None = None,
    ) -> None:
        self.chats = chats
        self.engine = engine
        self.settings = settings
        #: Turns settings into what the engine loads (Core adds remote connections).
        self.configure = configure or local_engine_config
        self._keep_from: dict[int, int] = {}
        self._model_name = ""  # what the last load said; stored with each reply
        #: Benchmarks set this to get replies of an exact length; users never do.
        self.ignore_eos = False
        #: Benchmarks fix the sampling seed to compare settings on the same draws (-1: random).
        self.seed = -1
        #: Stop a reply that has fallen into a loop (assistant/chat/loops.py); the bench's
        #: "before" column turns it off.
        self.stop_loops = True
        #: Recall and user facts (``assistant.memory.Memory``); None: no memory.
        self.memory = memory
        #: Tool steps before the answer (``assistant.agent.loop.Agent``); None: no tools.
        self.agent = agent
        #: The extractive answer for a turn whose model cannot use retrieved passages
        #: (``assistant.chat.grounded.Extractive``); None: the model always answers.
        self.extractive = extractive
        #: One generation at a time: the user's turns go before other programs' (the local API).
        self.gate = PriorityGate()

    # public entry points ---------------------------------------------------------------
    def send(self, conversation_id: int | None, text: str, cancel: CancelToken) -> Iterator[SessionEvent]:
        """``conversation_id`` None: a new conversation, titled after ``text``
        (ConversationCreated comes first)."""
        settings = self.settings()
        try:
            text = validate_input(text, settings.max_input_chars)
        except InputRejected as exc:
            yield Failed(str(exc), "input_rejected", conversation_id)
            return
        untitled = False
        try:
            if conversation_id is None:
                title = title_from_text(text)
                conversation_id = self.chats.create_conversation(title)
                yield ConversationCreated(conversation_id, title)
            else:
                conversation = self.chats.conversation(conversation_id)
                untitled = conversation is not None and conversation.title == DEFAULT_TITLE
            message_id = self.chats.add_message(conversation_id, "user", text)
        except StorageError as exc:
            yield Failed(str(exc), "storage", conversation_id)
            return
        yield MessageStored(conversation_id, message_id, "user", text)
        if untitled:  # the first message titled it
            yield from self._renamed(conversation_id)
        if self.memory is not None:  # "Remember that ..." / "Forget ...": FactSaved, FactsForgotten
            yield from self.memory.on_user_message(conversation_id, message_id, text)
        yield from self._reply(conversation_id, settings, cancel)

    def regenerate(self, conversation_id: int, cancel: CancelToken) -> Iterator[SessionEvent]:
        """Replace the last reply: the old one is hidden (kept in storage), a new one streams."""
        history = self.chats.messages(conversation_id)
        if not history:
            yield Failed("There is nothing to regenerate yet.", "input_rejected", conversation_id)
            return
        if history[-1].role == "assistant":
            hidden = self.chats.supersede_from(history[-1].id)
            if hidden:
                yield MessagesSuperseded(conversation_id, hidden)
        yield from self._reply(conversation_id, self.settings(), cancel)

    def edit(self, message_id: int, new_text: str, cancel: CancelToken) -> Iterator[SessionEvent]:
        """Replace an earlier user message and continue the chat from there."""
        original = self.chats.message(message_id)
        if original is None or original.role != "user":
            yield Failed("Only your own messages can be edited.", "input_rejected")
            return
        settings = self.settings()
        try:
            new_text = validate_input(new_text, settings.max_input_chars)
        except InputRejected as exc:
            yield Failed(str(exc), "input_rejected", original.conversation_id)
            return
        hidden = self.chats.supersede_from(message_id)
        self._keep_from.pop(original.conversation_id, None)
        if hidden:
            yield MessagesSuperseded(original.conversation_id, hidden)
        yield from self.send(original.conversation_id, new_text, cancel)

    def _renamed(self, conversation_id: int) -> Iterator[SessionEvent]:
        conversation = self.chats.conversation(conversation_id)
        if conversation is not None and conversation.title != DEFAULT_TITLE:
            yield ConversationRenamed(conversation_id, conversation.title)

    # the turn ----------------------------------------------------------------------------
    def _reply(self, conversation_id: int, settings: Settings, cancel: CancelToken) -> Iterator[SessionEvent]:
        """The whole turn (load, tool steps, answer) holds the engine, so a request from another
        program never slips in between the agent's steps and the answer."""
        if not self.gate.acquire(USER, timeout=0):
            yield StatusChanged("generating", "waiting for another program's request to finish")
            if not self.gate.acquire(USER, cancel):
                yield StatusChanged("ready")  # stopped while waiting: nothing was generated
                return
        try:
            yield from self._turn(conversation_id, settings, cancel)
        finally:
            self.gate.release()

    def _turn(self, conversation_id: int, settings: Settings, cancel: CancelToken) -> Iterator[SessionEvent]:
        try:
            yield from self._load(settings)
        except EngineError as exc:
            yield StatusChanged("error", exc.message)
            yield Failed(exc.message, exc.kind, conversation_id)
            return
        request = asked = self._request(conversation_id, settings)
        model_name = self._model_name or Path(settings.effective_model_path() or "").name
        if self.agent is not None:  # tool cards and confirmations; returns the answer's request
            answer = yield from self.agent.run(conversation_id, request, cancel)
            if not isinstance(answer, ChatRequest):  # the app wrote it from the tools' results
                yield from self._composed(conversation_id, answer.composed_text, model_name)
                return
            request = answer
        quoted = self.extractive(conversation_id) if request is asked and self.extractive else None
        if quoted is not None:  # a small model with passages loops: the best sentence, quoted
            yield from self._composed(conversation_id, quoted, model_name, cite=True)
            return
        try:
            reply_id = self.chats.add_message(conversation_id, "assistant", "", "streaming", model_name)
        except StorageError as exc:
            yield Failed(str(exc), "storage", conversation_id)
            return
        yield ReplyStarted(conversation_id, reply_id)
        if self.memory is not None:  # CitationsUsed: the numbered sources _request gave the model
            yield from self.memory.cited(conversation_id, reply_id)
        yield StatusChanged("generating")
        yield from self._stream(conversation_id, reply_id, request, cancel)

    def _composed(
        self, conversation_id: int, text: str, model_name: str, cite: bool = False
    ) -> Iterator[SessionEvent]:
        """An answer the app composed (no model call): stored and shown as one reply; ``cite``:
        with the turn's citations (the extractive answer's quoted sources)."""
        try:
            reply_id = self.chats.add_message(conversation_id, "assistant", text, "complete", model_name)
        except StorageError as exc:
            yield Failed(str(exc), "storage", conversation_id)
            return
        yield ReplyStarted(conversation_id, reply_id)
        if cite and self.memory is not None:
            yield from self.memory.cited(conversation_id, reply_id)
        yield TextDelta(text)
        yield StatusChanged("ready")
        yield Done(conversation_id, reply_id, "complete", n_tokens=0)

    def preload(self) -> Iterator[Event]:
        """Load the model now (e.g. right after the window shows) so the first reply is quick."""
        with self.gate.hold(USER):
            try:
                yield from self._load(self.settings())
            except EngineError as exc:
                yield StatusChanged("error", exc.message)
                yield Failed(exc.message, exc.kind)

    def _load(self, settings: Settings) -> Iterator[Event]:
        config = self.configure(settings)
        for event in self.engine.ensure_loaded(config):
            if isinstance(event, (StatusChanged, ModelLoaded)):
                yield event
                if isinstance(event, ModelLoaded):
                    self._model_name = event.name
                    yield StatusChanged("ready", event.name)

    def _request(self, conversation_id: int, settings: Settings) -> ChatRequest:
        conversation = self.chats.conversation(conversation_id)
        system = (conversation.system_prompt if conversation else None) or settings.system_prompt
        messages: list[dict[str, str]] = [{"role": "system", "content": system}] if system else []
        for message in self.chats.messages(conversation_id):
            if message.role in ("user", "assistant") and message.content:
                messages.append({"role": message.role, "content": message.content})
        if self.memory is not None:
            # Retrieved facts, earlier chats and documents, after the history (stable KV prefix).
            messages = self.memory.prepare(conversation_id, messages)
        return ChatRequest(
            messages=messages,
            temperature=settings.temperature,
            max_tokens=settings.max_reply_tokens,
            keep_from=self._keep_from.get(conversation_id, 0),
            ignore_eos=self.ignore_eos,
            seed=self.seed,
            sampling={"repeat_penalty": settings.repeat_penalty} if settings.repeat_penalty > 0 else None,
        )

    def _stream(
        self, conversation_id: int, reply_id: int, request: ChatRequest, cancel: CancelToken
    ) -> Iterator[SessionEvent]:
        parts: list[str] = []
        last_save = time.monotonic()
        status: ReplyStatus = "interrupted"
        loops = LoopDetector() if self.stop_loops else None
        inner = LinkedCancel(cancel)
        try:
            for event in self.engine.chat(request, inner):
                if isinstance(event, TextDelta):
                    if loops is not None and (loops.loop or loops.feed(event.text)):
                        inner.cancel()  # the rest of the stream is the loop: dropped
                        continue
                    parts.append(event.text)
                    yield event
                    if time.monotonic() - last_save >= SAVE_EVERY_SECONDS:
                        self.chats.update_message(reply_id, "".join(parts), "streaming")
                        last_save = time.monotonic()
                elif isinstance(event, ContextTrimmed):
                    yield event
                elif isinstance(event, GenerationStats):
                    final: ReplyStatus = "stopped" if event.stopped else "complete"
                    self._keep_from[conversation_id] = event.keep_from
                    if loops is not None and loops.loop is not None:
                        parts = [self._loop_text(loops.loop.keep, request)]
                        yield ReplyRevised(conversation_id, reply_id, parts[0], self._loop_note(request))
                    self.chats.update_message(reply_id, "".join(parts), final, event.n_tokens)
                    status = final
                    yield StatusChanged("ready")
                    yield Done(
                        conversation_id,
                        reply_id,
                        status,
                        event.n_tokens,
                        event.tokens_per_second,
                        event.first_token_seconds,
                        event.prompt_tokens,
                        event.cached_tokens,
                    )
        except EngineError as exc:
            self._save_quietly(reply_id, "".join(parts), "interrupted")
            yield StatusChanged("error", exc.message)
            yield Failed(exc.message, exc.kind, conversation_id, reply_id)
        except StorageError as exc:
            yield StatusChanged("error", str(exc))
            yield Failed(str(exc), "storage", conversation_id, reply_id)
        finally:
            if status == "interrupted":
                # Reached when the consumer abandons the stream (window closed, thread
                # stopped) as well as on errors: keep what arrived, marked.
                self._save_quietly(reply_id, "".join(parts), "interrupted")

    @staticmethod
    def _loop_note(request: ChatRequest) -> str:
        """The note in the user's language (the language of their last message)."""
        return note_for_messages(request.messages)

    def _loop_text(self, kept: str, request: ChatRequest) -> str:
        return with_note(kept, request.messages)

    def _save_quietly(self, reply_id: int, content: str, status: str) -> None:
        try:
            self.chats.update_message(reply_id, content, status)
        except StorageError:
            # A full disk can refuse the text yet accept a status change, which needs no
            # new pages: at least never leave the row looking like it is still streaming.
            try:
                self.chats.set_status(reply_id, status)
            except StorageError:
                pass  # the disk is failing; the error was already reported
