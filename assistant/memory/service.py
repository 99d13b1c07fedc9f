"""``Memory``: the one object the rest of the app talks to for recall, search and facts."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from assistant.changes import SettingsChanged
from assistant.memory import recall as recall_mod
from assistant.memory.embedder import Embedder, EmbedderError, TextEmbedder
from assistant.memory.events import Citation, CitationsUsed, FactSaved, FactsForgotten, MemoryEvent
from assistant.memory.facts import FactStore, parse_intent
from assistant.memory.search import ALL_KINDS, Hit, Retriever
from assistant.memory.switch import ModelSwitch
from assistant.memory.vectors import VectorIndex
from assistant.memory.words_index import WordsBackfill
from assistant.memory.worker import EmbeddingWorker, prune_vectors
from assistant.store.db import Database

log = logging.getLogger(__name__)
SETTINGS_PREFIX = "memory."


@dataclass
class MemorySettings:
    """Stored in the ``settings`` table under ``memory.*`` keys (the chat settings ignore them)."""

    #: Off: no facts are saved or used and earlier chats are not recalled (documents still are,
    #: for the collections switched on in a conversation).
    enabled: bool = True
    recall_chats: bool = True
    #: Empty: the bundled all-MiniLM-L6-v2; else an id from resources/embedders.json or a
    #: local sentence-transformers folder. Changed through ``Memory.switch`` (switch.py).
    embedding_model: str = ""
    #: The model being switched to while its vectors are computed ("": no switch under way).
    embedding_next: str = ""
    #: The multilingual model was suggested once (shown, whatever the answer).
    multilingual_suggested: bool = False
    recall_budget_tokens: int = 700
    #: Retrieved passages: "auto" (the model uses them when it is capable, else the answer
    #: quotes the best sentence; assistant/chat/grounded.py), "model" or "extract".
    passages: str = "auto"
    recall_items: int = 6


def load_settings(database: Database) -> MemorySettings:
    values: dict[str, Any] = {}
    defaults = MemorySettings()
    for row in database.db.execute("select key, value from settings where key like 'memory.%'"):
        name = row[0][len(SETTINGS_PREFIX) :]
        try:
            value = json.loads(row[1])
        except ValueError:
            continue
        if hasattr(defaults, name) and type(value) is type(getattr(defaults, name)):
            values[name] = value
    return MemorySettings(**{**asdict(defaults), **values})


def save_settings(database: Database, settings: MemorySettings) -> None:
    with database.writing() as db:
        for f in fields(settings):
            db.execute(
                "insert into settings(key, value) values (?, ?)"
                " on conflict(key) do update set value = excluded.value",
                [SETTINGS_PREFIX + f.name, json.dumps(getattr(settings, f.name))],
            )
        database.changed(SettingsChanged())


class Memory:
    """Owns the embedder, the vector index, the retriever, the facts and the worker thread.

    Nothing heavy happens in ``__init__``: the model loads in the worker (:meth:`start`) or
    on the first call that must have vectors.
    """

    def __init__(
        self,
        database: Database,
        embedder_factory: Callable[[str], TextEmbedder] | None = None,
        collections_for: Callable[[int], list[int]] | None = None,
    ) -> None:
        self.database = database
        self.facts = FactStore(database)
        self.settings = load_settings(database)
        self._factory = embedder_factory or (lambda setting: Embedder(setting))
        #: Which document collections are switched on for a conversation (set by Core).
        self.collections_for = collections_for or (lambda _cid: [])
        self._lock = threading.Lock()
        self.embedder: TextEmbedder | None = None
        self.embedder_error = ""
        self._make_embedder()
        model_id = self.embedder.model_id if self.embedder else "none"
        self.index = VectorIndex(database, model_id)
        self.retriever = Retriever(database, self.index, self.embedder)
        self.worker: EmbeddingWorker | None = None
        #: A change of embedding model in progress (re-embedding beside the old vectors).
        self.switch = ModelSwitch(self, self._factory)
        #: Segments items older than the word index (migration words_001), in the background.
        self.words_backfill = WordsBackfill(database)
        self._pending_recall: dict[int, recall_mod.Recall] = {}

    def _make_embedder(self) -> None:
        try:
            self.embedder = self._factory(self.settings.embedding_model)
            self.embedder_error = ""
        except EmbedderError as exc:
            self.embedder, self.embedder_error = None, str(exc)

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the background embedding thread (loads the model there) and the one that
        segments older items for keyword search."""
        self.words_backfill.start()
        with self._lock:
            if self.embedder is None or (self.worker and self.worker.running):
                return
            self.worker = EmbeddingWorker(self.database, self.embedder, self.index, keep=self._keep)
            self.worker.start()
        self.switch.start()  # a change of model left unfinished (also before a restart)

    def stop(self) -> None:
        self.words_backfill.stop()
        self.switch.stop()  # first, and without our lock: its thread may be promoting
        with self._lock:
            if self.worker:
                self.worker.stop()
                self.worker = None

    def notify(self) -> None:
        if self.worker:
            self.worker.notify()

    def use_embedder(self, embedder: TextEmbedder | None) -> None:
        """Swap the model (tests share one; Settings may pick another). Vectors of the old
        model are never searched with the new one: the index restarts empty for the new model
        and the worker re-embeds everything in the background, overwriting the old vectors."""
        running = self.worker is not None
        self.stop()
        self.switch.forget()
        self.embedder = embedder
        self.index = VectorIndex(self.database, embedder.model_id if embedder else "none")
        self.retriever = Retriever(self.database, self.index, embedder)
        if running:
            self.start()

    def update_settings(self, settings: MemorySettings) -> None:
        """Save; a new ``embedding_model`` is switched to by ``self.switch.begin`` (vectors of
        the new model first, then search changes over)."""
        wanted = settings.embedding_model
        current = self.settings
        self.save_changes(**{
            **asdict(settings), "embedding_model": current.embedding_model,
            "embedding_next": current.embedding_next,
        })
        if wanted != current.embedding_model:
            try:
                self.switch.begin(wanted)
            except EmbedderError as exc:
                self.embedder_error = str(exc)

    def save_changes(self, **changes: Any) -> None:
        self.settings = replace(self.settings, **changes)
        save_settings(self.database, self.settings)

    def _keep(self) -> set[str]:
        """Models whose vectors stay: the active one and the one being switched to."""
        keep = {self.embedder.model_id} if self.embedder is not None else set()
        target = self.switch.target_model_id()
        return keep | {target} if target else keep

    def promote(self, embedder: TextEmbedder, index: VectorIndex, worker: EmbeddingWorker | None) -> bool:
        """Make a fully embedded switch target the active model in one step: searches already
        running finish with the old retriever, the next one uses the new. False if the switch
        was cancelled meanwhile. The old model's vectors are then deleted in the background."""
        with self._lock:
            target = self.settings.embedding_next
            if not target:
                return False
            self.save_changes(embedding_model=self.switch.stored(target), embedding_next="")
            old, self.worker = self.worker, worker
            self.embedder, self.index, self.embedder_error = embedder, index, ""
            self.retriever = Retriever(self.database, index, embedder)
        if old is not None and old is not worker:
            old.stop()
        if worker is not None:
            worker.keep = self._keep
            worker.request_prune()
        else:
            prune_vectors(self.database, self._keep())
        log.info("embedding model switched to %s", embedder.model_id)
        return True

    # search ----------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        kinds: Iterable[str] = ALL_KINDS,
        k: int = 10,
        collection_ids: list[int] | None = None,
        exclude_conversation: int | None = None,
        wait_for_model: bool = False,
        before_message: int | None = None,
    ) -> list[Hit]:
        """See :meth:`Retriever.search`. ``wait_for_model`` loads the embedder if needed (the
        CLI and the agent's tools, which run off the GUI thread, may wait; the UI should not)."""
        use = None
        if wait_for_model and self.embedder is not None:
            try:
                self.embedder.load()
                self.index.sync()
                use = True
            except EmbedderError:
                use = False
        return self.retriever.search(
            query, kinds, k, collection_ids, exclude_conversation, use, before_message=before_message
        )

    # the chat's hooks ----------------------------------------------------------------------
    def on_user_message(self, conversation_id: int, message_id: int, text: str) -> list[MemoryEvent]:
        """Remember / forget / propose a fact from what the user just wrote."""
        self.notify()
        if not self.settings.enabled:
            return []
        intent = parse_intent(text)
        if intent is None:
            return []
        if intent.action == "forget":
            found = self.facts.matching(intent.text)
            self.facts.delete([f.id for f in found])
            return [FactsForgotten(tuple(f.id for f in found), tuple(f.text for f in found), intent.text)]
        status = "approved" if intent.action == "remember" else "proposed"
        fact_id = self.facts.add(intent.text, status, "user", conversation_id, message_id)
        return [FactSaved(fact_id, intent.text, status)]

    def recall(self, conversation_id: int, query: str) -> recall_mod.Recall | None:
        """Reference material for the reply to ``query``, or None. Never raises: recall is a
        bonus, a failure here must not stop the chat."""
        try:
            kinds: list[str] = []
            if self.settings.enabled:
                kinds.append("fact")
                if self.settings.recall_chats:
                    kinds.append("message")
            collections = self.collections_for(conversation_id)
            if collections:
                kinds.append("chunk")
            if not kinds:
                return None
            hits = self.retriever.search(
                query,
                kinds,
                self.settings.recall_items * 2,
                collections,
                exclude_conversation=conversation_id,
            )
            chosen = recall_mod.relevant(hits, query)[: self.settings.recall_items]
            chosen = self._with_exchanges(self._without_fact_sources(chosen))
            return recall_mod.build(chosen, self.settings.recall_budget_tokens)
        except Exception:
            log.exception("recall failed")
            return None

    @staticmethod
    def _without_fact_sources(hits: list[Hit]) -> list[Hit]:
        """ "Remember that X" and the fact X say the same: keep the fact only."""
        said = {h.said_in for h in hits if h.kind == "fact" and h.said_in is not None}
        return [h for h in hits if not (h.kind == "message" and h.message_id in said)]

    def _with_exchanges(self, hits: list[Hit]) -> list[Hit]:
        """A chat hit brings its other half: the question finds the answer (and vice versa)."""
        out: list[Hit] = []
        seen: set[int] = {h.message_id for h in hits if h.message_id}
        for hit in hits:
            if hit.kind != "message" or hit.message_id is None:
                out.append(hit)
                continue
            op, order = (">", "asc") if hit.role == "user" else ("<", "desc")
            row = self.database.db.execute(
                f"select id, role, content from messages where conversation_id = ? and id {op} ?"
                f" and superseded_at is null and status != 'streaming' order by id {order} limit 1",
                [hit.conversation_id, hit.message_id],
            ).fetchone()
            if row is None or row[1] == hit.role or row[0] in seen:
                out.append(hit)
                continue
            seen.add(row[0])
            if hit.role == "user":
                text = f"{hit.text}\n(the assistant replied: {row[2]})"
            else:
                text = f"(the user asked: {row[2]})\n{hit.text}"
            out.append(replace(hit, text=text))
        return out

    def prepare(self, conversation_id: int, messages: list[dict[str, str]]) -> list[dict[str, str]]:
        """The prompt's messages with the reference block attached (kept for :meth:`cited`)."""
        self._pending_recall.pop(conversation_id, None)
        question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        found = self.recall(conversation_id, question) if question else None
        if found is None:
            return messages
        self._pending_recall[conversation_id] = found
        return recall_mod.attach(messages, found)

    def pending_recall(self, conversation_id: int) -> recall_mod.Recall | None:
        """What :meth:`prepare` found for this turn (until :meth:`cited` takes it)."""
        return self._pending_recall.get(conversation_id)

    def set_pending_recall(self, conversation_id: int, found: recall_mod.Recall) -> None:
        """Replace it (the extractive answer cites only the sources it quotes)."""
        self._pending_recall[conversation_id] = found

    def read_untrusted(self, conversation_id: int) -> bool:
        """Whether the prompt :meth:`prepare` built for this turn carries text the user did not
        write (documents, earlier replies): such a turn may not act without asking."""
        found = self._pending_recall.get(conversation_id)
        return found is not None and found.untrusted

    def cited(self, conversation_id: int, reply_id: int) -> list[CitationsUsed]:
        """The citations event for the reply that :meth:`prepare` prepared, stored with it so
        the UI can show them again when the conversation is reopened."""
        found = self._pending_recall.pop(conversation_id, None)
        if found is None:
            return []
        try:
            with self.database.writing() as db:
                db.execute(
                    "insert or replace into reply_citations(message_id, citations) values (?, ?)",
                    [reply_id, json.dumps([c.to_dict() for c in found.citations])],
                )
        except Exception:
            log.exception("could not store citations")
        return [CitationsUsed(conversation_id, reply_id, found.citations)]

    def citations(self, message_id: int) -> tuple[Citation, ...]:
        row = self.database.db.execute(
            "select citations from reply_citations where message_id = ?", [message_id]
        ).fetchone()
        if not row:
            return ()
        return tuple(Citation.from_dict(d) for d in json.loads(row[0]))
