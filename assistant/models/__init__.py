"""Model files: GGUF header reading and validation."""
