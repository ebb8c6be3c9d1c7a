"""Provides the library: every note in reading order, filtered as the user types (the best matches first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from indexer.errors import NoteError
from tui.messages import OpenBrokenNote, OpenNote
from tui.text import error_location, one_line
from tui.widgets.note_list import Columns, NoteList, NoteOption, NoteRow, note_rows
from tui.widgets.text_box import TextBox

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from indexer.notes import NoteCollection

BROKEN_PREFIX = "broken:"
"""Option ids of unreadable files start with this (note ids can't: they are paths)."""


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


class FilterInput(TextBox):
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


class Library(Vertical):
    """The note list with its filter; Enter opens the highlighted note."""

    def __init__(self, collection: NoteCollection | Catalog | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.collection: NoteCollection | Catalog | None = None
        """The notes shown (None until loaded): parsed, or as the catalog knows them."""
        self._options: list[NoteOption] = []
        """Every note's line, in reading order (filtering picks from these)."""
        if collection is not None:
            self._take(collection)

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="Type to filter by name, title, year, tag or author · Enter opens", id="filter"
        )
        if self.collection is None:
            notes = NoteList(id="notes")
            notes.border_title = "Library"
            notes.loading = True
        else:  # listed in the first frame
            options, notes_title, notes_subtitle = self._listing([])
            notes = NoteList(*options, id="notes")
            notes.border_title, notes.border_subtitle = notes_title, notes_subtitle
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

    def set_notes(self, collection: NoteCollection | Catalog, keep: str | None = None) -> None:
        """Show `collection`, keeping the highlight on note `keep` when it is still listed."""
        self.query_one("#notes", OptionList).loading = False
        rows = note_rows(collection.notes)
        same = self.collection is not None and rows == [o.row for o in self._options]
        same = same and _error_lines(collection) == _error_lines(self.collection)
        if same:  # the parsed notes say what the catalog said: nothing to redraw
            self.collection = collection
            if keep is not None:
                self.highlight(keep)
            return
        self._take(collection, rows)
        self._refill(keep)

    def _take(self, collection: NoteCollection | Catalog, rows: list[NoteRow] | None = None) -> None:
        """Make `collection` the one shown, its rows made (laid out only when drawn)."""
        if rows is None:
            rows = note_rows(collection.notes)
        self.collection = collection
        columns = Columns(rows)
        self._options = [NoteOption(row, columns) for row in rows]

    def highlight(self, note_id: str) -> None:
        """Move the highlight to `note_id` if it is listed."""
        notes = self.query_one("#notes", OptionList)
        try:
            notes.highlighted = notes.get_option_index(note_id)
        except Exception:  # not listed (filtered out)
            pass

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refill(None, first=True)  # the best match highlighted: Enter opens it

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

    def _refill(self, keep: str | None, first: bool = False) -> None:
        notes = self.query_one("#notes", OptionList)
        if self.collection is None:
            return
        previous = notes.highlighted_option
        keep = keep or (previous.id if previous is not None and not first else None)
        options, notes.border_title, notes.border_subtitle = self._listing(self.filter_text.lower().split())
        notes.set_options(options)
        if options and options[0].disabled:  # the message that nothing is listed
            return
        if keep is not None:
            self.highlight(keep)
        if notes.highlighted is None:
            notes.highlighted = 0

    def _listing(self, terms: list[str]) -> tuple[list[Option], str, str]:
        """The lines listed for the filter's `terms` (the notes matching, then unreadable files), the list's title and subtitle."""
        collection = self.collection
        assert collection is not None
        matching = [o for o in self._options if o.row.matches(terms)] if terms else list(self._options)
        if terms:  # best first (the name or title starting with the words typed), else in reading order
            matching.sort(key=lambda o: o.row.rank(terms))
        options: list[Option] = list(matching)
        shown = len(options)
        for index, error in enumerate(collection.errors):
            if not terms or all(t in error.message.lower() for t in terms):
                options.append(Option(broken_row(error), id=f"{BROKEN_PREFIX}{index}"))
        total = len(collection.notes)
        title = f"Library · {total} notes" if shown == total else f"Library · {shown} of {total} notes"
        subtitle = f"{len(collection.errors)} unreadable" if collection.errors else ""
        if not options:
            message = "No notes match the filter" if terms else "No notes in this folder yet"
            options.append(Option(Text(message, style="dim italic"), disabled=True))
        return options, title, subtitle


def _error_lines(collection: Any) -> list[str]:
    return [error.message for error in collection.errors] if collection is not None else []
