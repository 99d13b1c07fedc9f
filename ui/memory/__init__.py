"""Memory: the facts the assistant keeps about the user (Tools → Memory)."""
