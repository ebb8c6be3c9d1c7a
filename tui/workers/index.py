"""Index builds in the background: started (or queued behind a running one), their progress and outcome shown, a build offered when the index is behind."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work

from indexer.store import BuildCancelled, BuildReport, IndexStatus
from tui.messages import AskQuestion, BuildFailed, BuildFinished, BuildProgressed
from tui.screens.build_offer import BuildOffer
from tui.text import one_line, short_title
from tui.widgets.status_line import STAGES, changes_counted
from tui.workers.support import while_running

if TYPE_CHECKING:
    from tui.app import PapernotesApp

logger = logging.getLogger(__name__)

COUNTED_STAGES = ("embedding", "embedding sentences")
"""The build's stages whose progress is a count of texts embedded (the others are a start and an end)."""
INDEX_WAIT = 30.0
"""Seconds a build waits for another process (e.g. `papernotes index --watch`) holding the index lock."""


def progress_said(stage: str, done: int, total: int) -> str:
    """A build's progress in words: its stage, and how much of it is done when it counts ("embedding passages: 52%")."""
    said = STAGES.get(stage, stage).lower()
    return f"{said}: {100 * done // total}%" if total > 0 and stage in COUNTED_STAGES else said


NAMED = 3
"""Notes an index toast names for each kind of change; beyond that (and never for just one) it counts them."""


def changes_said(report: BuildReport, names: dict[str, str]) -> str:
    """What an index update did, note by note (by short name, else id), then the counts and time."""
    said = []
    for verb, ids in (("Added", report.added), ("Updated", report.updated), ("Removed", report.removed)):
        if not ids:
            continue
        shown = ids if len(ids) <= NAMED + 1 else ids[:NAMED]
        more = f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else ""
        said.append(f"{verb} {', '.join(one_line(names.get(i, i)) for i in shown)}{more}.")
    return " ".join(said) + ("\n" if said else "") + report.summary()


def _only(report: BuildReport, told: frozenset[str]) -> bool:
    """Whether the update changed nothing but the notes in `told` (and rebuilt nothing)."""
    changed = {*report.added, *report.updated, *report.removed}
    return bool(changed) and changed <= told and not (report.full_rebuild_reason or report.rechunked)


class IndexWork:
    """Building the index (mixed into PapernotesApp)."""

    _disk_changed_in_build: bool = False
    """Notes changed on disk while a build ran: the collection it read (and indexed) is out of date."""
    _told_changes: frozenset[str] = frozenset()
    """Ids of notes whose change on disk a toast has told already (the open note renamed or deleted)."""
    build_progress: str = ""
    """How far the running build is, in words ("embedding passages: 52%"; "" when it has not said)."""

    @work(thread=True, exclusive=True, group="build", exit_on_error=False)
    def _build(self: PapernotesApp, rebuild: bool, cancel: threading.Event) -> None:
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
            stale = self.kb.stale_warning(error)  # no space, read-only, lock held: keep answering
            if stale is None:
                logger.exception("index build failed")
            self.post_message(BuildFailed(stale or error))
        else:
            self.post_message(BuildFinished(report, collection, status))

    @while_running
    def on_build_progressed(self: PapernotesApp, message: BuildProgressed) -> None:
        if self.state.building:
            self.main.status_line.show_progress(message.stage, message.done, message.total)
            self.build_progress = progress_said(message.stage, message.done, message.total)
            self.main.ask_pane.build_progressed(self.build_progress)

    @while_running
    async def on_build_finished(self: PapernotesApp, message: BuildFinished) -> None:
        self._build_done()
        report = message.report
        if report.changed:
            self._related.clear()
        if self._disk_changed_in_build:
            # Shown as read now, not as the build read them; the status then says whether to update again.
            self._disk_changed_in_build = False
            self._check_disk = True
            self._load_notes()
        else:
            self.state.status, self.state.status_problem = message.status, None
            await self._use_collection(message.collection)
        note = self.main.reader.note
        if report.changed and note is not None:
            self._request_related(note.id)
        waiting = self._ask_after_build if self._index_exists() else None
        asked = ""
        if waiting is not None:  # the question that found no index is asked now
            self._ask_after_build = None
            self.post_message(AskQuestion(waiting.question, waiting.scope))
            key = "" if self.main.asking else " (ctrl+a)"
            asked = f"\nYour question “{one_line(waiting.question)}” is answered in the ask pane{key}."
        # One toast for a burst of saves (a build each): the newest summary replaces the one shown.
        # A change to the open note was told as it happened (renamed, deleted): the index catching up with
        # just that is not a second event.
        told, self._told_changes = self._told_changes, frozenset()
        if report.changed and (asked or not _only(report, told)):
            names = {note.id: short_title(note) for note in self.collection.notes} if self.collection else {}
            self.toast("index", changes_said(report, names) + asked, title="Index updated")
        elif not self._quiet_build or asked:
            self.toast("index", "The index is up to date." + asked, title="Index")
        if self._update_again:
            self._update_again = False
            self.update_index(quiet=True)

    @while_running
    def on_build_failed(self: PapernotesApp, message: BuildFailed) -> None:
        self._build_done()
        self._disk_changed_in_build = False  # the notes are reloaded below anyway
        if message.cancelled:
            self.notify(
                "Index build cancelled; the previous index is unchanged.", title="Cancelled"
            )
        else:
            self._notify_error(message.error)
        self._load_notes()

    def update_index(self: PapernotesApp, rebuild: bool = False, *, quiet: bool = False) -> None:
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

    def _build_done(self: PapernotesApp) -> None:
        self.state.building = False
        self.build_progress = ""
        self._build_cancel = None
        self.main.status_line.hide_progress()
        self._show_state()
        self.refresh_bindings()

    def _offer_build(self: PapernotesApp, status: IndexStatus | None) -> None:
        """Offer a build when the index is missing or behind: a dialog, or a notice once the user is typing."""
        if status is None or status.up_to_date or self.state.building:
            return
        if not status.exists and not self.state.notes:
            return  # nothing to index: the library says the folder has no notes yet
        if status.exists and not status.problem and self.watching:
            # While it runs the app updates the index by itself when notes change (the watcher): notes
            # changed while it was closed are caught up the same way, the toast naming them. A first or
            # full build (the whole folder embedded) is still offered.
            self.update_index(quiet=True)
            return
        offer = build_offer(status, self.state.notes)
        # The user said not now (or was busy): changes on disk don't build by themselves either.
        self._auto_update = False
        if self.touched or self.type_ahead.pending:  # keys were pressed already: a dialog would take the ones that follow
            self.notify(offer.notice, title=offer.title, timeout=OFFER_NOTICE_SECONDS, markup=False)
            return

        def answered(build: bool | None) -> None:
            if build:
                self.update_index()
            elif build is None:  # typing closed it: the keys went where the user was typing
                self.notify(offer.notice, title=offer.title, timeout=OFFER_NOTICE_SECONDS, markup=False)

        self.push_screen(BuildOffer(offer.title, offer.message, offer.action), answered)


OFFER_NOTICE_SECONDS = 10.0
"""How long the notice that stands in for the build dialog stays (it says which key builds)."""


@dataclass(frozen=True)
class Offer:
    """What the build offer says: as a dialog (`message`, `action`) or as a notice."""

    title: str
    message: str
    action: str
    notice: str


def build_offer(status: IndexStatus, notes: int) -> Offer:
    """The offer for an index that is missing, broken or behind the `notes` on disk."""
    if not status.exists:
        return Offer(
            "No index yet",
            f"There is no index for the {notes} notes in this folder yet, "
            "so questions can't be answered.\nBuild it now? It runs in the background.",
            "Build index",
            f"There is no index for the {notes} notes yet, so questions can't be answered. "
            "ctrl+r builds it (in the background).",
        )
    if status.problem:
        return Offer(
            "Index needs a rebuild",
            f"{status.problem}.\nRebuild it now?",
            "Rebuild",
            f"{status.problem}. ctrl+r rebuilds it.",
        )
    names = ", ".join([*status.added, *status.updated, *status.removed][:4])
    more = "…" if status.changed > 4 else ""
    changed = f"{changes_counted(status)} since the last build ({names}{more})."
    return Offer(
        "Notes changed",
        f"{changed}\nUpdate the index now? Only the changed notes are embedded again.",
        "Update index",
        f"{changed} ctrl+r updates the index.",
    )
