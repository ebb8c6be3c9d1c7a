"""Provides the library: every note in reading order, filtered as the user types."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from indexer.errors import NoteError
from indexer.notes import Note, NoteCollection
from tui.messages import OpenBrokenNote, OpenNote
from tui.text import error_location, one_line, short_title

BROKEN_PREFIX = "broken:"
"""Option ids of unreadable files start with this (note ids can't: they are paths)."""


def note_matches(note: Note, terms: list[str]) -> bool:
    """Whether every term occurs in the note's short name, title, year, tags, authors, aliases or id."""
    meta = note.meta
    year = str(meta.year) if meta.year else ""
    words = [short_title(note), note.title, note.id, year, *meta.tags, *meta.authors, *meta.aliases]
    haystack = " ".join(words).lower()
    return all(term in haystack for term in terms)


def row_title(note: Note) -> Text:
    """The short name, then the paper title in a dimmer style (without the name it starts with)."""
    name = short_title(note)
    title = one_line(note.title)
    text = Text(name, style="bold")
    rest = title
    if title.lower().startswith(name.lower()):
        rest = title[len(name) :].lstrip(" :–—-")
    if rest and rest.lower() != name.lower():
        text.append("  ")
        text.append(rest, style="dim")
    if note.warnings:
        text.append(" ⚠", style="bold yellow")
    return text


def tags_width(collection: NoteCollection, width: int) -> int:
    """Columns for the tags in a list `width` wide: what the longest needs when every title fits
    beside it, else what the titles leave (at least a quarter of the width); 0 without tags."""
    tags = max((len(", ".join(n.meta.tags)) for n in collection.notes), default=0)
    if not tags:
        return 0
    digits = len(str(len(collection.notes)))
    room = width - digits - 4 - 3 - 4  # position, year, the gaps between columns, borders
    titles = max((row_title(n).cell_len for n in collection.notes), default=0)
    if titles + tags <= room:
        return tags
    return max(1, min(tags, max(room // 4, room - titles)))


def note_row(position: int, note: Note, width: int, tags: int = 0) -> Table:
    """One library line: position, short name and title (the rest of the width), year, tags."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(width=width, justify="right", style="dim")
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(width=4, style="dim")
    cells: list[str | Text] = [f"{position}", row_title(note), str(note.meta.year or "")]
    if tags:
        row.add_column(width=tags, no_wrap=True, overflow="ellipsis", style="italic")
        cells.append(Text(one_line(", ".join(note.meta.tags))))
    row.add_row(*cells)
    return row


def broken_row(error: NoteError) -> Text:
    """One library line for a file that could not be read."""
    path, line, message = error_location(error)
    where = f"{path}:{line}" if line else path or "?"
    return Text.assemble(
        ("✖ ", "bold red"),
        (one_line(where), "bold"),
        "  ",
        (one_line(message), "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )


class FilterInput(Input):
    """The filter box; arrow keys move the highlight in the note list below it."""

    BINDINGS = [
        Binding("enter", "submit", "Open"),
        Binding("escape", "app.back", "Back"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def action_move(self, step: int) -> None:
        """Move the note list's highlight."""
        notes = self.screen.query_one("#notes", OptionList)
        if notes.option_count == 0:
            return
        current = notes.highlighted if notes.highlighted is not None else -1
        notes.highlighted = max(0, min(notes.option_count - 1, current + step))


class NoteList(OptionList):
    """The list of notes; typing here filters too (the keys go to the filter box, in order).

    Every row is one line, so the list never renders all its rows to measure them (Textual's
    OptionList does: 3.8 s for 1,000 table rows); only the rows on screen are drawn.
    """

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        for index in range(len(cache.lines), len(self.options)):
            cache.index_to_line[index] = index
            cache.heights[index] = 1
            cache.lines.append((index, 0))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(cache.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.option_count

    def on_key(self, event: events.Key) -> None:
        box = self.screen.query_one("#filter", Input)
        if event.character == "/" or (event.is_printable and event.character and event.key != "space"):
            event.stop()
            event.prevent_default()
            self.screen.set_focus(box)  # at once: the keys after this one go straight to the box
            if event.character != "/":
                box.insert_text_at_cursor(event.character)


class Library(Vertical):
    """The note list with its filter; Enter opens the highlighted note."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.collection: NoteCollection | None = None
        """The notes shown (None until loaded)."""
        self._width = 0
        """The width the rows were laid out for."""

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="Type to filter by name, title, year, tag or author · Enter opens", id="filter"
        )
        notes = NoteList(id="notes")
        notes.border_title = "Library"
        notes.loading = True
        yield notes

    @property
    def filter_text(self) -> str:
        """What is typed in the filter box."""
        return self.query_one("#filter", Input).value

    def clear_filter(self) -> bool:
        """Empty the filter box; False when it was already empty."""
        box = self.query_one("#filter", Input)
        if not box.value:
            return False
        box.value = ""
        return True

    def set_notes(self, collection: NoteCollection, keep: str | None = None) -> None:
        """Show `collection`, keeping the highlight on note `keep` when it is still listed."""
        self.collection = collection
        self.query_one("#notes", OptionList).loading = False
        self._refill(keep)

    def highlight(self, note_id: str) -> None:
        """Move the highlight to `note_id` if it is listed."""
        notes = self.query_one("#notes", OptionList)
        try:
            notes.highlighted = notes.get_option_index(note_id)
        except Exception:  # not listed (filtered out)
            pass

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._refill(None)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refill(None)

    @on(Input.Submitted, "#filter")
    def _open_highlighted(self) -> None:
        notes = self.query_one("#notes", OptionList)
        option = notes.highlighted_option
        if option is not None and option.id is not None:
            self._open(option.id)

    @on(OptionList.OptionSelected, "#notes")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self._open(event.option_id)

    def _open(self, option_id: str) -> None:
        if option_id.startswith(BROKEN_PREFIX) and self.collection is not None:
            self.post_message(
                OpenBrokenNote(self.collection.errors[int(option_id[len(BROKEN_PREFIX) :])])
            )
        else:
            self.post_message(OpenNote(option_id))

    def _refill(self, keep: str | None) -> None:
        notes = self.query_one("#notes", OptionList)
        collection = self.collection
        if collection is None:
            return
        previous = notes.highlighted_option
        keep = keep or (previous.id if previous is not None else None)
        terms = self.filter_text.lower().split()
        width = len(str(len(collection.notes)))
        tags = tags_width(collection, notes.size.width or self.app.size.width)
        options: list[Option] = [
            Option(note_row(position, note, width, tags), id=note.id)
            for position, note in enumerate(collection.notes, start=1)
            if note_matches(note, terms)
        ]
        shown = len(options)
        for index, error in enumerate(collection.errors):
            if not terms or all(t in error.message.lower() for t in terms):
                options.append(Option(broken_row(error), id=f"{BROKEN_PREFIX}{index}"))
        notes.set_options(options)
        total = len(collection.notes)
        notes.border_title = (
            f"Library · {total} notes" if shown == total else f"Library · {shown} of {total} notes"
        )
        notes.border_subtitle = f"{len(collection.errors)} unreadable" if collection.errors else ""
        if not options:
            message = "No notes match the filter" if terms else "No notes in this folder yet"
            notes.add_option(Option(Text(message, style="dim italic"), disabled=True))
            return
        if keep is not None:
            self.highlight(keep)
        if notes.highlighted is None:
            notes.highlighted = 0
