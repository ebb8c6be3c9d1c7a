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
from tui.text import error_location, one_line

BROKEN_PREFIX = "broken:"
"""Option ids of unreadable files start with this (note ids can't: they are paths)."""


def note_matches(note: Note, terms: list[str]) -> bool:
    """Whether every term occurs in the note's title, tags, authors, aliases or id."""
    meta = note.meta
    haystack = " ".join([note.title, note.id, *meta.tags, *meta.authors, *meta.aliases]).lower()
    return all(term in haystack for term in terms)


def note_row(position: int, note: Note, width: int) -> Table:
    """One library line: position, title, year, tags (title and tags cut to fit)."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(width=width, justify="right", style="dim")
    row.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
    row.add_column(width=4, style="dim")
    row.add_column(ratio=2, no_wrap=True, overflow="ellipsis", style="italic")
    title = Text(one_line(note.title))
    if note.warnings:
        title.append(" ⚠", style="bold yellow")
    year = str(note.meta.year) if note.meta.year else ""
    row.add_row(f"{position}", title, year, Text(one_line(", ".join(note.meta.tags))))
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

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="Type to filter by title, tag or author · Enter opens", id="filter"
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
        options: list[Option] = [
            Option(note_row(position, note, width), id=note.id)
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
