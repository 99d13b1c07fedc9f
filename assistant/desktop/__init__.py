"""Desktop integration that needs no Qt (autostart entries)."""
