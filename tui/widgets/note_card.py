"""Provides the note's header card (title, authors, year, links, source, related notes) and its problem card."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from indexer.errors import NoteError
from indexer.knowledge import RelatedNote
from indexer.notemodel import Note
from tui.text import error_location, one_line

MAX_AUTHORS = 6
"""Longer author lists are cut to this many, with "and N more" (N ≥ 2: one more name is simply shown)."""
RELATED_KEYS = 4
"""Related notes are opened with the keys 1..RELATED_KEYS."""


def _clickable(text: str, action: str, style: str = "underline") -> tuple[str, Style]:
    """`text` styled to run `action` (an action string built with repr()'d arguments) on click."""
    return text, Style.parse(style) + Style.from_meta({"@click": action})


def _link(url: str) -> tuple[str, Style] | str:
    """A URL, clickable when it is a web link."""
    url = one_line(url)
    if url.lower().startswith(("http://", "https://")):
        return _clickable(url, f"app.open_link({url!r})")
    return url


def authors_line(authors: list[str]) -> str:
    """Authors joined with commas, cut to MAX_AUTHORS."""
    names = [one_line(a) for a in authors]
    if len(names) > MAX_AUTHORS + 1:  # "and 1 more" would hide a name in the room it takes
        return ", ".join(names[:MAX_AUTHORS]) + f" and {len(names) - MAX_AUTHORS} more"
    return ", ".join(names)


def metadata_problem(note: Note) -> str:
    """"authors (line 3), tags (line 4) ignored: see the problems below" for the card."""
    fields: dict[str, int | None] = {}
    for warning in note.metadata_warnings:
        fields.setdefault(warning.field or "", warning.line)
    named = ", ".join(f"{name} (line {line})" if line else name for name, line in fields.items())
    return f"{one_line(named)} ignored: see the problems below"


def _field(
    label: str, *value: str | tuple[str, str | Style]
) -> list[str | tuple[str, str | Style]]:
    return ["\n", (f"{label:<8}", "dim"), *value]


def card_content(
    note: Note,
    related: list[RelatedNote] | None,
    related_note: str | None,
    names: Mapping[str, str],
) -> Content:
    """The card's text for `note`; `related` None means "still looking" and `related_note` says why.

    `names` gives short names of notes (by id) for the related list.
    """
    meta = note.meta
    parts: list[str | tuple[str, str | Style]] = [(one_line(note.title), "bold")]
    byline = " · ".join(
        p for p in (str(meta.year) if meta.year else "", authors_line(meta.authors)) if p
    )
    if byline:
        parts += ["\n", (byline, "italic")]
    if meta.tags:
        parts += ["\n", ("  ".join(f"#{one_line(t)}" for t in meta.tags), "$accent")]
    if note.metadata_warnings:
        parts += ["\n", ("⚠ ", "bold $warning"), (metadata_problem(note), "$warning")]
    if meta.paper:
        parts += _field("Paper", _link(meta.paper))
    if meta.code:
        parts += _field("Code", _link(meta.code))
    if meta.source:
        parts += _field("Source", one_line(meta.source))
    parts += _field("File", (one_line(note.rel_path), "dim"))
    if related:
        items: list[str | tuple[str, str | Style]] = []
        shown = [(item, names.get(item.note_id) or one_line(item.title)) for item in related[:RELATED_KEYS]]
        called = [name.casefold() for _, name in shown] + [(names.get(note.id) or one_line(note.title)).casefold()]
        for key, (item, name) in enumerate(shown, start=1):
            if items:
                items.append(("  ·  ", "dim"))
            items.append((f"{key} ", "bold $accent"))
            items.append(_clickable(name, f"app.open_note({item.note_id!r})", "not underline"))
            if called.count(name.casefold()) > 1:  # looks like another one here: its file tells them apart
                items.append((f" ({one_line(item.note_id)})", "dim"))
        parts += _field("Related", *items)
    elif related_note:
        parts += _field("Related", (related_note, "dim italic"))
    return Content.assemble(*parts)


class NoteCard(Static):
    """The header card above a note."""

    _height = -1
    """Rows the card's text took at the last update (-1: not known)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note: Note | None = None
        """The note described."""
        self.related: list[RelatedNote] | None = None
        """Its most similar notes (None until found)."""
        self.related_note: str | None = None
        """What to say instead of related notes (looking / unavailable)."""
        self.names: Mapping[str, str] = {}
        """Short names of notes by id (for the related list)."""

    def show(self, note: Note) -> None:
        """Describe `note`; related notes follow with set_related()."""
        self.note = note
        self.related = None
        self.related_note = "looking…"
        self.display = True
        self._refresh_card()

    def set_related(self, related: list[RelatedNote] | None, message: str | None = None) -> None:
        """Show related notes, or `message` when there are none.

        Only notes in the collection (`names`, once known) are listed: the index may still hold one
        deleted since it was built.
        """
        if related and self.names:
            related = [item for item in related if item.note_id in self.names]
        self.related = related
        self.related_note = message if not related else None
        self._refresh_card()

    def _refresh_card(self) -> None:
        if self.note is not None:
            content = card_content(self.note, self.related, self.related_note, self.names)
            # A layout re-arranges the whole screen: skip it when the card keeps its height.
            width = self.content_size.width
            height = content.get_height(self.styles, width) if width else -1
            self.update(content, layout=height != self._height)
            self._height = height


class ProblemCard(Static):
    """Problems of the note shown: an error card for an unreadable file, a warning card otherwise."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.display = False

    def show_warnings(self, note: Note) -> None:
        """List the note's warnings with their lines (hidden when there are none)."""
        self.set_classes("-warning")
        if not note.warnings:
            self.display = False
            return
        parts: list[str | tuple[str, str]] = []
        for warning in note.warnings:
            if parts:
                parts.append("\n")
            where = f"line {warning.line}" if warning.line else "whole note"
            parts += [(f"{where}: ", "bold"), one_line(warning.message)]
        count = len(note.warnings)
        self.border_title = Content(
            f"⚠ {count} problem{'s' if count > 1 else ''} in {one_line(note.rel_path)}"
        )
        self.update(Content.assemble(*parts))
        self.display = True

    def show_error(self, error: NoteError) -> None:
        """The error card of a file that could not be read: file, line, what is wrong, what to do."""
        self.set_classes("-error")
        path, line, message = error_location(error)
        parts: list[str | tuple[str, str]] = [("File  ", "dim"), (one_line(path or "?"), "bold")]
        if line:
            parts += [("\nLine  ", "dim"), (str(line), "bold")]
        parts += [("\nError ", "dim"), one_line(message)]
        if error.hint:
            parts += [("\nFix   ", "dim"), one_line(error.hint)]
        self.border_title = "✖ This note cannot be read"
        self.update(Content.assemble(*parts))
        self.display = True

    def clear(self) -> None:
        """Hide the card."""
        self.display = False
