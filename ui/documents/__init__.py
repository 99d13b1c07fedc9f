"""Documents: the folders indexed for citations (Tools → Documents)."""
