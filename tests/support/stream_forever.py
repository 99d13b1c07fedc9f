"""Child process for the durability test: store one user message and stream a reply forever.

Usage: python stream_forever.py CONVERSATION_ID JSON_USER_TEXT [--save-every-token]

Prints "streaming" (flushed) once the first token of the reply has arrived, then keeps
streaming until it is killed. Opens the profile in $ASSISTANT_HOME. Imports only the core.
"""

from __future__ import annotations

import json
import sys

WORDS = 200_000


def reply_text() -> str:
    """The scripted reply; long enough (~400 s at 2 ms a token) never to finish."""
    return " ".join(f"w{i}" for i in range(WORDS))


def main(argv: list[str]) -> int:
    import assistant.chat.session as session_module
    from assistant.config import Settings
    from assistant.core import Core
    from assistant.engine.base import CancelToken
    from assistant.engine.fake import ScriptedEngine
    from assistant.events import Failed, TextDelta

    conversation_id = int(argv[1])
    text = json.loads(argv[2])
    if "--save-every-token" in argv:
        session_module.SAVE_EVERY_SECONDS = 0.0  # a commit per token: kills land mid-write

    core = Core.open(engine=ScriptedEngine([reply_text()], token_delay=0.002))
    core.settings = Settings(model_path="scripted.gguf")  # not saved: nothing to validate
    announced = False
    for event in core.session.send(conversation_id, text, CancelToken()):
        if isinstance(event, Failed):
            print(f"failed: {event.kind}: {event.message}", flush=True)
            return 1
        if isinstance(event, TextDelta) and not announced:
            print("streaming", flush=True)
            announced = True
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
