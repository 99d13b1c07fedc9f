"""Migrations for document collections (005_*)."""

from __future__ import annotations
