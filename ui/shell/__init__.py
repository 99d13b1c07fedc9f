"""The main window: its layout, the declarative command table (menus and shortcuts), desktop
behaviour (tray, closing, drops) and the dialogs it opens."""
