"""The papernotes terminal app (Textual): library, reader and ask pane over a KnowledgeBase."""

from __future__ import annotations
