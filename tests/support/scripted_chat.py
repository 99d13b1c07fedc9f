"""``assistant chat`` on a ScriptedEngine, for tests that need a real terminal (pty).

The agent's constrained stages get the replies in ``SCRIPTED_CONSTRAINED`` (a JSON list); the
answer is "All set.". Run as ``python tests/support/scripted_chat.py chat "remind me ..."``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant import cli
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine


def main() -> int:
    constrained = json.loads(os.environ.get("SCRIPTED_CONSTRAINED", "[]"))
    engine = ScriptedEngine(["All set."], constrained=constrained)
    cli._open_core = lambda: Core.open(engine=engine)  # type: ignore[assignment]
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
