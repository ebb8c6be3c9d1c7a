"""What a build derives from its notes for queries (title and metadata fields, note words, names), stored in the generation.

Deriving them takes ~1 s per 1,000 notes (tokenizing every title, alias and author), which every
process paid at its first question; the names were SQLite rows, 0.24 s to read per 10k notes. The
build writes them once into the generation folder (`notes/`), so they are checksummed, renamed into
place and cleaned up with the vectors; a reader maps them at first use. A folder written by another rule (`RULE`) or damaged is not used: the
reader derives them itself (same answers, slower; one warning for damage) and the next
`papernotes index` rewrites the generation.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.errors import IndexCorruptError
from indexer.fields import FIELDS_RULE, NoteFields

if TYPE_CHECKING:
    from indexer.store.records import StoredNote

logger = logging.getLogger(__name__)

FOLDER = "notes"
"""The derived files' folder inside a generation."""
FORMAT = 2
"""Which files the folder holds (2: names.json added)."""
RULE = f"{FORMAT}:{FIELDS_RULE}:k1={NoteFields.K1}:b={NoteFields.B}"
"""What the files were derived by and hold (manifest `fields_rule`): another value means write them again."""


def write(folder: Path, notes: Sequence[StoredNote]) -> None:
    """Write the fields and note words of `notes` (in the generation's note order) into `folder/notes/`."""
    from types import SimpleNamespace

    from indexer.fields import note_fields, note_words
    from indexer.retrieval import NAMES_RULE, _note_names

    target = folder / FOLDER
    target.mkdir(parents=True)
    title, metadata = note_fields(notes)
    title.save(target / "title")
    metadata.save(target / "metadata")
    (target / "ids.json").write_text(json.dumps([n.id for n in notes]), encoding="utf-8")
    (target / "words.txt").write_text("\n".join(sorted(note_words(notes))), encoding="utf-8")
    names = _note_names(SimpleNamespace(notes={n.id: n for n in notes}))  # type: ignore[arg-type]
    (target / "names.json").write_text(json.dumps({"rule": NAMES_RULE, "names": names}), encoding="utf-8")
    (target / "format.json").write_text(json.dumps({"rule": RULE, "notes": len(notes)}), encoding="utf-8")


class Derived:
    """The derived files of one generation, each read at first use (None when they can't be used)."""

    def __init__(self, generation_folder: Path, rule: str | None) -> None:
        self.folder = generation_folder / FOLDER
        self._usable = rule == RULE and self.folder.is_dir()
        self._fields: tuple[NoteFields, NoteFields] | None = None
        self._words: frozenset[str] | None = None

    def fields(self) -> tuple[NoteFields, NoteFields] | None:
        """The title and metadata fields as the build stored them."""
        if self._fields is None and self._usable:
            self._fields = self._read(self._read_fields)
        return self._fields

    def words(self) -> frozenset[str] | None:
        """The note words (`fields.note_words`) as the build stored them."""
        if self._words is None and self._usable:
            self._words = self._read(self._read_words)
        return self._words

    def names(self, rule: str) -> list[tuple[str, str]] | None:
        """The (name, note id) pairs retrieval's names rule `rule` gave (None: stored by another rule, or not at all)."""
        if not self._usable or not (self.folder / "names.json").exists():
            return None

        def read() -> list[tuple[str, str]] | None:
            found = json.loads((self.folder / "names.json").read_text(encoding="utf-8"))
            if found.get("rule") != rule:
                return None
            return [(name, note_id) for name, note_id in found["names"]]

        return self._read(read)

    def _read(self, reader: Any) -> Any:
        paused = gc.isenabled()
        gc.disable()  # the files decode into many small objects and no cycles (see catalog.scan)
        try:
            return reader()
        except (OSError, ValueError, TypeError, AttributeError, IndexCorruptError) as error:
            self._usable = False
            detail = error.message if isinstance(error, IndexCorruptError) else f"{type(error).__name__}: {error}"
            logger.warning("the note fields in %s are damaged (%s); deriving them now; run: papernotes index", self.folder, detail)
            return None
        finally:
            if paused:
                gc.enable()

    def _read_fields(self) -> tuple[NoteFields, NoteFields]:
        meta = json.loads((self.folder / "format.json").read_text(encoding="utf-8"))
        ids = json.loads((self.folder / "ids.json").read_text(encoding="utf-8"))
        if meta.get("rule") != RULE or not isinstance(ids, list) or meta.get("notes") != len(ids):
            raise ValueError(f"format.json does not describe ids.json ({meta})")
        if not all(isinstance(i, str) for i in ids):
            raise ValueError("ids.json holds something other than note ids")
        return NoteFields.load(self.folder / "title", ids), NoteFields.load(self.folder / "metadata", ids)

    def _read_words(self) -> frozenset[str]:
        text = (self.folder / "words.txt").read_text(encoding="utf-8")
        return frozenset(text.split("\n")) if text else frozenset()
