"""The app follows the notes folder: position, counts and the open note stay true as files are added, deleted, renamed."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input
from textual.worker import WorkerCancelled

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import until
from tests.tui.test_app import listed, status_text
from tui.app import PapernotesApp
from tui.messages import AskQuestion
from tui.widgets.conversation import Turn

SIZE = (120, 40)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Image.Image.getdata is deprecated:DeprecationWarning"
)

NEW_NOTE = """\
---
title: "Aardvark: The First Note"
year: 2019
order: 0
---

# Aardvark

Aardvark sorts before every other note.
"""


class RecordingApp(PapernotesApp):
    """The app, keeping every toast it shows (shown toasts expire after a few seconds)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb, watch=True)
        self.toasts: list[str] = []
        self.toast_texts: list[str] = []
        self.told: list[str] = []
        """Titles of every `toast` the app gave (one that repeats the text on screen shows no new notification)."""

    def toast(self, kind: str, message: str, *, title: str, timeout: float | None = None) -> None:
        self.told.append(title)
        super().toast(kind, message, title=title, timeout=timeout)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.toasts.append(title)
        self.toast_texts.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


class CountingBuilds(KnowledgeBase):
    begun = 0
    """Builds begun: each with the notes as they were read just before (a test changes them again only then)."""

    def build(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.begun += 1
        return super().build(*args, **kwargs)


def toasts(app: RecordingApp, title: str) -> int:
    return app.toasts.count(title)


async def settle(app: PapernotesApp, pilot: Pilot) -> None:
    """Let every worker but the watcher (it runs until the app exits) finish."""
    for _ in range(3):
        busy = [w for w in app.workers if w.group != "watch"]
        if busy:  # (an empty list would mean every worker)
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(busy)
        await pilot.pause()


async def started(app: PapernotesApp, pilot: Pilot) -> None:
    assert await until(pilot, lambda: app.state.model == "ready" and bool(listed(app)))
    await settle(app, pilot)
    await pilot.pause(0.5)  # let the watcher start


@contextlib.asynccontextmanager
async def watching(
    notes: Path, note_id: str | None = None, kb: KnowledgeBase | None = None
) -> AsyncIterator[tuple[RecordingApp, Pilot]]:
    """A RecordingApp on `notes` (or `kb`) under a Pilot, started, with `note_id` (if given) open in the reader and settled."""
    app = RecordingApp(kb or KnowledgeBase(notes))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        if note_id is not None:
            await app.open_note(note_id)
            await settle(app, pilot)
        yield app, pilot


async def test_position_and_counts_follow_an_added_note(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        assert app.sub_title.startswith("2 / 4 · BetaFormer")
        (notes_copy / "aardvark.md").write_text(NEW_NOTE, encoding="utf-8")
        assert await until(pilot, lambda: app.sub_title.startswith("3 / 5 · BetaFormer"))
        assert listed(app)[0] == "aardvark" and "5 notes" in status_text(app)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


async def test_deleting_the_open_note_says_so_once_and_n_p_go_on(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        (notes_copy / "beta.md").unlink()
        assert await until(pilot, lambda: toasts(app, "Note deleted") > 0)
        # the index update that follows reloads the notes again: still one toast, and none for the index
        assert await until(pilot, lambda: "index up to date" in status_text(app) and not app.state.building)
        await settle(app, pilot)
        assert toasts(app, "Note deleted") == 1 and toasts(app, "Index updated") == 0
        assert app.sub_title.startswith("– / 3 · BetaFormer") and "(deleted)" in app.sub_title
        assert "3 notes" in status_text(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "gamma"
        assert app.sub_title.startswith("2 / 3 · GammaDepth")
        await pilot.press("p")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "alpha"
        assert toasts(app, "Note deleted") == 1


async def test_deleted_then_p_from_the_deleted_note(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "gamma") as (app, pilot):
        (notes_copy / "gamma.md").unlink()
        assert await until(pilot, lambda: "(deleted)" in app.sub_title)
        await pilot.press("p")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


async def test_a_renamed_note_stays_open_under_its_new_name(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        (notes_copy / "beta.md").rename(notes_copy / "betaformer.md")
        assert await until(pilot, lambda: toasts(app, "Note renamed") > 0)
        reader = app.main.reader
        assert reader.note is not None and reader.note.id == "betaformer"
        assert app.sub_title.startswith("2 / 4 · BetaFormer") and "(deleted)" not in app.sub_title
        assert await until(pilot, lambda: "index up to date" in status_text(app) and not app.state.building)
        await settle(app, pilot)
        assert toasts(app, "Note renamed") == 1 and toasts(app, "Note deleted") == 0 and toasts(app, "Index updated") == 0


async def test_a_note_added_on_disk_is_named_in_the_index_toast(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        (notes_copy / "aardvark.md").write_text(NEW_NOTE, encoding="utf-8")
        assert await until(pilot, lambda: toasts(app, "Index updated") > 0)
        said = app.toast_texts[app.toasts.index("Index updated")]
        assert said.startswith("Added Aardvark.\n") and "1 added" in said  # by its short name, then the counts


async def test_a_note_deleted_while_a_build_waits_does_not_stay_in_the_index(notes_copy: Path, kb: KnowledgeBase) -> None:
    """The build read the notes before the deletion; when it ends, the app shows the notes on disk and updates again."""
    from indexer.store.lock import write_lock

    counting = CountingBuilds(notes_copy)
    async with watching(notes_copy, kb=counting) as (app, pilot):
        with write_lock(app.kb.index_folder):  # another indexer: the app's build waits for it (up to INDEX_WAIT)
            (notes_copy / "aardvark.md").write_text(NEW_NOTE, encoding="utf-8")
            assert await until(pilot, lambda: app.state.building and counting.begun == 1)  # it read the notes
            (notes_copy / "aardvark.md").unlink()
            assert await until(pilot, lambda: "aardvark" not in listed(app))
        assert await until(pilot, lambda: toasts(app, "Index updated") > 0)
        assert await until(pilot, lambda: not app.state.building and "aardvark" not in listed(app), seconds=60)
        await settle(app, pilot)
        assert "aardvark" not in listed(app) and "4 notes" in status_text(app)
        assert KnowledgeBase(notes_copy).status().up_to_date


async def test_a_question_asked_during_an_update_is_answered_from_the_last_index(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    """While a build runs (held here by another indexer's write lock), the previous index answers at once, saying so."""
    from textual.widgets import Input

    from indexer.store.lock import write_lock
    from tui.widgets.ask_pane import AskPane

    async with watching(notes_copy) as (app, pilot):
        with write_lock(app.kb.index_folder):  # the app's build waits for it (up to INDEX_WAIT)
            (notes_copy / "aardvark.md").write_text(NEW_NOTE, encoding="utf-8")
            assert await until(pilot, lambda: app.state.building)
            app.action_ask()
            await pilot.pause()
            box = app.main.query_one("#question", Input)
            assert app.focused is box
            box.value = "How fast is AlphaNet?"
            await pilot.press("enter")
            pane = app.main.query_one(AskPane)
            assert await until(pilot, lambda: bool(pane.turns))
            turn = pane.turns[-1]
            assert await until(pilot, lambda: not turn.pending)
            assert app.state.building  # answered while the build still waits
            assert turn.has_class("-answered") and turn.answer is not None
            assert "142 frames per second" in (turn.answer.text or "")
            note = turn.query(".answer-note")
            assert len(note) == 1 and "being updated" in str(note.first().render())
        assert await until(pilot, lambda: not app.state.building, seconds=60)
        await settle(app, pilot)


async def asked(app: PapernotesApp, pilot: Pilot, question: str) -> Turn:
    """`question` typed in the ask pane and answered (the pane opened if it is not)."""
    app.main.open_ask()
    await pilot.pause()
    box = app.main.query_one("#question", Input)
    assert app.focused is box
    box.value = question
    await pilot.press("enter")
    pane = app.main.ask_pane
    assert await until(pilot, lambda: bool(pane.turns) and not pane.turns[-1].pending)
    return pane.turns[-1]


async def test_deleting_the_open_note_unticks_only_this_note(notes_copy: Path, kb: KnowledgeBase) -> None:
    """The scope toggle is cleared and disabled, said in the one deletion toast; questions then go to all notes."""
    async with watching(notes_copy, "beta") as (app, pilot):
        await pilot.press("a", "ctrl+t")
        box = app.main.query_one("#scope", Checkbox)
        assert box.value and app.main.ask_pane.scoped
        (notes_copy / "beta.md").unlink()
        assert await until(pilot, lambda: toasts(app, "Note deleted") > 0)
        assert not box.value and box.disabled and not app.main.ask_pane.scoped
        said = [text for text in app.toast_texts if "beta.md was deleted" in text]
        assert len(said) == 1 and "Only this note" in said[0]
        await pilot.press("ctrl+t")  # disabled: stays off
        assert not box.value
        # A question sent scoped just before the reload (the stale index still has beta) is asked of all notes.
        app.main.ask_pane.post_message(AskQuestion("How fast is AlphaNet?", "beta"))
        pane = app.main.ask_pane
        assert await until(pilot, lambda: bool(pane.turns) and not pane.turns[-1].pending)
        stale = pane.turns[-1]
        assert stale.scope_title is None and stale.answer is not None and not stale.answer.refused
        assert {c.note for c in stale.answer.citations} >= {"alpha"}
        turn = await asked(app, pilot, "How fast is AlphaNet?")
        assert turn.scope_title is None and turn.answer is not None
        assert "142 frames per second" in (turn.answer.text or "")
        await settle(app, pilot)
        assert toasts(app, "Note deleted") == 1 and not box.value


async def test_only_this_note_follows_a_rename(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        await pilot.press("a", "ctrl+t")
        app.home()  # in the library, the toggle still refers to the note last read
        (notes_copy / "beta.md").rename(notes_copy / "betaformer.md")
        assert await until(pilot, lambda: toasts(app, "Note renamed") > 0)
        pane = app.main.ask_pane
        assert pane.scoped and pane.scope_note == "betaformer"
        # (no settle: the hidden reader's fill worker waits for a width until the reader is shown)
        assert await until(pilot, lambda: "index up to date" in status_text(app) and not app.state.building)
        assert pane.scoped and pane.scope_note == "betaformer"


async def test_a_burst_of_saves_leaves_one_index_toast(notes_copy: Path, kb: KnowledgeBase) -> None:
    """Saved again while the first update runs (held here by another indexer's lock): two builds, one toast on screen."""
    from indexer.store.lock import write_lock

    beta = notes_copy / "beta.md"
    text = beta.read_text(encoding="utf-8")
    counting = CountingBuilds(notes_copy)
    async with watching(notes_copy, "beta", kb=counting) as (app, pilot):
        with write_lock(app.kb.index_folder):
            beta.write_text(text + "\nBetaFormer was revised once.\n", encoding="utf-8")
            # The update has read the notes (and waits for the lock): saved again only now, else (a loaded
            # machine, the update's thread slow to start) it reads the second save and one build does both.
            assert await until(pilot, lambda: app.state.building and counting.begun == 1)
            beta.write_text(text + "\nBetaFormer was revised twice.\n", encoding="utf-8")
            assert await until(pilot, lambda: app._disk_changed_in_build)
        # Two updates, each telling its outcome; the second one's text can equal the first's to the tenth
        # of a second (a loaded machine), and a toast repeating the one on screen isn't stacked: count
        # what the app told, then what is on screen.
        assert await until(pilot, lambda: app.told.count("Index updated") == 2, seconds=60)
        await settle(app, pilot)
        shown = [n.message for n in app._notifications if n.title == "Index updated"]
        assert len(shown) == 1 and "1 updated" in shown[0]
        assert KnowledgeBase(notes_copy).status().up_to_date


async def test_ctrl_r_during_the_automatic_update_keeps_it_going(notes_copy: Path, kb: KnowledgeBase) -> None:
    """The user asks for what the watcher already does: the update goes on (and says how it ends); a second ctrl+r cancels."""
    from indexer.store.lock import write_lock

    beta = notes_copy / "beta.md"
    text = beta.read_text(encoding="utf-8")
    async with watching(notes_copy, "alpha") as (app, pilot):
        with write_lock(app.kb.index_folder):  # the automatic update waits for it (up to INDEX_WAIT)
            beta.write_text(text + "\nBetaFormer was revised.\n", encoding="utf-8")
            assert await until(pilot, lambda: app.state.building)
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert app.state.building and app._build_cancel is not None and not app._build_cancel.is_set()
        assert await until(pilot, lambda: toasts(app, "Index updated") > 0, seconds=60)
        await settle(app, pilot)
        assert KnowledgeBase(notes_copy).status().up_to_date and toasts(app, "Cancelled") == 0
        with write_lock(app.kb.index_folder):
            beta.write_text(text + "\nBetaFormer was revised again.\n", encoding="utf-8")
            assert await until(pilot, lambda: app.state.building)
            await pilot.press("ctrl+r", "ctrl+r")  # the second press cancels
            await pilot.pause()
            assert app._build_cancel is not None and app._build_cancel.is_set()
        assert await until(pilot, lambda: toasts(app, "Cancelled") == 1, seconds=60)
        await settle(app, pilot)


async def test_the_open_note_changed_behind_the_library_fills_when_shown_again(notes_copy: Path, kb: KnowledgeBase) -> None:
    """Edited while the library shows: no filling worker waits on the hidden reader (it woke 50 times a second and
    held `wait_for_complete`), and the note is rendered in full once the reader is back."""
    from textual.worker import WorkerState

    from tui.widgets.document import NoteDocument

    beta = notes_copy / "beta.md"
    async with watching(notes_copy, "beta") as (app, pilot):
        app.action_home()
        await pilot.pause()
        beta.write_text(beta.read_text(encoding="utf-8") + "\nBetaFormer was revised behind the library.\n", encoding="utf-8")
        assert await until(pilot, lambda: toasts(app, "Index updated") > 0, seconds=60)
        await pilot.pause(0.3)
        filling = [w for w in app.workers if w.group == "fill" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        assert not filling
        await app.open_note("beta")
        await settle(app, pilot)
        document = app.main.query_one(NoteDocument)
        assert document.model is not None and document.model.width > 0 and not document.model.pending(0)
        assert "revised behind the library" in document.model.note.text


async def test_this_paper_after_the_open_note_was_deleted_is_not_asked_of_another(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    """"who wrote this paper" with the note being read (and asked about) deleted: said so, never another paper's authors."""
    async with watching(notes_copy, "beta") as (app, pilot):
        await pilot.press("a", "ctrl+t")
        (notes_copy / "beta.md").unlink()
        assert await until(pilot, lambda: toasts(app, "Note deleted") > 0)
        assert await until(pilot, lambda: "index up to date" in status_text(app) and not app.state.building)
        turn = await asked(app, pilot, "who wrote this paper")
        assert turn.answer is not None and turn.answer.refused and not turn.answer.citations
        assert turn.answer.reason == "The note you were reading (BetaFormer) was deleted."
        assert "BetaFormer) was deleted" in str(turn.query_one(".answer").render())
        # A question about a paper by name still goes to all notes.
        named = await asked(app, pilot, "How fast is AlphaNet?")
        assert named.answer is not None and "142 frames per second" in (named.answer.text or "")


async def test_a_citation_to_a_note_renamed_since_opens_the_renamed_note(notes_copy: Path, kb: KnowledgeBase) -> None:
    from tui.widgets.conversation import CitationList

    async with watching(notes_copy) as (app, pilot):
        turn = await asked(app, pilot, "How fast is AlphaNet?")
        assert turn.answer is not None and turn.answer.citations[0].note == "alpha"
        (notes_copy / "alpha.md").rename(notes_copy / "alphanet.md")
        assert await until(pilot, lambda: app.collection is not None and app.collection.find("alphanet") is not None)
        await settle(app, pilot)
        await pilot.press("up")  # from the question box to the citations, made before the rename
        assert app.focused is turn.query_one(CitationList)
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.main.reader
        assert app.main.showing_reader and reader.note is not None and reader.note.id == "alphanet"
        assert reader.document.cited, "the cited passage is marked in the renamed note"
        said = app.toast_texts[app.toasts.index("Cited passage [1]")]
        assert "alphanet.md" in said and "alpha.md is now alphanet.md" in said


async def test_a_citation_to_a_note_deleted_since_says_it_is_gone(notes_copy: Path, kb: KnowledgeBase) -> None:
    async with watching(notes_copy, "beta") as (app, pilot):
        turn = await asked(app, pilot, "How fast is AlphaNet?")
        assert turn.answer is not None and turn.answer.citations[0].note == "alpha"
        (notes_copy / "alpha.md").unlink()
        assert await until(pilot, lambda: app.collection is not None and app.collection.find("alpha") is None)
        await settle(app, pilot)
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"  # nothing else opened
        said = app.toast_texts[app.toasts.index("Cited note gone")]
        assert "alpha.md" in said and "no longer in the notes folder" in said
