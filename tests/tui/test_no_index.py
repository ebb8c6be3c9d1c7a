"""Pilot tests: a launch on a folder with no index or a damaged one (the build offer, questions asked before there is an index)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from indexer.knowledge import KnowledgeBase
from indexer.store import BuildProgress, BuildReport
from indexer.store.database import DB_NAME
from tests.tui.pilot_kit import until
from tests.tui.test_app import SIZE, settle
from tests.tui.test_input import typed
from tui.app import PapernotesApp
from tui.screens.build_offer import BuildOffer
from tui.widgets.ask_pane import Thinking

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


async def test_a_question_asked_over_the_no_index_offer_is_answered_once_the_index_is_built(
    fresh_notes: Path,
) -> None:
    app = PapernotesApp(KnowledgeBase(fresh_notes), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, BuildOffer)
        await pilot.press("ctrl+a", *typed("how fast is alphanet"), "enter")  # ask from anywhere
        await settle(app, pilot)
        assert app.screen is app.main and app.main.asking
        pane = app.main.ask_pane
        assert len(pane.turns) == 1 and pane.turns[0].has_class("-error")
        said = str(pane.turns[0].query_one(".answer").render())
        assert "no index yet" in said and "asked again once it is built" in said
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert len(pane.turns) == 2
        again = pane.turns[1]
        assert again.question == "how fast is alphanet" and again.answer is not None
        assert "142 frames per second" in (again.answer.text or "")
        updated = [n.message for n in app._notifications if n.title == "Index updated"]
        assert len(updated) == 1 and "how fast is alphanet" in updated[0]
        await pilot.press("ctrl+r")  # another build asks nothing again
        await settle(app, pilot)
        assert len(pane.turns) == 2


async def test_an_empty_folder_offers_no_build(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    app = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen is app.main and not app.state.building
        notes = app.main.query_one("#notes", OptionList)
        assert notes.option_count == 1 and "No notes in this folder yet" in str(notes.get_option_at_index(0).prompt)
        assert not [n for n in app._notifications if n.title == "No index yet"]


async def test_a_notes_folder_gone_while_running_is_said_so(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "alpha.md").write_text("# Alpha\n\nAlpha is a note.\n", encoding="utf-8")
    app = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        (folder / "alpha.md").unlink()
        folder.rmdir()
        app._load_notes()
        await settle(app, pilot)
        titles = [n.title for n in app._notifications]
        assert "Notes folder not found" in titles and "Broken note" not in titles


async def test_a_damaged_index_is_offered_a_rebuild_at_start_and_ctrl_r_mends_it(notes_copy: Path, kb: KnowledgeBase) -> None:
    gen = max((notes_copy / ".papernotes").glob("gen-*"))
    (gen / "vectors.faiss").write_bytes(b"\x00" * 100)  # a disk that lost the file's blocks
    app = PapernotesApp(KnowledgeBase(notes_copy), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, BuildOffer) and app.screen.title_text == "Index needs a rebuild"
        assert "vectors.faiss" in app.screen.message
        await pilot.press("escape")  # not now: a question says what is wrong and what mends it, in the app's words
        await pilot.pause()
        await pilot.press("ctrl+a", *typed("how fast is alphanet"), "enter")
        await settle(app, pilot)
        turn = app.main.ask_pane.turns[-1]
        said = str(turn.query_one(".answer").render())
        assert "damaged" in said and "ctrl+r" in said and "Error in" not in said and "papernotes index" not in said
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert KnowledgeBase(notes_copy).status().problem is None
        await pilot.press("ctrl+a", *typed("how fast is alphanet"), "enter")
        await settle(app, pilot)
        again = app.main.ask_pane.turns[-1]
        assert again.answer is not None and "142 frames per second" in (again.answer.text or "")


class GatedBuild(KnowledgeBase):
    """A knowledge base whose builds stop once every text is embedded (the database written, no generation
    committed yet) until `gate` is set: a first build still running when the question comes."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.gate = threading.Event()
        self.embedded = threading.Event()

    def build(self, *, progress: BuildProgress | None = None, **options: Any) -> BuildReport:  # type: ignore[override]
        def gated(stage: str, done: int, total: int) -> None:
            if progress is not None:
                progress(stage, done, total)
            if stage == "embedding sentences" and done == total:
                self.embedded.set()
                self.gate.wait(60)

        return super().build(progress=gated, **options)


async def test_a_question_asked_during_the_first_build_is_answered_when_it_ends(fresh_notes: Path) -> None:
    kb = GatedBuild(fresh_notes)
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: isinstance(app.screen, BuildOffer))
        await pilot.press("enter")  # the offer's Build index
        assert await until(pilot, lambda: kb.embedded.is_set())
        assert (kb.index_folder / DB_NAME).exists()  # written, with no index in it yet
        await pilot.press("ctrl+a", *typed("how fast is alphanet"), "enter")
        pane = app.main.ask_pane
        thinking = pane.query_one(Thinking)
        said = "The index is being built (embedding sentences: 100%): your question is answered as soon as it is ready"
        assert await until(pilot, lambda: said in str(thinking.render()))
        assert len(pane.turns) == 1 and pane.turns[0].pending
        kb.gate.set()
        await settle(app, pilot)
        assert await until(pilot, lambda: not pane.turns[0].pending)
        assert len(pane.turns) == 1
        answer = pane.turns[0].answer
        assert answer is not None and "142 frames per second" in (answer.text or "")


async def test_a_question_asked_while_a_cancelled_first_build_stops_is_asked_again_by_the_next(fresh_notes: Path) -> None:
    kb = GatedBuild(fresh_notes)
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: isinstance(app.screen, BuildOffer))
        await pilot.press("enter")
        assert await until(pilot, lambda: kb.embedded.is_set())
        await pilot.press("ctrl+a", *typed("how fast is alphanet"), "enter")
        await pilot.press("ctrl+r")  # cancels the build: its database holds vectors, no index
        kb.gate.set()
        await settle(app, pilot)
        pane = app.main.ask_pane
        assert await until(pilot, lambda: not pane.turns[0].pending)
        said = str(pane.turns[0].query_one(".answer").render())
        assert "no index yet" in said and "asked again once it is built" in said
        kb.gate = threading.Event()
        kb.gate.set()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert await until(pilot, lambda: len(pane.turns) == 2 and not pane.turns[1].pending)
        answer = pane.turns[1].answer
        assert answer is not None and "142 frames per second" in (answer.text or "")
