"""Provides the papernotes app: its state, key bindings, and the workers that load, index and answer."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input
from textual.worker import get_current_worker

from indexer.answer import Answer, Citation
from indexer.errors import IndexMissingError, PapernotesError
from indexer.knowledge import KnowledgeBase, RelatedNote
from indexer.notes import Note, NoteCollection
from indexer.store import BuildCancelled, IndexStatus
from tui.commands import NoteCommands
from tui.config import DEFAULT_THEME, load_config, save_config
from tui.messages import (
    AnswerFailed,
    AnswerReady,
    AskQuestion,
    BuildFailed,
    BuildFinished,
    BuildProgressed,
    CitationChosen,
    ModelFailed,
    ModelReady,
    NotesChangedOnDisk,
    NotesFailed,
    NotesLoaded,
    OpenBrokenNote,
    OpenNote,
    RelatedReady,
)
from tui.screens.build_offer import BuildOffer
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.text import one_line, short_title
from tui.widgets.conversation import citation_place
from tui.widgets.note_card import RELATED_KEYS
from tui.widgets.status_line import AppState

logger = logging.getLogger(__name__)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def while_running(handler: Handler) -> Handler:
    """Skip a worker's report that arrives while the app shuts down (its widgets are gone by then)."""

    @functools.wraps(handler)
    async def guarded(self: PapernotesApp, *args: Any) -> None:
        if self.is_running:
            result = handler(self, *args)
            if inspect.isawaitable(result):
                await result

    return cast(Handler, guarded)


READER_ACTIONS = {"next_note", "previous_note", "home", "toggle_toc", "related"}
"""Actions that only make sense while a note is shown."""
TYPED_KEY_ACTIONS = READER_ACTIONS | {"quit", "ask", "update_index", "cancel_build"}
"""Actions bound to printable keys: hidden while the user types in a box (the box gets the keys)."""
INDEX_WAIT = 30.0
"""Seconds a build waits for another process (e.g. `papernotes index --watch`) holding the index lock."""


class PapernotesApp(App[None]):
    """Browse, read and ask a folder of paper notes."""

    CSS_PATH = Path(__file__).parent / "styles.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "papernotes"
    COMMANDS = App.COMMANDS | {NoteCommands}
    BINDINGS = [
        Binding("n", "next_note", "Next"),
        Binding("right", "next_note", "Next", show=False),
        Binding("p", "previous_note", "Prev"),
        Binding("left", "previous_note", "Prev", show=False),
        Binding("h", "home", "Home"),
        Binding("1", "related(1)", "Related", key_display="1-4"),
        *[
            Binding(str(k), f"related({k})", "Related", show=False)
            for k in range(2, RELATED_KEYS + 1)
        ],
        Binding("t", "toggle_toc", "Contents", show=False),
        Binding("a", "ask", "Ask"),
        Binding("r", "update_index", "Reindex"),
        Binding("r", "cancel_build", "Cancel indexing"),
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

    def on_unmount(self) -> None:
        self._stop_background()

    async def action_quit(self) -> None:
        """Stop the background work and leave."""
        self._stop_background()
        self.exit()

    async def action_quit_from_box(self) -> None:
        """Quit while typing in a box (where q is just a letter)."""
        await self.action_quit()

    def _stop_background(self) -> None:
        self._stop.set()
        if self._build_cancel is not None:
            self._build_cancel.set()
        self.workers.cancel_group(self, "ask")

    def _theme_changed(self, theme: Theme) -> None:
        if self.config.theme != theme.name:
            self.config.theme = theme.name
            save_config(self.config)

    # --- workers (threads: they must not touch widgets, they post messages) ---------------------

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def _load_notes(self) -> None:
        """Parse the notes folder and compare it with the index (no model needed)."""
        try:
            collection = self.kb.notes()
        except Exception as error:  # a missing folder is a message, not a crash
            self.post_message(NotesFailed(error))
            return
        status: IndexStatus | None = None
        problem: str | None = None
        try:
            status = self.kb.status(collection)
        except Exception as error:
            problem = str(error)
        self.post_message(NotesLoaded(collection, status, problem))

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_model(self) -> None:
        """Load the embedding model (imports torch: seconds) and open the index if there is one."""
        started = time.monotonic()
        try:
            self.kb.encoder()
        except Exception as error:
            self.post_message(ModelFailed(error))
            return
        with self._guard:
            with contextlib.suppress(PapernotesError):
                self.kb.retriever()  # no index yet is fine: it opens after the first build
            with contextlib.suppress(Exception):
                # The first inference is slow (lazy initialisation): pay for it before saying "ready".
                self.kb.encoder().encode_queries(["warm-up"])
        self.post_message(ModelReady(time.monotonic() - started))

    @work(thread=True, exclusive=True, group="build", exit_on_error=False)
    def _build(self, rebuild: bool, cancel: threading.Event) -> None:
        """Bring the index up to date, reporting progress; the guard keeps questions out meanwhile."""

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(BuildProgressed(stage, done, total))

        try:
            with self._guard:
                collection = self.kb.notes()
                report = self.kb.build(
                    rebuild=rebuild,
                    progress=progress,
                    cancel=cancel,
                    wait=INDEX_WAIT,
                    collection=collection,
                )
                status = self.kb.status(collection)
        except BuildCancelled as error:
            self.post_message(BuildFailed(error, cancelled=True))
        except Exception as error:
            logger.exception("index build failed")
            self.post_message(BuildFailed(error))
        else:
            self.post_message(BuildFinished(report, collection, status))

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _answer(
        self, turn: int, question: str, scope: list[str] | None, previous: Answer | None
    ) -> None:
        """Answer one question; a cancelled worker's answer is dropped."""
        worker = get_current_worker()
        while not self._guard.acquire(timeout=0.1):
            if worker.is_cancelled:
                return
        try:
            if worker.is_cancelled:
                return
            answer = self.kb.ask(question, scope=scope, previous=previous)
        except Exception as error:
            if not isinstance(error, PapernotesError):
                logger.exception("answering %r failed", question)
            result: AnswerReady | AnswerFailed = AnswerFailed(turn, error)
        else:
            result = AnswerReady(turn, answer)
        finally:
            self._guard.release()
        if not worker.is_cancelled:
            self.post_message(result)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _find_related(self, note_id: str) -> None:
        """Find the notes most similar to `note_id`."""
        try:
            with self._guard:
                related = self.kb.related(note_id)
        except Exception as error:
            logger.info("no related notes for %s: %s", note_id, error)
            related = []
        self.post_message(RelatedReady(note_id, related))

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self) -> None:
        """Watch the notes folder until the app exits."""
        from indexer.watch import watch_notes  # deferred: imports watchfiles

        try:
            watch_notes(self.kb.root, lambda: self.post_message(NotesChangedOnDisk()), self._stop)
        except Exception:
            logger.exception("watching %s stopped", self.kb.root)

    # --- worker results --------------------------------------------------------------------------

    @while_running
    async def on_notes_loaded(self, message: NotesLoaded) -> None:
        self.state.status, self.state.status_problem = message.status, message.problem
        await self._use_collection(message.collection)
        if not self._started:
            self._started = True
            self._load_model()
            last = self.config.last_note(self.kb.root)
            if last and message.collection.find(last) is not None:
                await self.open_note(last)
            self._offer_build(message.status)
        elif self._check_disk:
            self._check_disk = False
            status = message.status
            if self._auto_update and status is not None and status.exists and not status.up_to_date:
                self.update_index(quiet=True)

    @while_running
    def on_notes_failed(self, message: NotesFailed) -> None:
        error = message.error
        self.state.status_problem = str(error)
        self.main.library.set_notes(NoteCollection(self.kb.root, [], []))
        self._show_state()
        self._notify_error(error)

    @while_running
    def on_notes_changed_on_disk(self) -> None:
        # Reloading the notes is cheap (no model); the status then tells whether the index is behind.
        self._check_disk = True
        self._load_notes()

    @while_running
    def on_model_ready(self, message: ModelReady) -> None:
        logger.info("model ready in %.1f s", message.seconds)
        self.state.model = "ready"
        self._show_state()
        self.main.ask_pane.set_waiting_for("")
        note = self.main.reader.note
        if note is not None and note.id not in self._related:
            self._request_related(note.id)

    @while_running
    def on_model_failed(self, message: ModelFailed) -> None:
        self.state.model = "failed"
        self._show_state()
        self._notify_error(message.error)

    @while_running
    def on_build_progressed(self, message: BuildProgressed) -> None:
        if self.state.building:
            self.main.status_line.show_progress(message.stage, message.done, message.total)

    @while_running
    async def on_build_finished(self, message: BuildFinished) -> None:
        self._build_done()
        self.state.status, self.state.status_problem = message.status, None
        report = message.report
        if report.changed:
            self._related.clear()
        await self._use_collection(message.collection)
        note = self.main.reader.note
        if report.changed and note is not None:
            self._request_related(note.id)
        if report.changed:
            self.notify(report.summary(), title="Index updated", markup=False)
        elif not self._quiet_build:
            self.notify("The index is up to date.", title="Index")
        if self._update_again:
            self._update_again = False
            self.update_index(quiet=True)

    @while_running
    def on_build_failed(self, message: BuildFailed) -> None:
        self._build_done()
        if message.cancelled:
            self.notify(
                "Index build cancelled; the previous index is unchanged.", title="Cancelled"
            )
        else:
            self._notify_error(message.error)
        self._load_notes()

    @while_running
    def on_answer_ready(self, message: AnswerReady) -> None:
        self.main.ask_pane.finish_turn(message.turn, message.answer)

    @while_running
    def on_answer_failed(self, message: AnswerFailed) -> None:
        error = message.error
        if isinstance(error, IndexMissingError):
            text, hint = (
                "There is no index yet, so nothing can be answered.",
                "Press r to build it.",
            )
        elif isinstance(error, PapernotesError):
            text, hint = error.message, error.hint
        else:
            text, hint = f"Something went wrong: {error}", None
        self.main.ask_pane.fail_turn(message.turn, text, hint)

    @while_running
    def on_related_ready(self, message: RelatedReady) -> None:
        self._related[message.note_id] = message.related
        note = self.main.reader.note
        if note is not None and note.id == message.note_id:
            self.main.reader.card.set_related(message.related, "none found")
            self.refresh_bindings()

    # --- requests from widgets -------------------------------------------------------------------

    @on(OpenNote)
    async def _open_note_requested(self, message: OpenNote) -> None:
        await self.open_note(message.note_id, message.citation)

    @on(OpenBrokenNote)
    async def _open_broken_requested(self, message: OpenBrokenNote) -> None:
        await self.main.show_error(message.error)
        self.main.ask_pane.set_scope_note(None, None)
        self.sub_title = "Unreadable file"
        self.refresh_bindings()

    @on(CitationChosen)
    async def _citation_chosen(self, message: CitationChosen) -> None:
        citation = message.citation
        await self.open_note(citation.note, citation)
        shown = self.main.reader.note
        if shown is None or shown.id != citation.note:
            return  # the note is gone (the index is older than the notes): open_note said so
        where = one_line(citation.section) or "the note"
        self.notify(
            f"{where} · {citation_place(citation)}",
            title=f"Cited passage [{citation.number}]",
            markup=False,
        )

    @on(AskQuestion)
    async def _ask_question(self, message: AskQuestion) -> None:
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

    # --- doing things ----------------------------------------------------------------------------

    async def open_note(self, key: str, citation: Citation | None = None) -> None:
        """Show the note `key` (id, path or title), at `citation` if given."""
        note = self.collection.find(key) if self.collection is not None else None
        if note is None:
            self.notify(
                f"There is no note {one_line(key)!r} in the notes folder.",
                severity="warning",
                markup=False,
            )
            return
        await self.main.show_note(note, citation)
        self._note_shown(note)

    def _note_shown(self, note: Note) -> None:
        self._gone = None
        self._show_position(note)
        self.main.ask_pane.set_scope_note(note.id, short_title(note))
        self.config.remember_note(self.kb.root, note.id)
        save_config(self.config)
        self._request_related(note.id)
        self.refresh_bindings()

    def _show_position(self, note: Note) -> None:
        """The header: where the note shown is in the reading order ("3 / 14 · Title")."""
        if self.collection is None:
            return
        notes = self.collection.notes
        ids = [n.id for n in notes]
        position = f"{ids.index(note.id) + 1}" if note.id in ids else "–"
        deleted = " (deleted)" if note.id not in ids else ""
        self.sub_title = f"{position} / {len(notes)} · {one_line(note.title)}{deleted}"

    def _request_related(self, note_id: str) -> None:
        card = self.main.reader.card
        if note_id in self._related:
            card.set_related(self._related[note_id], "none found")
        elif self.state.status is not None and not self.state.status.exists:
            card.set_related(None, "build the index (r) to see related notes")
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
        shown = reader.note
        if shown is None:
            return
        fresh = next((n for n in collection.notes if n.id == shown.id), None)
        if fresh is None:
            fresh = self._renamed(shown, before, collection)
            if fresh is not None:
                self.notify(
                    f"{one_line(shown.rel_path)} is now {one_line(fresh.rel_path)}.",
                    title="Note renamed",
                    markup=False,
                )
        if fresh is None:
            if self._gone != shown.id:  # once per deletion, however many reloads follow
                self._gone = shown.id
                self._gone_neighbours = _neighbours(shown.id, before)
                self.notify(
                    f"{one_line(shown.rel_path)} was deleted from the notes folder; "
                    "n and p go on from where it was.",
                    title="Note deleted",
                    markup=False,
                )
            if self.main.showing_reader:
                self._show_position(shown)
            return
        if fresh.content_hash != shown.content_hash or fresh.id != shown.id:
            await reader.show_note(fresh, keep_scroll=True)
            if self.main.showing_reader:
                self._note_shown(fresh)
            return
        reader.note = fresh  # same text: keep the page as it is
        self._gone = None
        if self.main.showing_reader:
            self._show_position(fresh)

    @staticmethod
    def _renamed(
        note: Note, before: NoteCollection | None, now: NoteCollection
    ) -> Note | None:
        """The note `note` became when its file was renamed: the one new note with its content."""
        old_ids = {n.id for n in before.notes} if before is not None else set()
        same = [n for n in now.notes if n.content_hash == note.content_hash and n.id not in old_ids]
        return same[0] if len(same) == 1 else None

    def update_index(self, rebuild: bool = False, *, quiet: bool = False) -> None:
        """Start an incremental (or, with `rebuild`, full) index build in the background.

        `quiet` builds (started by the watcher) say nothing when there was nothing to do.
        """
        if self.state.building:
            self._update_again = True
            return
        self._auto_update = True
        self._quiet_build = quiet
        self.state.building = True
        self._build_cancel = threading.Event()
        self.main.status_line.show_progress("starting", 0, 0)
        self._show_state()
        self.refresh_bindings()
        self._build(rebuild, self._build_cancel)

    def _build_done(self) -> None:
        self.state.building = False
        self._build_cancel = None
        self.main.status_line.hide_progress()
        self._show_state()
        self.refresh_bindings()

    def _offer_build(self, status: IndexStatus | None) -> None:
        if status is None or status.up_to_date or self.state.building:
            return
        if not status.exists:
            title, action = "No index yet", "Build index"
            message = (
                f"There is no index for the {self.state.notes} notes in this folder yet, "
                "so questions can't be answered.\nBuild it now? It runs in the background."
            )
        elif status.problem:
            title, action = "Index needs a rebuild", "Rebuild"
            message = f"{status.problem}.\nRebuild it now?"
        else:
            count = status.changed
            names = ", ".join([*status.added, *status.updated, *status.removed][:4])
            more = "…" if count > 4 else ""
            title = "Notes changed"
            message = (
                f"{count} note{'s' if count != 1 else ''} changed since the last build ({names}{more}).\n"
                "Update the index now? Only the changed notes are embedded again."
            )
            action = "Update index"

        def answered(build: bool | None) -> None:
            if build:
                self.update_index()
            else:
                # The user said not now: changes on disk don't build by themselves either.
                self._auto_update = False

        self._auto_update = False
        self.push_screen(BuildOffer(title, message, action), answered)

    def _show_state(self) -> None:
        self.main.status_line.show_state(self.state)

    def _notify_error(self, error: Exception) -> None:
        title = getattr(error, "title", "Error")
        self.notify(one_line(str(error)), title=title, severity="error", markup=False, timeout=10)

    # --- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "quit_from_box":
            return typing
        if action in TYPED_KEY_ACTIONS and typing:
            return False
        if action == "update_index":
            return not self.state.building
        if action == "cancel_build":
            return self.state.building
        if action in READER_ACTIONS:
            if not self.main.is_current or not self.main.showing_reader:
                return False
            if action == "related" and parameters:
                related = self.main.reader.card.related or []
                return int(str(parameters[0])) <= len(related)
        return True

    async def action_next_note(self) -> None:
        """Open the next note in reading order (says so at the end)."""
        await self._step(1)

    async def action_previous_note(self) -> None:
        """Open the previous note in reading order (says so at the start)."""
        await self._step(-1)

    async def _step(self, step: int) -> None:
        note = self.main.reader.note
        if note is None or self.collection is None:
            return
        notes = self.collection.notes
        ids = [n.id for n in notes]
        if note.id not in ids:  # deleted: go on from where it was
            before, after = self._gone_neighbours if self._gone == note.id else ([], [])
            target = next((i for i in (after if step > 0 else before) if i in ids), None)
            if target is not None:
                await self.open_note(target)
            elif notes:
                where = "after" if step > 0 else "before"
                self.notify(f"There is no note {where} the deleted one.", title="No more notes")
            return
        index = ids.index(note.id) + step
        if index >= len(notes):
            self.notify(
                f"This is the last note ({len(notes)} / {len(notes)}).", title="End of the notes"
            )
        elif index < 0:
            self.notify(f"This is the first note (1 / {len(notes)}).", title="Start of the notes")
        else:
            await self.open_note(notes[index].id)

    def action_home(self) -> None:
        """Back to the library."""
        self.main.show_library()
        self.sub_title = "Library"
        self.refresh_bindings()

    async def action_related(self, number: int) -> None:
        """Open related note `number` (1-based, as listed on the card)."""
        related = self.main.reader.card.related or []
        if 1 <= number <= len(related):
            await self.open_note(related[number - 1].note_id)

    def action_toggle_toc(self) -> None:
        """Show or hide the table of contents."""
        self.main.toggle_toc()

    def action_ask(self) -> None:
        """Open the ask pane."""
        if self.screen is not self.main:
            self.pop_screen()
        self.main.open_ask()

    def action_update_index(self) -> None:
        """Update the index (only new and changed notes are embedded)."""
        self.update_index()

    def action_cancel_build(self) -> None:
        """Cancel the running index build (the previous index stays)."""
        if self._build_cancel is not None:
            self._build_cancel.set()
            self.notify("Cancelling the index build…")

    def action_help(self) -> None:
        """Show the key table."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_back(self) -> None:
        """Back out one level: cancel an answer, close the ask pane, leave the reader, clear the filter."""
        main = self.main
        if main.ask_pane.answering:
            self.workers.cancel_group(self, "ask")
            main.ask_pane.fail_turn(len(main.ask_pane.turns), "Cancelled.", cancelled=True)
        elif main.asking:
            main.close_ask()
        elif main.showing_reader:
            self.action_home()
        else:
            main.back_in_library()

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.current_theme.dark else DEFAULT_THEME

    def action_open_link(self, url: str) -> None:
        """Open a web link from a note in the browser."""
        if url.lower().startswith(("http://", "https://", "mailto:")):
            self.open_url(url)
            self.notify(f"Opening {one_line(url)}", markup=False)

    async def action_open_note(self, note_id: str) -> None:
        """Open a note by id (used by clickable related notes)."""
        await self.open_note(note_id)

    def action_open_paper(self) -> None:
        """Pick a note to read from the command palette."""
        self.push_screen(CommandPalette(providers=[NoteCommands], placeholder="Open paper…"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Open paper…", "Pick a note to read", self.action_open_paper)
        yield SystemCommand("Ask a question", "Open the ask pane (a)", self.action_ask)
        if self.state.building:
            yield SystemCommand(
                "Cancel indexing", "Stop the running index build (r)", self.action_cancel_build
            )
        else:
            yield SystemCommand(
                "Update index", "Embed new and changed notes (r)", self.action_update_index
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
        yield from super().get_system_commands(screen)


def _neighbours(note_id: str, collection: NoteCollection | None) -> tuple[list[str], list[str]]:
    """The ids before `note_id` (nearest first) and after it in `collection`'s reading order."""
    ids = [n.id for n in collection.notes] if collection is not None else []
    if note_id not in ids:
        return [], []
    at = ids.index(note_id)
    return ids[:at][::-1], ids[at + 1 :]


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
