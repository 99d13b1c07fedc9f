"""Reminders and the agenda: the firing timer, banners, the agenda dialog and its editor."""
