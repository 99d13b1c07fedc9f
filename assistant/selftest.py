"""``assistant --self-test``: proves an installation works end to end, without a window.

Loads the starter model, answers one prompt, writes and reads the database, exits 0. Used by
the installer test (packaging/test-install-debian.sh) and handy for support.
"""

from __future__ import annotations

import sys
import time

from assistant.config import Settings, starter_model_path


def run_self_test() -> int:
    from assistant.core import Core
    from assistant.engine.base import CancelToken
    from assistant.events import Done, Failed, TextDelta

    start = time.perf_counter()
    model = starter_model_path()
    if model is None:
        print("self-test: FAILED: the bundled starter model was not found", file=sys.stderr)
        return 1
    core = Core.open()
    try:
        core.settings = Settings(model_path=str(model), n_ctx=1024, temperature=0.0, max_reply_tokens=16)
        conversation = core.chats.create_conversation("Self-test")
        text, done = "", None
        for event in core.session.send(conversation, "Say hello.", CancelToken()):
            if isinstance(event, TextDelta):
                text += event.text
            elif isinstance(event, Done):
                done = event
            elif isinstance(event, Failed):
                print(f"self-test: FAILED: {event.message}", file=sys.stderr)
                return 1
        stored = core.chats.messages(conversation)
        if done is None or not text.strip() or len(stored) != 2 or stored[1].content != text:
            print("self-test: FAILED: the reply was not generated and stored", file=sys.stderr)
            return 1
        core.chats.delete_conversation(conversation)
        embedder = _check_embedder()
        if embedder is None:
            return 1
        print(
            f"self-test: ok ({done.n_tokens} tokens, {time.perf_counter() - start:.1f} s, "
            f"database {core.database.path}, {embedder})"
        )
        return 0
    finally:
        core.close()


def _check_embedder() -> str | None:
    """The bundled sentence-transformers model embeds one sentence (document search works)."""
    from assistant.memory.embedder import Embedder, EmbedderError

    try:
        embedder = Embedder("")
        vectors = embedder.encode(["The installation works."])
    except EmbedderError as exc:
        print(f"self-test: FAILED: the embedder: {exc}", file=sys.stderr)
        return None
    if vectors.shape != (1, embedder.dim) or embedder.dim == 0:
        print(f"self-test: FAILED: the embedder returned {vectors.shape}", file=sys.stderr)
        return None
    return f"embedder {embedder.dim} dims"
