"""Entry point of the frozen app (PyInstaller runs this file as ``__main__``).

``multiprocessing.freeze_support()`` must run first: the app starts its model worker with the
``spawn`` start method, which re-executes this same binary with ``--multiprocessing-fork``
arguments; freeze_support() turns that child into the worker and never returns there.
Nothing else may run before it (no Qt, no logging set-up, no argument parsing).
"""

import multiprocessing
import sys


def main() -> int:
    multiprocessing.freeze_support()
    from assistant.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
