"""papernotes core: notes → chunks → embeddings → index → answers, with no UI dependency."""

from __future__ import annotations

__version__ = "0.1.0"
