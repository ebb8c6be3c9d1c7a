"""Provides the papernotes app: its state, key bindings and actions (background work and navigation live beside it)."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input

from indexer.knowledge import KnowledgeBase, RelatedNote
from indexer.notemodel import NoteCollection
from tui.commands import NoteCommands
from tui.config import DEFAULT_THEME, load_config, save_config
from tui.messages import AskQuestion
from tui.navigation import Navigation
from tui.screens.confirm import ConfirmQuit
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screenshot import save_screenshot
from tui.text import short_title
from tui.widgets.note_card import RELATED_KEYS
from tui.widgets.note_list import NoteList
from tui.widgets.status_line import AppState
from tui.workers import Workers

logger = logging.getLogger(__name__)

READER_ACTIONS = {"next_note", "previous_note", "home", "toggle_toc", "related", "forward"}
"""Actions that only make sense while a note is shown."""
LETTER_ACTIONS = READER_ACTIONS | {
    "quit",
    "ask_letter",
    "update_index_letter",
    "cancel_build_letter",
    "back_key",
}
"""Actions bound to printable keys: off wherever letters type (a text box, or the library list, which filters)."""


class PapernotesApp(Navigation, Workers, App[None]):
    """Browse, read and ask a folder of paper notes."""

    CSS_PATH = Path(__file__).parent / "styles.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "papernotes"
    COMMANDS = App.COMMANDS | {NoteCommands}
    BINDINGS = [
        # Ask is priority: it is read in order with the keys typed after it, so they land in the box.
        Binding("ctrl+a", "ask", "Ask", priority=True),
        Binding("a", "ask_letter", "Ask", show=False, priority=True),
        Binding("n", "next_note", "Next"),
        Binding("right", "next_note", "Next", show=False),
        Binding("p", "previous_note", "Prev"),
        Binding("left", "previous_note", "Prev", show=False),
        Binding("h", "home", "Home", show=False),
        Binding("1", "related(1)", "Related", key_display="1-4"),
        *[
            Binding(str(k), f"related({k})", "Related", show=False)
            for k in range(2, RELATED_KEYS + 1)
        ],
        Binding("t", "toggle_toc", "Contents", show=False),
        Binding("left_square_bracket,alt+left,backspace", "back_key", "Back", show=False),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False),
        Binding("r", "update_index_letter", "Reindex", show=False),
        Binding("r", "cancel_build_letter", "Cancel indexing", show=False),
        Binding("ctrl+r", "update_index", "Reindex", priority=True, show=False),
        Binding("ctrl+r", "cancel_build", "Cancel indexing", priority=True, show=False),
        Binding("f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit_from_box", "Quit", priority=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, kb: KnowledgeBase, *, watch: bool = True) -> None:
        super().__init__()
        self.kb = kb
        """The notes folder and its index."""
        self.watching = watch
        """Whether to watch the notes folder and update the index when notes change."""
        self.config = load_config()
        """What is remembered between runs (theme, last note)."""
        self.collection: NoteCollection | None = None
        """The notes, in reading order (None until loaded)."""
        self.state = AppState()
        """What the status line describes."""
        self.main = MainScreen()
        """The screen everything happens on."""
        self._guard = threading.Lock()
        """Serialises use of the model and the open index (builds close it; the tokenizer is not thread-safe)."""
        self._stop = threading.Event()
        """Set on exit: stops the watcher."""
        self._listed = threading.Event()
        """Set once the quick list from the catalog is on screen (the full parse waits for it)."""
        self._build_cancel: threading.Event | None = None
        """Set to cancel the running build."""
        self._update_again = False
        """Notes changed during a build: update again when it ends."""
        self._related: dict[str, list[RelatedNote]] = {}
        """Related notes by note id, for the current index."""
        self._started = False
        """Whether the notes were loaded once (the first load reopens the last note)."""
        self._check_disk = False
        """The watcher reported changes: the next notes load decides whether to update the index."""
        self._auto_update = True
        """Whether changes on disk update the index by themselves (not while a build offer is open or declined)."""
        self._quiet_build = False
        """Whether the running build was started by the watcher (no "up to date" message then)."""
        self._gone: str | None = None
        """The id of the note shown when its file was deleted (said once, until another is shown)."""
        self._gone_neighbours: tuple[list[str], list[str]] = ([], [])
        """The ids before (nearest first) and after the deleted note in the reading order it had."""
        self.touched = False
        """Whether the user pressed a key yet (until then start-up may reopen the last note)."""
        self._offered_keys: tuple[object, ...] = ()
        """The keys the footer offers (see refresh_bindings)."""
        self._navigation_init()
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    # --- start and stop -------------------------------------------------------------------------

    async def on_mount(self) -> None:
        await self.push_screen(self.main)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = "Library"
        self._show_state()
        self._load_notes()  # the model loads once the notes are listed: torch's import would slow that down
        if self.watching:
            self._watch()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.touched = True  # from now on, start-up never opens a note by itself
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.flush_config_now()
        self._stop_background()

    async def action_quit(self) -> None:
        """Leave, after asking when a question is half-typed (it would be lost)."""
        if self.main.ask_pane.draft and not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(self.main.ask_pane.draft), self._quit_confirmed)
            return
        self._leave()

    def _quit_confirmed(self, leave: bool | None) -> None:
        if leave:
            self._leave()

    async def action_quit_from_box(self) -> None:
        """Quit at once (ctrl+q: a deliberate chord, also while typing)."""
        self._leave()

    def _leave(self) -> None:
        self.flush_config_now()
        self._stop_background()
        self.exit()

    def _stop_background(self) -> None:
        self._stop.set()
        self._listed.set()
        if self._build_cancel is not None:
            self._build_cancel.set()
        self.workers.cancel_group(self, "ask")

    def _theme_changed(self, theme: Theme) -> None:
        if self.config.theme != theme.name:
            self.config.theme = theme.name
            save_config(self.config)

    # --- requests from widgets -------------------------------------------------------------------

    async def on_ask_question(self, message: AskQuestion) -> None:
        pane = self.main.ask_pane
        scope_note = (
            self.collection.find(message.scope) if self.collection and message.scope else None
        )
        previous = pane.previous_answer
        turn = await pane.start_turn(
            message.question, short_title(scope_note) if scope_note else None
        )
        waiting = "the model" if self.state.model == "loading" else ""
        waiting = "the index update" if self.state.building else waiting
        pane.set_waiting_for(waiting)
        self._answer(
            turn.number, message.question, [message.scope] if message.scope else None, previous
        )

    # --- state shown -----------------------------------------------------------------------------

    def _request_related(self, note_id: str) -> None:
        card = self.main.reader.card
        if note_id in self._related:
            card.set_related(self._related[note_id], "none found")
        elif self.state.status is not None and not self.state.status.exists:
            card.set_related(None, "build the index (ctrl+r) to see related notes")
        else:
            self._find_related(note_id)

    async def _use_collection(self, collection: NoteCollection) -> None:
        """Show a (re)loaded collection; the note being read follows it (changed, renamed, deleted)."""
        before = self.collection
        self.collection = collection
        names = {note.id: short_title(note) for note in collection.notes}
        self.main.ask_pane.names = names
        self.main.reader.card.names = names
        self.state.notes = len(collection.notes)
        self.state.unreadable = len(collection.errors)
        reader = self.main.reader
        self.main.library.set_notes(collection, keep=reader.note.id if reader.note else None)
        self._show_state()
        self.follow_shown_note(before, collection)

    # --- actions ---------------------------------------------------------------------------------

    def refresh_bindings(self) -> None:
        """Refresh the footer only when the keys on offer changed (it rebuilds itself: a layout per call)."""
        offered = tuple(
            (key, active.binding.action, active.enabled)
            for key, active in self.active_bindings.items()
            if active.binding.show
        )
        if offered != self._offered_keys:
            self._offered_keys = offered
            super().refresh_bindings()

    def letters_type(self) -> bool:
        """Whether printable keys go to text where the focus is (a text box, or the library list, which filters)."""
        return isinstance(self.focused, (Input, NoteList))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit_from_box":
            return self.letters_type()
        if action in ("ask", "ask_letter") and isinstance(self.screen, ConfirmQuit):
            return False
        if action in LETTER_ACTIONS and self.letters_type():
            return False
        if action in ("update_index", "update_index_letter"):
            return not self.state.building
        if action in ("cancel_build", "cancel_build_letter"):
            return self.state.building
        if action in READER_ACTIONS:
            if not self.main.is_current or not self.main.showing_reader:
                return False
            if action == "related" and parameters:
                card = self.main.reader.card
                if card.related is None and card.related_note == "looking…":
                    return True  # still looking: no footer rebuild on every n (the action checks again)
                return int(str(parameters[0])) <= len(card.related or [])
        return True

    def action_next_note(self) -> None:
        """Open the next note in reading order (says so at the end)."""
        self.step(1)

    def action_previous_note(self) -> None:
        """Open the previous note in reading order (says so at the start)."""
        self.step(-1)

    def action_home(self) -> None:
        """Back to the library."""
        self.home()

    async def action_related(self, number: int) -> None:
        """Open related note `number` (1-based, as listed on the card)."""
        related = self.main.reader.card.related or []
        if 1 <= number <= len(related):
            await self.open_note(related[number - 1].note_id, jump=True)

    def action_toggle_toc(self) -> None:
        """Show or hide the table of contents."""
        self.main.toggle_toc()

    def action_ask(self) -> None:
        """Open the ask pane with the cursor in the question box (before the next key is read)."""
        if self.screen is not self.main:
            self.pop_screen()
        self.main.open_ask()

    def action_ask_letter(self) -> None:
        """`a` where letters are commands: the same as ctrl+a."""
        self.action_ask()

    def action_update_index(self) -> None:
        """Update the index (only new and changed notes are embedded)."""
        self.update_index()

    def action_update_index_letter(self) -> None:
        """`r` where letters are commands: the same as ctrl+r."""
        self.update_index()

    def action_cancel_build(self) -> None:
        """Cancel the running index build (the previous index stays)."""
        if self._build_cancel is not None:
            self._build_cancel.set()
            self.notify("Cancelling the index build…")

    def action_cancel_build_letter(self) -> None:
        """`r` during a build: the same as ctrl+r."""
        self.action_cancel_build()

    def action_help(self) -> None:
        """Show the key table."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_back(self) -> None:
        """Back out one level: cancel an answer, close the ask pane, go back from a jump, leave the reader, clear the filter."""
        main = self.main
        if main.ask_pane.answering:
            self.workers.cancel_group(self, "ask")
            main.ask_pane.fail_turn(len(main.ask_pane.turns), "Cancelled.", cancelled=True)
        elif main.asking and (main.ask_pane.has_focus_within or not main.showing_reader):
            main.close_ask()
        elif main.showing_reader:
            if not await self.go_back():
                self.home()
        else:
            main.back_in_library()

    async def action_back_key(self) -> None:
        """Go back from a jump (like a browser's back)."""
        if self.main.showing_reader and not await self.go_back():
            self.notify("Nothing to go back to: Escape returns to the library.")

    async def action_forward(self) -> None:
        """Redo the jump undone with back."""
        if not await self.go_forward():
            self.notify("Nothing to go forward to.")

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.current_theme.dark else DEFAULT_THEME

    def action_open_link(self, url: str) -> None:
        """Open a web link from a note in the browser."""
        if url.lower().startswith(("http://", "https://", "mailto:")):
            self.open_url(url)
            self.notify(f"Opening {url}", markup=False)

    async def action_open_note(self, note_id: str) -> None:
        """Open a note by id (used by clickable related notes)."""
        await self.open_note(note_id, jump=True)

    def action_open_paper(self) -> None:
        """Pick a note to read from the command palette."""
        self.push_screen(CommandPalette(providers=[NoteCommands], placeholder="Open paper…"))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG screenshot and say where (or why it could not be saved)."""
        save_screenshot(self, filename, path)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
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


@contextlib.contextmanager
def _log_to_textual() -> Iterator[None]:
    """Send log records to Textual's log while the app owns the terminal (stderr would garble it)."""
    from textual.logging import TextualHandler

    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = [TextualHandler()]
    try:
        yield
    finally:
        root.handlers = saved


def run(kb: KnowledgeBase, watch: bool = True) -> None:
    """Run the app on `kb` until the user quits."""
    from tui.widgets.image_view import prepare_terminal_images

    prepare_terminal_images()  # must happen before Textual takes over the terminal
    with _log_to_textual():
        PapernotesApp(kb, watch=watch).run()
