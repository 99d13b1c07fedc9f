"""PyInstaller hook for assistant.api: its names are imported on first use from module names in
``_EXPORTS`` (importlib), which the analysis cannot see. Without this the frozen window failed
at start with "No module named 'assistant.api.auth'" (found by packaging/test-install-debian.sh).
"""

from assistant.api import _EXPORTS

hiddenimports = sorted(set(_EXPORTS.values()))
