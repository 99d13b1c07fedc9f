"""Settings: the Settings dialog and its pages (agent, local API)."""
