"""JSON views of notes, passages and related notes, shared by the CLI's `--json` output and the MCP server."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from indexer.errors import PapernotesError
from indexer.names import short_name as named
from indexer.textsafe import printable

if TYPE_CHECKING:  # notes are not imported at run time: `list --json` runs without the Markdown parser
    from indexer.catalog import Catalog
    from indexer.knowledge import RelatedNote
    from indexer.notes import Note, NoteCollection, Section
    from indexer.retrieval import Hit

CLOSEST = 5
"""How many near names an unknown-note error suggests."""


class UnknownNoteError(PapernotesError):
    """No note has the id, title or alias asked for; `closest` holds the nearest ids."""

    title = "Unknown note"

    def __init__(self, key: str, closest: Sequence[str]) -> None:
        hint = f"closest: {', '.join(closest)}" if closest else "see: papernotes list"
        super().__init__(f"no note called {key!r}", hint)
        self.closest = list(closest)


def short_name(note: Note) -> str:
    """A note's short name, as the app shows it (`indexer.names.short_name`: CICERO.md's note is CICERO)."""
    return named(note)


def note_row(note: Note) -> dict[str, Any]:
    """One note as `papernotes list --json` prints it."""
    return {
        "id": note.id,
        "title": note.title,
        "path": note.rel_path,
        "year": note.meta.year,
        "authors": note.meta.authors,
        "tags": note.meta.tags,
        "prev": note.meta.prev,
        "next": note.meta.next,
    }


def note_summary(note: Note) -> dict[str, Any]:
    """`note_row` plus the short name, aliases and links (paper, code, source)."""
    row = note_row(note)
    row["short_name"] = short_name(note)
    row["aliases"] = note.meta.aliases
    row["links"] = {"paper": note.meta.paper, "code": note.meta.code, "source": note.meta.source}
    return row


def matches(note: Note, words: str | None) -> bool:
    """Whether every word of `words` occurs (case-insensitive) in the note's id, title, aliases, tags, authors or year."""
    if not words or not words.strip():
        return True
    haystack = " ".join(
        [note.id, note.title, *note.meta.aliases, *note.meta.tags, *note.meta.authors, str(note.meta.year or "")]
    ).lower()
    return all(word in haystack for word in words.lower().split())


def find_note(collection: NoteCollection, key: str) -> Note:
    """The note `key` names (id, path, title or alias), else UnknownNoteError with the closest names."""
    note = collection.find(key)
    if note is not None:
        return note
    raise UnknownNoteError(key, closest_notes(collection, key))


def closest_notes(collection: NoteCollection | Catalog, key: str, limit: int = CLOSEST) -> list[str]:
    """Ids of the notes whose id, title or aliases are nearest to `key` (by string similarity); parsed notes or catalog records."""
    from indexer.notes import slugify

    wanted = key.strip().lower()
    scores: dict[str, float] = {}
    for note in collection.notes:
        names = [note.id, note.title, short_name(note), *note.meta.aliases, slugify(note.title)]  # type: ignore[arg-type]
        best = 0.0
        for name in names:
            name = name.lower()
            ratio = difflib.SequenceMatcher(None, wanted, name).ratio()
            if wanted and (wanted in name or name in wanted):
                ratio = max(ratio, 0.75)
            best = max(best, ratio)
        scores[note.id] = best
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [note_id for note_id, score in ranked[:limit] if score >= 0.3]


def passage(hit: Hit, short: str) -> dict[str, Any]:
    """One retrieved passage: note id, short name, title, section path, file, lines, score and text."""
    chunk = hit.chunk
    return {
        "note": chunk.note_id,
        "short_name": short,
        "title": chunk.title,
        "section": chunk.section,
        "file": chunk.rel_path,
        "lines": [chunk.start_line, chunk.end_line],
        "score": round(hit.score, 4),
        "text": printable(chunk.text),
    }


def related_row(related: RelatedNote, note: Note | None) -> dict[str, Any]:
    """A related note: id, short name, title and similarity."""
    return {
        "id": related.note_id,
        "short_name": short_name(note) if note else related.title,
        "title": related.title,
        "score": round(related.score, 4),
    }


def section_names(note: Note) -> list[str]:
    """The labels of a note's sections ("Results › Speed"), in order, without the untitled preamble."""
    return [s.label for s in note.sections if s.path]


def _find_section(note: Note, wanted: str) -> Section:
    key = " ".join(wanted.replace(">", "›").split()).lower()
    for getter in (lambda s: s.label, lambda s: s.heading):
        for section in note.sections:
            if section.path and " ".join(getter(section).split()).lower() == key:
                return section
    names = section_names(note)
    headings = {s.heading.lower()[: len(key) + 8]: s.label for s in note.sections if s.path}
    close = [headings[h] for h in difflib.get_close_matches(key, list(headings), n=CLOSEST, cutoff=0.5)]
    raise PapernotesError(
        f"note {note.id!r} has no section called {wanted!r}",
        f"sections: {'; '.join(close or names) or 'none'}",
    )


def note_document(note: Note, section: str | None = None) -> dict[str, Any]:
    """A note's Markdown (or one section with its subsections) as plain text, with its metadata."""
    lines = note.text.splitlines()
    first, last = 1, len(lines)
    label = None
    if section is not None:
        found = _find_section(note, section)
        label = found.label
        first = found.start_line
        depth = len(found.path)
        last = found.end_line
        for other in note.sections:
            if other.start_line > found.start_line and other.path[:depth] == found.path:
                last = max(last, other.end_line)
    document = note_summary(note)
    document.update(
        section=label,
        lines=[first, last],
        sections=section_names(note),
        text=printable("\n".join(lines[first - 1 : last])),
    )
    return document
