"""Remembers app state (theme, last note and reading positions per notes folder) in a small JSON file."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer.fileio import atomic_write_text

logger = logging.getLogger(__name__)

CONFIG_ENV = "PAPERNOTES_CONFIG_DIR"
"""Environment variable that overrides the config folder (tests point it at a temp folder)."""
CONFIG_NAME = "tui.json"
DEFAULT_THEME = "textual-dark"
POSITIONS_KEPT = 200
"""Reading positions kept per notes folder (the notes read last)."""


def config_dir() -> Path:
    """`$PAPERNOTES_CONFIG_DIR`, else the platform's user config folder for papernotes."""
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_dir  # deferred: only needed when no override is set

    return Path(user_config_dir("papernotes", appauthor=False))


def config_path() -> Path:
    """Where the app's state is stored."""
    return config_dir() / CONFIG_NAME


@dataclass
class Config:
    """What the app remembers between runs."""

    theme: str = DEFAULT_THEME
    """The Textual theme last chosen."""
    last_notes: dict[str, str] = field(default_factory=dict)
    """Notes folder (absolute path) → id of the note last read there."""
    stopped_on: dict[str, str] = field(default_factory=dict)
    """Notes folder → id of the note shown when the app last stopped on an error there (not reopened at start)."""

    positions: dict[str, dict[str, int]] = field(default_factory=dict)
    """Notes folder → note id → the source line (1-based) at the top of the view when last read (the latest last)."""

    def position(self, root: Path, note_id: str) -> int | None:
        """Where the note `note_id` of `root` was last read (None: at its top, or never)."""
        return self.positions.get(str(root), {}).get(note_id)

    def remember_position(self, root: Path, note_id: str, line: int | None) -> bool:
        """Record (or forget, with None: at the top) where `note_id` is being read; whether that changed anything."""
        kept = self.positions.setdefault(str(root), {})
        before = kept.pop(note_id, None)
        if line is not None:
            kept[note_id] = line
            for old in list(kept)[:-POSITIONS_KEPT]:
                del kept[old]
        if not kept:
            del self.positions[str(root)]
        return before != line

    def last_note(self, root: Path) -> str | None:
        """The note last read in the notes folder `root`."""
        return self.last_notes.get(str(root))

    def remember_note(self, root: Path, note_id: str | None) -> None:
        """Record (or forget, with None) the note being read in `root` (shown: it no longer stopped the app)."""
        self.stopped_on.pop(str(root), None)
        if note_id is None:
            self.last_notes.pop(str(root), None)
        else:
            self.last_notes[str(root)] = note_id

    def note_to_reopen(self, root: Path) -> tuple[str | None, str | None]:
        """(the note to reopen at start-up in `root`, the one not reopened because the app stopped on an error showing it)."""
        last = self.last_notes.get(str(root))
        if last is not None and self.stopped_on.get(str(root)) == last:
            return None, last
        return last, None

    def stopped_showing(self, root: Path) -> None:
        """The app stopped on an error in `root`: the note last read there is not reopened by the next start."""
        last = self.last_notes.get(str(root))
        if last is not None:
            self.stopped_on[str(root)] = last

    @classmethod
    def from_json(cls, data: Any) -> Config:
        """A Config from parsed JSON, ignoring unknown or mistyped fields."""
        config = cls()
        if not isinstance(data, dict):
            return config
        if isinstance(data.get("theme"), str):
            config.theme = data["theme"]
        notes = data.get("last_notes")
        if isinstance(notes, dict):
            config.last_notes = {str(k): v for k, v in notes.items() if isinstance(v, str)}
        stopped = data.get("stopped_on")
        if isinstance(stopped, dict):
            config.stopped_on = {str(k): v for k, v in stopped.items() if isinstance(v, str)}
        positions = data.get("positions")
        if isinstance(positions, dict):
            config.positions = {
                str(folder): {str(k): v for k, v in lines.items() if isinstance(v, int) and not isinstance(v, bool) and v > 0}
                for folder, lines in positions.items()
                if isinstance(lines, dict)
            }
        return config


def load_config(path: Path | None = None) -> Config:
    """The stored config, or defaults when there is none or it can't be read."""
    path = path or config_path()
    try:
        return Config.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Config()
    except (OSError, ValueError) as error:
        logger.warning("ignoring unreadable config %s: %s", path, error)
        return Config()


def save_config(config: Config, path: Path | None = None) -> None:
    """Store the config atomically; a failure is logged, never raised (state is a convenience)."""
    path = path or config_path()
    try:
        atomic_write_text(path, json.dumps(asdict(config), indent=2, sort_keys=True) + "\n")
    except OSError as error:
        logger.warning("cannot save config %s: %s", path, error)
