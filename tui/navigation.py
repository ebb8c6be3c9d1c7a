"""Moving between notes: opening one (a jump is remembered for back), stepping (coalesced when keys repeat), following the note shown when the notes change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.css.query import NoMatches

from indexer.answer import Citation
from indexer.notemodel import Note, NoteCollection
from tui import collector
from tui.config import save_config
from tui.messages import CitationChosen, OpenBrokenNote, OpenNote
from tui.positions import go_to_line, line_at_top
from tui.text import one_line, short_title
from tui.widgets.conversation import citation_place

if TYPE_CHECKING:
    from tui.app import PapernotesApp

PREFETCH_DELAY = 0.25
"""Seconds after a note is shown before its neighbours are parsed (not while it paints, nor while n repeats)."""
CONFIG_DELAY = 1.0
"""Seconds before a changed last-read note is saved (once for a run of n presses)."""


class Navigation:
    """The app's part that moves between notes (mixed into PapernotesApp)."""

    def _navigation_init(self: PapernotesApp) -> None:
        self._wanted: Note | None = None
        """The note a coalesced step will show (set while keys repeat faster than notes render)."""
        self._config_due = False
        """The remembered state changed and is not saved yet."""
        self._pending_open: tuple[str, Citation | None, bool] | None = None
        """A note asked for before the notes were all parsed: opened once they are."""
        self._moved: dict[str, str] = {}
        """Ids of notes whose files were renamed while the app runs → their ids now (citations made before find them)."""

    def on_unmount(self: PapernotesApp) -> None:
        collector.release()  # closed between a key and its paint: the collector runs again

    # --- requests from widgets ------------------------------------------------------------------

    async def on_open_note(self: PapernotesApp, message: OpenNote) -> None:
        await self.open_note(message.note_id, message.citation, jump=message.jump)
        if message.from_ask:
            self._opened_from_ask(message.note_id)

    def on_open_broken_note(self: PapernotesApp, message: OpenBrokenNote) -> None:
        self.history.clear()
        self.main.show_error(message.error)
        self.main.ask_pane.set_scope_note(None, None)
        self.sub_title = "Unreadable file"
        self.refresh_bindings()

    async def on_citation_chosen(self: PapernotesApp, message: CitationChosen) -> None:
        citation = message.citation
        note = self.note_now(citation.note)
        if note is None:
            self.notify(
                f"{one_line(citation.path)} is no longer in the notes folder (deleted, or renamed and changed "
                "since the answer was given); ask again to cite the notes as they are now.",
                title="Cited note gone",
                severity="warning",
                markup=False,
            )
            return
        await self.open_note(note.id, citation, jump=True)
        shown = self.main.reader.note
        if shown is None or shown.id != note.id:
            return  # not shown after all (the notes are still being read): nothing to point at
        self._opened_from_ask(note.id)
        where = one_line(citation.section) or "the note"
        place = citation_place(dataclasses.replace(citation, path=note.rel_path))
        if note.rel_path != citation.path:  # renamed since the answer: the same lines, in the file as it is named now
            place += f" ({one_line(citation.path)} is now {one_line(note.rel_path)})"
        self.notify(f"{where} · {place}", title=f"Cited passage [{citation.number}]", markup=False)

    def note_now(self: PapernotesApp, note_id: str) -> Note | None:
        """The note `note_id` names now: itself, or what it was renamed to while the app ran (None: gone)."""
        if self.collection is None:
            return None
        note = next((n for n in self.collection.notes if n.id == note_id), None)
        moved = self._moved.get(note_id)
        if note is None and moved is not None:
            note = next((n for n in self.collection.notes if n.id == moved), None)
        return note

    def follow_renames(self: PapernotesApp, before: NoteCollection | None, now: NoteCollection) -> None:
        """Remember the notes renamed between `before` and `now` (a renamed note renamed again: its last id)."""
        if before is None:
            return
        ids = {n.id for n in now.notes}
        for note in before.notes:
            if note.id in ids:
                continue
            fresh = renamed(note, before, now)
            if fresh is not None:
                self._moved = {old: (fresh.id if new == note.id else new) for old, new in self._moved.items()}
                self._moved[note.id] = fresh.id
        self._moved = {old: new for old, new in self._moved.items() if old not in ids}  # the old name back: itself

    def _opened_from_ask(self: PapernotesApp, note_id: str) -> None:
        """The reader shows `note_id`, chosen in the ask pane: letters typed in it go on with the conversation."""
        shown = self.main.reader.note
        if shown is not None and shown.id == note_id and self.main.showing_reader:
            self.main.ask_jump = note_id
            self.refresh_bindings()  # its letter keys leave the footer

    # --- opening ----------------------------------------------------------------------------------

    async def open_note(
        self: PapernotesApp,
        key: str,
        citation: Citation | None = None,
        *,
        jump: bool = False,
        scroll_y: float | None = None,
    ) -> None:
        """Show the note `key` (id, path or title), at `citation` if given.

        A `jump` (related note, citation, link) can be undone with Escape; a note opened from the
        library starts a new history.
        """
        if self.collection is None:
            self._pending_open = (key, citation, jump)  # listed from the catalog, still being parsed
            return
        note = self.collection.find(key)
        if note is None:
            self.notify(
                f"There is no note {one_line(key)!r} in the notes folder.",
                severity="warning",
                markup=False,
            )
            return
        here = self.here()
        if here is None:
            self.history.clear()
        elif jump and (here.note_id != note.id or here.answer is not None):
            self.history.jump(here)
        self._wanted = None
        self._show(note, citation, scroll_y=scroll_y)

    def _show(
        self: PapernotesApp, note: Note, citation: Citation | None = None, *, scroll_y: float | None = None
    ) -> None:
        """Header, contents and body changed in one frame, with no garbage collection before it is painted."""
        collector.hold()
        try:
            self.remember_position()
            with self.batch_update():
                self.main.show_note(note, citation, scroll_y=scroll_y)
                self._note_shown(note)
            if citation is None and scroll_y is None:
                self._restore_position(note)
        finally:
            self.call_after_refresh(collector.release)

    def remember_position(self: PapernotesApp) -> None:
        """Remember where the note being read is read (the line at the top of the view), to go back there later."""
        try:
            reader = self.main.reader
        except NoMatches:  # the app is closing
            return
        if reader.note is not None and self.main.showing_reader:
            if self.config.remember_position(self.kb.root, reader.note.id, line_at_top(reader)):
                self.save_config_soon()

    def _restore_position(self: PapernotesApp, note: Note) -> None:
        """Once `note` is drawn, go back to where it was last read."""
        line = self.config.position(self.kb.root, note.id)
        if line is not None:
            self.call_after_refresh(go_to_line, self.main.reader, note.id, line)

    def show_early(self: PapernotesApp, note: Note, ids: list[str]) -> None:
        """Show the last note read while the rest are still being parsed (`ids`: the reading order)."""
        self.main.show_note(note)
        self._restore_position(note)
        position = ids.index(note.id) + 1 if note.id in ids else 0
        self.sub_title = f"{position} / {len(ids)} · {one_line(note.title)}"
        self.main.ask_pane.set_scope_note(note.id, short_title(note))
        self.refresh_bindings()

    def _note_shown(self: PapernotesApp, note: Note) -> None:
        collection = self.collection
        assert collection is not None
        self._gone = None
        if note not in (collection.notes[0], collection.notes[-1]):
            self.untoast("ends")  # "this is the last note" no longer holds
        self.show_position(note)
        self.main.ask_pane.set_scope_note(note.id, short_title(note))
        self.config.remember_note(self.kb.root, note.id)
        self.save_config_soon()
        self._request_related(note.id)
        self.set_timer(PREFETCH_DELAY, lambda: self._prefetch_neighbours(collection, note))
        self.refresh_bindings()

    def follow_shown_note(
        self: PapernotesApp, before: NoteCollection | None, collection: NoteCollection
    ) -> None:
        """After a reload: the note shown is refreshed, followed to its new name, or said deleted (once)."""
        reader = self.main.reader
        shown = reader.note
        if shown is None:
            return
        fresh = next((n for n in collection.notes if n.id == shown.id), None)
        if fresh is None:
            fresh = renamed(shown, before, collection)
            if fresh is not None:
                self._told_changes = self._told_changes | {shown.id, fresh.id}
                self.notify(
                    f"{one_line(shown.rel_path)} is now {one_line(fresh.rel_path)}.",
                    title="Note renamed",
                    markup=False,
                )
        if fresh is None:
            unscoped = self.main.ask_pane.scope_gone(shown.id)
            if self._gone != shown.id:  # once per deletion, however many reloads follow
                self._gone = shown.id
                self._told_changes = self._told_changes | {shown.id}
                self._gone_neighbours = neighbours(shown.id, before)
                scope = " Questions go to all notes again (“Only this note” is off)." if unscoped else ""
                self.notify(
                    f"{one_line(shown.rel_path)} was deleted from the notes folder; "
                    f"n and p go on from where it was.{scope}",
                    title="Note deleted",
                    markup=False,
                )
            if self.main.showing_reader:
                self.show_position(shown)
            return
        self.main.ask_pane.set_scope_note(fresh.id, short_title(fresh))  # renamed or back: the toggle follows
        if fresh.content_hash != shown.content_hash or fresh.id != shown.id:
            reader.show_note(fresh, keep_scroll=True)
            if self.main.showing_reader:
                self._note_shown(fresh)
            return
        reader.note = fresh  # same text: keep the page as it is, but not a figure whose file changed
        reader.document.redraw_changed_figures()
        self._gone = None
        if self.main.showing_reader:
            self.show_position(fresh)

    def show_position(self: PapernotesApp, note: Note) -> None:
        """The header: where the note shown is in the reading order ("3 / 14 · Title")."""
        if self.collection is None:
            return
        ids = [n.id for n in self.collection.notes]
        position = f"{ids.index(note.id) + 1}" if note.id in ids else "–"
        deleted = " (deleted)" if note.id not in ids else ""
        self.sub_title = f"{position} / {len(ids)} · {one_line(note.title)}{deleted}"

    def save_config_soon(self: PapernotesApp) -> None:
        """Remember the state in a moment, in a thread (an fsync per note would slow n and p down)."""
        if not self._config_due:
            self._config_due = True
            self.set_timer(CONFIG_DELAY, self._flush_config)

    def _flush_config(self: PapernotesApp) -> None:
        if self._config_due:
            self._config_due = False
            self._save_config()

    def flush_config_now(self: PapernotesApp) -> None:
        """Save a pending state change at once (on exit)."""
        self.remember_position()
        if self._config_due:
            self._config_due = False
            save_config(self.config)

    # --- stepping, coalesced ------------------------------------------------------------------------

    def step(self: PapernotesApp, step: int) -> None:
        """Move `step` notes along the reading order; repeated keys only show the note they end on."""
        current = self._wanted or self.main.reader.note
        if current is None or self.collection is None:
            return
        notes = self.collection.notes
        ids = [n.id for n in notes]
        if current.id not in ids:  # deleted: go on from where it was
            before, after = self._gone_neighbours if self._gone == current.id else ([], [])
            target = next((i for i in (after if step > 0 else before) if i in ids), None)
            if target is not None:
                self._wanted = notes[ids.index(target)]
                self.call_later(self._show_wanted)
            elif notes:
                where = "after" if step > 0 else "before"
                self.toast("ends", f"There is no note {where} the deleted one.", title="No more notes")
            return
        index = ids.index(current.id) + step
        if index >= len(notes):
            self.toast("ends", f"This is the last note ({len(notes)} / {len(notes)}).", title="End of the notes")
        elif index < 0:
            self.toast("ends", f"This is the first note (1 / {len(notes)}).", title="Start of the notes")
        else:
            pending = self._wanted is not None
            self._wanted = notes[index]
            if not pending:
                collector.hold()  # released once the note stepped to is painted
                self.call_later(
                    self._show_wanted
                )  # runs after the keys already waiting: they only move the target

    def _show_wanted(self: PapernotesApp) -> None:
        note, self._wanted = self._wanted, None
        if note is not None and self.collection is not None and note in self.collection.notes:
            self._show(note)
        else:
            collector.release()

    def _prefetch_neighbours(self: PapernotesApp, collection: NoteCollection, note: Note) -> None:
        """Parse the next and previous notes in a thread, then mount them hidden: n and p only toggle."""
        if note not in collection.notes or not self._still_on(note):
            return  # moved on (n repeating): a newer timer prefetches for the note stepped to
        index = collection.notes.index(note)
        around = [
            collection.notes[i] for i in (index + 1, index - 1) if 0 <= i < len(collection.notes)
        ]
        self._parse_ahead([n.markdown for n in around], lambda: self._mount_ahead(note, around))

    def _still_on(self: PapernotesApp, note: Note) -> bool:
        try:
            shown = self.main.reader.note
        except NoMatches:  # the app is closing
            return False
        return self._wanted is None and self.main.showing_reader and shown is not None and shown.id == note.id

    def _mount_ahead(self: PapernotesApp, note: Note, around: list[Note]) -> Callable[[], None] | None:
        """Mount the neighbours hidden; returns their first lines' rendering, for the thread to do."""
        return self.main.reader.prefetch(around) if self._still_on(note) else None

    def home(self: PapernotesApp) -> None:
        """Back to the library (the trail of jumps is forgotten)."""
        self._wanted = None
        self.history.clear()
        self.remember_position()
        self.main.show_library()
        self.sub_title = "Library"
        self.refresh_bindings()


def renamed(note: Note, before: NoteCollection | None, now: NoteCollection) -> Note | None:
    """The note `note` became when its file was renamed: the one new note with its content."""
    old_ids = {n.id for n in before.notes} if before is not None else set()
    same = [n for n in now.notes if n.content_hash == note.content_hash and n.id not in old_ids]
    return same[0] if len(same) == 1 else None


def neighbours(note_id: str, collection: NoteCollection | None) -> tuple[list[str], list[str]]:
    """The ids before `note_id` (nearest first) and after it in `collection`'s reading order."""
    ids = [n.id for n in collection.notes] if collection is not None else []
    if note_id not in ids:
        return [], []
    at = ids.index(note_id)
    return ids[:at][::-1], ids[at + 1 :]
