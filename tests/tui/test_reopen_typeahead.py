"""Keys typed while the app starts go to the note it reopens (where the user was last time), not to the library shown until that note is read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import SIZE, settle
from tui import typeahead
from tui.app import PapernotesApp
from tui.config import load_config, save_config
from tui.widgets.ask_pane import AskPane


class SlowToReadTheNote(PapernotesApp):
    """The app on a loaded machine: reading the note to reopen takes a while (the first frame is drawn before it)."""

    def _list_from_catalog(self):  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        return super()._list_from_catalog()


def last_read(notes: Path, note_id: str | None) -> None:
    """The app last closed on `note_id` in `notes` (None: on the library)."""
    config = load_config()
    config.remember_note(notes, note_id)
    save_config(config)


async def test_a_question_typed_at_launch_is_asked_from_the_note_the_app_reopens(kb: KnowledgeBase) -> None:
    last_read(kb.root, "beta")
    typeahead.keep("ahow fast is BetaFormer\r")  # typed before Textual read the terminal
    app = SlowToReadTheNote(KnowledgeBase(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.main.library.filter_text == ""
        reader = app.main.reader
        assert app.main.showing_reader and reader.note is not None and reader.note.id == "beta"
        turn = app.main.query_one(AskPane).turns[-1]
        assert turn.question == "how fast is BetaFormer"
        assert turn.answer is not None and "12 frames per second" in (turn.answer.text or "")


async def test_keys_typed_at_launch_without_a_note_to_reopen_filter_the_library(kb: KnowledgeBase) -> None:
    last_read(kb.root, None)
    typeahead.keep("beta")
    app = SlowToReadTheNote(KnowledgeBase(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.main.library.filter_text == "beta"
        assert not app.main.showing_reader


async def test_a_note_that_is_gone_is_not_waited_for(kb: KnowledgeBase) -> None:
    last_read(kb.root, "deleted-since")
    typeahead.keep("gamma")
    app = SlowToReadTheNote(KnowledgeBase(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        if app.main.first_notes is None:
            pytest.skip("the catalog was not read in time for the first frame (a loaded machine): nothing tells the note is gone")
        await pilot.pause(0.2)  # before the notes are read, well before the reopen's bound (REOPEN_WAIT)
        assert app.main.library.filter_text == "gamma"
        assert not app.main.showing_reader
