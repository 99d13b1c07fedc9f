"""The conversation: ChatController (the turn, the preload and the queued send), the sidebar,
composer, header, cards, language note, and export/import of chats."""
