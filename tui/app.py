"""Provides the papernotes app: its state, start-up and shut-down, and what it shows of the notes (keys and actions, background work, navigation and its back/forward history are mixed in beside it)."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode
from textual.theme import Theme

from indexer.knowledge import KnowledgeBase, RelatedNote
from indexer.notemodel import NoteCollection
from tui import collector
from tui.actions import KEYS, Actions
from tui.commands import NoteCommands
from tui.config import load_config, save_config
from tui.history import BackForward
from tui.key_hold import KeyHold
from tui.messages import AskQuestion
from tui.navigation import Navigation
from tui.screens.build_offer import BuildOffer
from tui.screens.main import MainScreen
from tui.text import one_line, short_title
from tui.typeahead import TypeAhead, driver_class
from tui.widgets.status_line import AppState
from tui.workers import Workers
from tui.workers.notes import FIRST_FRAME_WAIT, QuickList

if TYPE_CHECKING:
    from indexer.answer.result import Answer

REOPEN_WAIT = 2.0
"""Seconds keys typed at start-up wait at most for the note the app reopens (read in ~0.1 s) before going to the library."""

logger = logging.getLogger(__name__)


class PapernotesApp(Actions, Navigation, BackForward, Workers, KeyHold, App[None]):
    """Browse, read and ask a folder of paper notes."""

    CSS_PATH = Path(__file__).parent / "styles.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "papernotes"
    COMMANDS = App.COMMANDS | {NoteCommands}
    BINDINGS = KEYS

    def __init__(self, kb: KnowledgeBase, *, watch: bool = True) -> None:
        super().__init__()
        self.driver_class = driver_class(self.driver_class)
        self.type_ahead = TypeAhead()
        """The keys typed before the main screen is mounted (even before Textual read the terminal), replayed then."""
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
        self.quick_list = QuickList(kb)
        """The notes as the catalog knows them, read from now on in a thread (for the first frame)."""
        self.main = MainScreen()
        """The screen everything happens on."""
        self._type_ahead_replayed = False
        """Whether the keys typed at start-up were replayed (later holds are KeyHold's)."""
        self._model_loaded = threading.Event()
        """Set when the model load ended (the one started once the notes are listed, or a later retry)."""
        self._model_error: Exception | None = None
        """Why the last model load failed (None: it did not): questions fail with it until a retry."""
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
        self._asked: dict[int, AskQuestion] = {}
        """The questions asked, by turn number (one that found no index is asked again after a build)."""
        self._ask_after_build: AskQuestion | None = None
        """The last question that found no index: asked again once a build makes one."""
        self._toasts = {}
        """The toast shown for each kind of event (see Reporting.toast): title, message, when it goes."""
        self.touched = False
        """Whether the user pressed a key yet (until then start-up may reopen the last note)."""
        self._offered_keys: tuple[object, ...] = ()
        """The keys the footer offers (see refresh_bindings)."""
        self._early_actions: list[tuple[str | ActionParseResult, DOMNode | None, Mapping[str, DOMNode] | None]] | None = []
        """Actions asked for before the main screen was mounted, run once it is (None: it is mounted)."""
        self._navigation_init()
        self._history_init()
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme

    # --- start and stop -------------------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        # The first screen is the main one (no blank default screen composed, laid out and drawn before it),
        # composed with the notes when they are read in time.
        self.main.first_notes = self.quick_list.wait(FIRST_FRAME_WAIT)
        return self.main

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.sub_title = "Library"

    def main_mounted(self) -> None:
        """The main screen is composed (its on_mount calls this): say what it shows, start the work."""
        if self.main.first_notes is not None:
            self.show_listed(self.main.first_notes, self.quick_list.status)
        self._show_state()
        self.call_after_refresh(collector.start_up_drawn)
        self.call_after_refresh(self._run_early_actions)  # first: the keys replayed next run their actions at once
        if self._will_reopen():
            # The user typed for the note the app opens on (as it did last time), not for the library shown
            # until it is read: the keys wait for it (replayed by the notes' reports, or after REOPEN_WAIT).
            self.set_timer(REOPEN_WAIT, self._replay_type_ahead)
        else:
            self.call_after_refresh(self._replay_type_ahead)
        self._load_notes()  # the model loads once the notes are listed: torch's import would slow that down
        if self.watching:
            self._watch()

    async def on_event(self, event: events.Event) -> None:
        if not event.is_forwarded and not self.passes_hold(event) and self.type_ahead.holds(event):
            # Typed before the main screen (or the note it reopens) is there, or behind a key that moves the
            # focus (KeyHold): handled once it is, in order.
            return
        if isinstance(event, events.Key):
            self.touched = True  # from now on, start-up never opens a note by itself
        if BuildOffer.typed_over(event) and not event.is_forwarded and isinstance(self.screen, BuildOffer):
            # The offer opened while the user was typing: it steps aside (at once, so this key and the
            # ones queued behind it are read in order) and the keys go where they were typed.
            self.screen.dismiss(None)
        if isinstance(event, events.Key) and not event.is_forwarded and self.letters_to_box():
            # After ↑ to the citations, or a citation opened: a letter starts (or goes on with) the next question,
            # at once, so the keys queued behind it follow it into the box; other keys run their binding now,
            # in order with them (bubbled up, one would be read by the bindings of the box).
            if self.sends_to_box(event):
                self.main.open_ask()
            elif await self._check_bindings(event.key, priority=True) or await self._check_bindings(event.key):
                return
        if isinstance(event, events.Key) and not event.is_forwarded and self.moves_focus(event):
            self.hold_keys(event)  # the keys behind it wait until the focus has moved (KeyHold)
        await super().on_event(event)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        if self._early_actions is not None:  # the main screen has no children yet: its actions would fail
            self._early_actions.append((action, default_namespace, namespaces))
            return True
        return await super().run_action(action, default_namespace, namespaces)

    async def _run_early_actions(self) -> None:
        """The actions asked for before the main screen was mounted, run now, in order."""
        early, self._early_actions = self._early_actions or [], None
        for action, namespace, namespaces in early:
            await self.run_action(action, namespace, namespaces)

    def _will_reopen(self) -> bool:
        """Whether start-up is about to reopen the note last read (the one the catalog lists, when it was read in time)."""
        last, _ = self.config.note_to_reopen(self.kb.root)
        listed = self.main.first_notes
        return last is not None and not self.touched and (listed is None or listed.find(last) is not None)

    async def _replay_type_ahead(self) -> None:
        """The keys typed before the main screen was mounted (or the reopened note shown), handled now (before any
        queued behind this); once only (a later call would end a KeyHold early)."""
        if self._type_ahead_replayed:
            return
        self._type_ahead_replayed = True
        await self.replay_held()

    def on_unmount(self) -> None:
        self.flush_config_now()
        self._stop_background()

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
        if scope_note is not None and scope_note.id != message.scope:
            scope_note = None  # found by another name: the note asked about is gone
        reader = self.main.reader
        open_note = reader.note.id if self.main.showing_reader and reader.note is not None else None
        previous = pane.previous_answer
        if open_note is not None and pane.previous_open_note != open_note and (previous is None or previous.notes[:1] != [open_note]):
            previous = None  # another note opened since: "it" and "this paper" are the note on screen
        # (opened from the answer, its citation to the note it is about: the conversation goes on about that note)
        turn = await pane.start_turn(
            message.question, short_title(scope_note) if scope_note else None
        )
        turn.open_note = open_note
        if self._asks_of_a_deleted_note(message.question, open_note, previous):
            from indexer.answer.result import Answer

            gone = reader.note
            name = one_line(short_title(gone)) if gone is not None else "it"
            reason = f"The note you were reading ({name}) was deleted."
            pane.finish_turn(turn.number, Answer(message.question, None, [], reason=reason))
            return
        pane.set_waiting_for("the model" if self.state.model == "loading" else "")
        if self.state.building and not self._index_exists():  # answered once the build commits the first index
            self.wait_for_first_build()
        # A scope whose note was deleted meanwhile is dropped: never answer from a note that is gone.
        scope = [scope_note.id] if scope_note is not None else None
        if self.collection is None and message.scope:  # listed from the catalog, still being parsed
            scope = [message.scope]
        self._asked[turn.number] = AskQuestion(message.question, message.scope)
        if self.state.model == "failed":  # perhaps it failed only then: try again (a lasting error is said again)
            self._start_model_load()
            pane.set_waiting_for("the model")
        self._answer(turn.number, message.question, scope, previous, open_note)

    def _asks_of_a_deleted_note(self, question: str, open_note: str | None, previous: Answer | None) -> bool:
        """Whether `question` leans on the note being read ("who wrote this paper?") and that note was deleted.

        Asked of all notes instead, "this paper" would be read as whatever note answers best: another paper's authors.
        """
        from indexer.answer.questions import is_follow_up

        if open_note is None or self._gone != open_note or not is_follow_up(question):
            return False
        return previous is None or not previous.notes or previous.notes[0] == open_note

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
        card = self.main.reader.card
        card.names = names
        if card.related:  # a related note deleted from the folder is no longer offered
            card.set_related(card.related, "none found")
        self.state.notes = len(collection.notes)
        self.state.unreadable = len(collection.errors)
        reader = self.main.reader
        self.main.library.set_notes(collection, keep=reader.note.id if reader.note else None)
        self._show_state()
        self.follow_renames(before, collection)
        self.follow_shown_note(before, collection)
        if before is not None:
            self._say_unreadable(before, collection)

    def _say_unreadable(self, before: NoteCollection, collection: NoteCollection) -> None:
        """A file that became unreadable (not UTF-8, too big…) is told, with why; the library lists it last."""
        known = {error.message for error in before.errors}
        new = [error for error in collection.errors if error.message not in known]
        if new:
            said = "\n".join(one_line(str(error)) for error in new[:3])  # file, line, why and what to do
            more = f"\n…and {len(new) - 3} more" if len(new) > 3 else ""
            title = "Unreadable note" if len(new) == 1 else "Unreadable notes"
            self.toast("unreadable", f"{said}{more}\nListed at the end of the library.", title=title)


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


def run(kb: KnowledgeBase, watch: bool = True) -> int:
    """Run the app on `kb` until the user quits; its exit status (1 when it stopped on an error)."""
    from tui.widgets.image_view import prepare_terminal_images

    prepare_terminal_images()  # must happen before Textual takes over the terminal
    app = PapernotesApp(kb, watch=watch)
    with _log_to_textual():
        app.run()
    return finished(app)


def finished(app: PapernotesApp) -> int:
    """The exit status of `app`, which has stopped; after an error (Textual printed it) the note shown
    then is not reopened by the next start, so one bad note can't stop every launch."""
    if not app.return_code:
        return 0
    config = load_config()
    config.stopped_showing(app.kb.root)
    save_config(config)
    print("papernotes: the app stopped on the error above; the next start opens on the library.", file=sys.stderr)
    return app.return_code
