"""PySide6 desktop GUI: a thin layer over the Qt-free ``assistant`` core, one package per feature.

- ``app/``        entry point, start-up faults, single instance, translations, theme, tray
- ``shell/``      the main window (layout), its command table (menus, shortcuts), desktop
                  behaviour, the dialogs it opens, the status bar, Help
- ``chat/``       ChatController (the conversation, its turns, the preload, the queued send),
                  sidebar, composer, header, cards, language note, export and import of chats
- ``models/``     Models dialog: installed, catalog downloads, remote engines, search model
- ``memory/``     Memory dialog (facts)
- ``search/``     Search dialog (chats, documents, facts)
- ``documents/``  Documents dialog (indexed folders)
- ``agenda/``     reminders firing (timer, banners, tray), Agenda dialog and its editor
- ``settings/``   Settings dialog and its pages (agent, local API)
- ``widgets/``    shared small pieces: banner, number formatting, error headlines
- ``bridge/``     the only way to the core: workers for core generators, CoreChanges (the
                  core's change feed as Qt signals), the local API server's controller
"""
