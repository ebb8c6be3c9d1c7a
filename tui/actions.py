"""The app's keys: the key table, where each key is on (letters off wherever letters type), the actions they run and the palette's commands."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input

from tui.commands import NoteCommands
from tui.config import DEFAULT_THEME
from tui.palette import Palette
from tui.screens.confirm import ConfirmQuit
from tui.screens.help import HelpScreen
from tui.screenshot import save_screenshot
from tui.widgets.note_card import RELATED_KEYS
from tui.widgets.note_list import NoteList

if TYPE_CHECKING:
    from tui.app import PapernotesApp

READER_ACTIONS = {
    *("next_note", "previous_note", "step", "home", "toggle_toc", "related", "find"),
    *("back_key", "nowhere_back", "forward", "nowhere_forward"),
}
"""Actions that only make sense while a note is shown."""
LETTER_ACTIONS = READER_ACTIONS - {"step"} | {
    "quit",
    "ask_letter",
    "update_index_letter",
    "cancel_build_letter",
}
"""Actions bound to printable keys: off wherever letters type (a text box, the library list, which filters, or
where they go to the question box)."""
JUMP_ACTIONS = {"back_key", "nowhere_back", "forward", "nowhere_forward"}
"""Letter actions still on where letters go to the question box: `[` and `]` go back and forward there."""
KEPT_KEYS = ("left_square_bracket", "right_square_bracket")
"""Printable keys never sent on to the question box: back and forward, after a jump from the ask pane too."""

KEYS = [
    # Ask is priority: it is read in order with the keys typed after it, so they land in the box.
    Binding("ctrl+a", "ask", "Ask", priority=True),
    Binding("a", "ask_letter", "Ask", show=False, priority=True),
    Binding("n", "next_note", "Next"),
    Binding("right", "step(1)", "Next", show=False),  # its own action: still on where n types (after a citation)
    Binding("p", "previous_note", "Prev"),
    Binding("left", "step(-1)", "Prev", show=False),
    Binding("h", "home", "Home", show=False),
    Binding("slash", "find", "Find", show=False),  # as in less and vim: to the library's filter
    Binding("1", "related(1)", "Related", key_display="1-4"),
    *[Binding(str(k), f"related({k})", "Related", show=False) for k in range(2, RELATED_KEYS + 1)],
    Binding("t", "toggle_toc", "Contents", show=False),
    # Back and Forward are on the footer while there is somewhere to go; else the same keys say there is not.
    Binding("left_square_bracket,alt+left,backspace", "back_key", "Back", key_display="["),
    Binding("left_square_bracket,alt+left,backspace", "nowhere_back", "Back", show=False),
    Binding("right_square_bracket,alt+right", "forward", "Forward", key_display="]"),
    Binding("right_square_bracket,alt+right", "nowhere_forward", "Forward", show=False),
    Binding("r", "update_index_letter", "Reindex", show=False),
    Binding("r", "cancel_build_letter", "Cancel indexing", show=False),
    Binding("ctrl+r", "update_index", "Reindex", priority=True, show=False),
    Binding("ctrl+r", "cancel_build", "Cancel indexing", priority=True, show=False),
    Binding("f1", "help", "Help"),
    Binding("q", "quit", "Quit"),
    Binding("ctrl+q", "quit_from_box", "Quit", priority=True),
    Binding("ctrl+q", "quit_now", "Quit", priority=True, show=False),  # where `q` is on the footer, ctrl+q still quits
    Binding("escape", "back", "Back", show=False),
]
"""The app's key table (the help screen lists it; the footer shows the keys with a description)."""
FOOTER_FIRST = ("ask", "quit", "quit_from_box", "help", "back_key", "next_note", "previous_note", "forward", "related")
"""The actions whose keys the footer keeps when it is too narrow for all, most important first (Textual's cuts its right end)."""


class Actions:
    """What the keys do (mixed into PapernotesApp, before Textual's App so its checks come first)."""

    async def action_quit(self: PapernotesApp) -> None:
        """Leave, after asking when a question is half-typed (it would be lost)."""
        if self.main.ask_pane.draft and not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(self.main.ask_pane.draft), self._quit_confirmed)
            return
        self._leave()

    def _quit_confirmed(self: PapernotesApp, leave: bool | None) -> None:
        if leave:
            self._leave()

    async def action_quit_from_box(self: PapernotesApp) -> None:
        """ctrl+q while typing (the footer's only quit key there): quit, asking first when a question is half-typed."""
        await self.action_quit()

    async def action_quit_now(self: PapernotesApp) -> None:
        """ctrl+q where the footer offers `q` (the reader, the library's list): the same as `q`; twice quits at once."""
        await self.action_quit()

    def refresh_bindings(self: PapernotesApp) -> None:
        """Refresh the footer only when the keys on offer changed (it rebuilds itself: a layout per call)."""
        offered = tuple(
            (key, active.binding.action, active.enabled)
            for key, active in self.active_bindings.items()
            if active.binding.show
        )
        if offered != self._offered_keys:
            self._offered_keys = offered
            super().refresh_bindings()

    def letters_type(self: PapernotesApp) -> bool:
        """Whether printable keys type text: in a text box, the library list (it filters), or toward the question box."""
        return isinstance(self.focused, (Input, NoteList)) or self.letters_to_box()

    def letters_to_box(self: PapernotesApp) -> bool:
        """Whether printable keys typed where the focus is go to the question box (`MainScreen.letters_go_to_box`)."""
        try:
            return self.screen is self.main and self._early_actions is None and self.main.letters_go_to_box()
        except (NoMatches, ScreenStackError):  # starting or closing: no pane to type in
            return False

    def sends_to_box(self: PapernotesApp, event: events.Key) -> bool:
        """Whether `event` goes to the question box, not to where the focus is: a printable key typed
        where letters go to the box, unless it is `[`/`]` or the focused widget's own (the scope toggle's space)."""
        if not event.is_printable or event.key in KEPT_KEYS or not self.letters_to_box():
            return False
        focused = self.focused
        return focused is None or not focused._bindings.key_to_bindings.get(event.key)

    def check_action(
        self: PapernotesApp, action: str, parameters: tuple[object, ...]
    ) -> bool | None:
        if action == "quit_from_box":
            return self.letters_type()
        if action == "quit_now":
            return not self.letters_type()
        if action in ("ask", "ask_letter") and isinstance(self.screen, ConfirmQuit):
            return False
        if action in LETTER_ACTIONS and self.letters_type():
            if action not in JUMP_ACTIONS or not self.letters_to_box():
                return False
        if action in ("update_index", "update_index_letter"):
            return not self.state.building
        if action in ("cancel_build", "cancel_build_letter"):
            return self.state.building
        if action in READER_ACTIONS:
            on_answer = action in ("back_key", "forward") and self.main.asking and self.main.ask_pane.spot() is not None
            if not self.main.is_current or not (self.main.showing_reader or on_answer):
                return False
            if action == "back_key":
                return bool(self.history.back_places)
            if action == "forward":
                return bool(self.history.forward_places)
            if action == "related" and parameters:
                card = self.main.reader.card
                if card.related is None and card.related_note == "looking…":
                    return True  # still looking: no footer rebuild on every n (the action checks again)
                return int(str(parameters[0])) <= len(card.related or [])
        return True

    def action_next_note(self: PapernotesApp) -> None:
        """Open the next note in reading order (says so at the end)."""
        self.step(1)

    def action_previous_note(self: PapernotesApp) -> None:
        """Open the previous note in reading order (says so at the start)."""
        self.step(-1)

    def action_step(self: PapernotesApp, step: int) -> None:
        """→ and ←: the same as n and p (on where letters go to the question box, as n and p are not)."""
        self.step(step)

    def action_home(self: PapernotesApp) -> None:
        """Back to the library."""
        self.home()

    async def action_related(self: PapernotesApp, number: int) -> None:
        """Open related note `number` (1-based, as listed on the card)."""
        related = self.main.reader.card.related or []
        if 1 <= number <= len(related):
            await self.open_note(related[number - 1].note_id, jump=True)

    def action_find(self: PapernotesApp) -> None:
        """`/` in the reader: to the library, the cursor in its filter, emptied: a new search (as `/` opens an
        empty prompt in less and vim), the whole library listed until the word typed behind it (`KeyHold`)."""
        self.home()
        self.main.library.clear_filter()
        self.main.set_focus(self.main.library.query_one("#filter", Input))

    def action_toggle_toc(self: PapernotesApp) -> None:
        """Show or hide the table of contents."""
        self.main.toggle_toc()

    def action_ask(self: PapernotesApp) -> None:
        """Open the ask pane with the cursor in the question box (before the next key is read)."""
        if self.screen is not self.main:
            self.pop_screen()
        self.main.open_ask()

    def action_ask_letter(self: PapernotesApp) -> None:
        """`a` where letters are commands: the same as ctrl+a."""
        self.action_ask()

    def action_update_index(self: PapernotesApp) -> None:
        """Update the index (only new and changed notes are embedded)."""
        self.update_index()

    def action_update_index_letter(self: PapernotesApp) -> None:
        """`r` where letters are commands: the same as ctrl+r."""
        self.update_index()

    def action_cancel_build(self: PapernotesApp) -> None:
        """Cancel the running index build (the previous index stays); an automatic update is the user's after one press."""
        if self._quiet_build:  # the watcher started it: the user asked for what is already happening
            self._quiet_build = False  # now theirs: it says how it ends, and ctrl+r again cancels it
            self.toast("index", "Already updating the index with the changed notes; ctrl+r again cancels it.", title="Index")
            return
        if self._build_cancel is not None:
            self._build_cancel.set()
            self.notify("Cancelling the index build…")

    def action_cancel_build_letter(self: PapernotesApp) -> None:
        """`r` during a build: the same as ctrl+r."""
        self.action_cancel_build()

    def action_help(self: PapernotesApp) -> None:
        """Show the key table."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_back(self: PapernotesApp) -> None:
        """Back out one level: cancel an answer, close the ask pane, go back from a jump, leave the reader, clear the filter."""
        main = self.main
        if main.ask_pane.answering:
            self.workers.cancel_group(self, "ask")
            main.ask_pane.fail_turn(len(main.ask_pane.turns), "Cancelled.", cancelled=True)
        elif main.asking and self.back_to_answer and main.ask_pane.spot() is not None:
            await self.go_back()  # still on the answer a citation was chosen from: back to where it was chosen
        elif main.asking and (main.ask_pane.has_focus_within or not main.showing_reader):
            main.close_ask()
        elif main.showing_reader:
            if not await self.go_back():
                self.home()
        elif not main.back_in_library():  # nothing to back out of: stay (a word typed next is for the filter)
            self.notify("Already in the library: enter opens the highlighted note.", title="Library")

    async def action_back_key(self: PapernotesApp) -> None:
        """Go back from a jump (like a browser's back)."""
        if not await self.go_back():
            self.action_nowhere_back()

    def action_nowhere_back(self: PapernotesApp) -> None:
        """`[` with no jump to go back from."""
        self.notify("Nothing to go back to: Escape returns to the library.")

    async def action_forward(self: PapernotesApp) -> None:
        """Redo the jump undone with back."""
        if not await self.go_forward():
            self.action_nowhere_forward()

    def action_nowhere_forward(self: PapernotesApp) -> None:
        """`]` with nothing gone back from."""
        self.notify("Nothing to go forward to.")

    def action_toggle_theme(self: PapernotesApp) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.current_theme.dark else DEFAULT_THEME

    def action_open_link(self: PapernotesApp, url: str) -> None:
        """Open a web link from a note in the browser."""
        if url.lower().startswith(("http://", "https://", "mailto:")):
            self.open_url(url)
            self.notify(f"Opening {url}", markup=False)

    async def action_open_note(self: PapernotesApp, note_id: str) -> None:
        """Open a note by id (used by clickable related notes)."""
        await self.open_note(note_id, jump=True)

    def action_open_paper(self: PapernotesApp) -> None:
        """Pick a note to read from the command palette."""
        self.push_screen(Palette(providers=[NoteCommands], placeholder="Open paper…"))

    def action_command_palette(self: PapernotesApp) -> None:
        """Show the command palette (ours: its page keys are safe while its list fills)."""
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self: PapernotesApp) -> None:
        """The theme picker, in our palette."""
        from textual.theme import ThemeProvider

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_screenshot(
        self: PapernotesApp, filename: str | None = None, path: str | None = None
    ) -> None:
        """Save an SVG screenshot and say where (or why it could not be saved)."""
        save_screenshot(self, filename, path)

    def get_system_commands(self: PapernotesApp, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Open paper…", "Pick a note to read", self.action_open_paper)
        yield SystemCommand("Ask a question", "Open the ask pane (ctrl+a)", self.action_ask)
        if self.state.building:
            yield SystemCommand(
                "Cancel indexing", "Stop the running index build (ctrl+r)", self.action_cancel_build
            )
        else:
            yield SystemCommand(
                "Update index", "Embed new and changed notes (ctrl+r)", self.action_update_index
            )
            yield SystemCommand(
                "Rebuild index",
                "Rebuild the index from scratch",
                functools.partial(self.update_index, rebuild=True),
            )
        yield SystemCommand(
            "Toggle theme", "Switch between dark and light", self.action_toggle_theme
        )
        yield SystemCommand("Library", "Back to the list of notes (h)", self.action_home)
        yield SystemCommand("Help", "All the keys (F1)", self.action_help)
        for command in super().get_system_commands(screen):
            if (
                command.title == "Screenshot"
            ):  # Textual's fails silently when ~/Downloads is missing
                command = SystemCommand(
                    command.title,
                    "Save an SVG screenshot (says where)",
                    lambda: self.set_timer(0.1, self.action_screenshot),
                )
            yield command
