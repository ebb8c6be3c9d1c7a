"""Widgets of the papernotes app: library, reader, note card, ask pane, status line."""

from __future__ import annotations
