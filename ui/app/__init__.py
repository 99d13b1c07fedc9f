"""The application around the window: entry point, start-up, single instance, translations,
theme, tray and diagnostics."""
