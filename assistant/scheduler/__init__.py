"""Natural-language times, reminders and events, the due-time service, and ICS."""
