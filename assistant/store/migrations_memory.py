"""Migrations for recall and user facts (004_*)."""

from __future__ import annotations
