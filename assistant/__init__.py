"""Offline desktop assistant: the Qt-free core."""

__version__ = "0.1.0"
