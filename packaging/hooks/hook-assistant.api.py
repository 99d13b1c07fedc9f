"""PyInstaller hook for assistant.api: ApiServer and its neighbours are imported on first use
(``importlib.import_module("assistant.api.server")`` in its ``__getattr__``), which the analysis
cannot see. Without this the frozen window failed at start with "No module named
'assistant.api.…'" (found by packaging/test-install-debian.sh). The server module's own imports
(Starlette, uvicorn, the agent) are then followed as usual.
"""

hiddenimports = ["assistant.api.server"]
