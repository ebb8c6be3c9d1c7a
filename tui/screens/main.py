"""Provides the main screen: library or reader on the left, the ask pane beside them, status and footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Input, OptionList

from indexer.answer import Citation
from indexer.errors import NoteError
from indexer.notemodel import Note
from tui.actions import FOOTER_FIRST
from tui.widgets.ask_pane import AnswerSpot, AskPane
from tui.widgets.contents import Contents
from tui.widgets.key_footer import KeyFooter
from tui.widgets.library import Library
from tui.widgets.reader import Reader
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from tui.app import PapernotesApp

NARROW = 100
"""Below this width the ask pane takes the whole screen and the contents are hidden."""
WIDE = 160
"""From this width the table of contents stays visible beside the ask pane."""


class MainScreen(Screen[None]):
    """The one screen the app works in."""

    def __init__(self) -> None:
        super().__init__()
        self.toc_choice: bool | None = None
        """The user's choice for the table of contents (None: decided by the width)."""
        self.first_notes: Catalog | None = None
        """The notes the library lists when composed (None: it says "loading" until they come)."""
        self.ask_jump: str | None = None
        """The note just opened from the ask pane (a citation, "Open your note on X"): letters typed in the
        reader while it shows this note go on with the conversation (`letters_go_to_box`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with ContentSwitcher(initial="library", id="views"):
                yield Library(self.first_notes, id="library")
                yield Reader(id="reader")
            yield AskPane(id="ask")
        yield StatusLine(id="status")
        yield KeyFooter(first=FOOTER_FIRST, compact=True)

    @property
    def library(self) -> Library:
        """The note list."""
        return self.query_one(Library)

    @property
    def reader(self) -> Reader:
        """The note reader."""
        return self.query_one(Reader)

    @property
    def ask_pane(self) -> AskPane:
        """The ask pane."""
        return self.query_one(AskPane)

    @property
    def status_line(self) -> StatusLine:
        """The status line."""
        return self.query_one(StatusLine)

    @property
    def showing_reader(self) -> bool:
        """Whether the reader (not the library) is shown."""
        return self.query_one(ContentSwitcher).current == "reader"

    @property
    def asking(self) -> bool:
        """Whether the ask pane is open."""
        return self.has_class("-asking")

    @property
    def narrow(self) -> bool:
        """Whether the screen is too narrow for the ask pane beside the reader."""
        return self.size.width < NARROW

    def letters_go_to_box(self) -> bool:
        """Whether a printable key typed where the focus is belongs to the question box, not to the keys of the place.

        So it is with the focus in the open ask pane outside its box (its citations and choices after ↑,
        the scope toggle), and in the reader while it shows the note just opened from the pane (at 80
        columns the pane gives it the screen), until another note is opened or the pane closed with Escape.
        """
        focused = self.focused
        if focused is None or focused is self.ask_pane.question_box:
            return False
        if self.asking and self.ask_pane in focused.ancestors:
            return True
        reader, note = self.reader, self.reader.note
        in_reader = focused is reader or reader in focused.ancestors
        return in_reader and self.showing_reader and note is not None and note.id == self.ask_jump

    def on_mount(self) -> None:
        self.set_focus(self.library.query_one("#filter", Input))
        self._fit(self.size.width)
        cast("PapernotesApp", self.app).main_mounted()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.reader.contents.show(self.reader.contents.table_of_contents, width)
        self._update_toc()

    def _update_toc(self) -> None:
        width = self.size.width
        automatic = width >= WIDE or (width >= NARROW and not self.asking)
        shown = automatic if self.toc_choice is None else self.toc_choice
        self.reader.query_one(Contents).display = shown

    def toggle_toc(self) -> None:
        """Show or hide the table of contents."""
        shown = self.reader.query_one(Contents).display
        self.toc_choice = not shown
        self._update_toc()

    def show_library(self) -> None:
        """Switch to the library, the note just read highlighted."""
        self.query_one(ContentSwitcher).current = "library"
        if self.reader.note is not None:
            self.library.highlight(self.reader.note.id)
        if not (self.asking and self.narrow):
            self.set_focus(self.library.query_one("#filter", Input))

    def show_note(self, note: Note, citation: Citation | None = None, *, scroll_y: float | None = None) -> None:
        """Switch to the reader showing `note` (at the cited passage, or at `scroll_y`, if given)."""
        self.query_one(ContentSwitcher).current = "reader"
        self.ask_jump = None  # the caller says so after this when it opened the note from the ask pane
        self.reader.show_note(note, citation, scroll_y=scroll_y)
        self.library.highlight(note.id)
        self._after_open()

    def show_error(self, error: NoteError) -> None:
        """Switch to the reader showing the error card of an unreadable file."""
        self.query_one(ContentSwitcher).current = "reader"
        self.ask_jump = None
        self.reader.show_error(error)
        self._after_open()

    def _after_open(self) -> None:
        if self.asking and self.narrow:
            self.close_ask()
        elif not self.asking:
            self.set_focus(self.reader)

    def open_ask(self, spot: AnswerSpot | None = None) -> None:
        """Open the ask pane with the cursor in the question box (or on the answer's list at `spot`), at once: the next key read goes there."""
        self.add_class("-asking")
        self._update_toc()
        if spot is None or not self.ask_pane.focus_spot(spot):
            self.set_focus(self.ask_pane.question_box)
            self.ask_pane.show_latest()

    def close_ask(self) -> None:
        """Close the ask pane (the conversation is kept)."""
        self.remove_class("-asking")
        self.ask_jump = None  # the conversation is put away: the reader's letters are its keys again
        self._update_toc()
        if self.showing_reader:
            self.set_focus(self.reader)
        else:
            self.set_focus(self.library.query_one("#filter", Input))

    def back_in_library(self) -> bool:
        """Escape in the library: clear the filter, else move from the filter to the list."""
        if self.library.clear_filter():
            return True
        notes = self.library.query_one("#notes", OptionList)
        if isinstance(self.focused, Input):
            self.set_focus(notes)
            return True
        return False
