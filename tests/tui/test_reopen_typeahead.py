"""Keys typed while the app starts go to the note it reopens (where the user was last time), not to the library shown until that note is read."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import tui.app
from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import SIZE, settle, until
from tui import typeahead
from tui.app import PapernotesApp
from tui.config import load_config, save_config
from tui.widgets.ask_pane import AskPane


class SlowToReadTheNote(PapernotesApp):
    """The app on a loaded machine: reading the note to reopen takes a while (the first frame is drawn before it)."""

    def _list_from_catalog(self):  # type: ignore[no-untyped-def]
        time.sleep(0.4)
        return super()._list_from_catalog()


class NoteReadHeld(PapernotesApp):
    """The app with its reading of the notes (the note to reopen first) held until the test lets it go (bounded:
    longer than the test waits for the keys, so that keys waiting for the note are never let through by it)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb, watch=False)
        self.let_read = threading.Event()

    def _list_from_catalog(self):  # type: ignore[no-untyped-def]
        self.let_read.wait(300)
        return super()._list_from_catalog()


def last_read(notes: Path, note_id: str | None) -> None:
    """The app last closed on `note_id` in `notes` (None: on the library)."""
    config = load_config()
    config.remember_note(notes, note_id)
    save_config(config)


async def test_a_question_typed_at_launch_is_asked_from_the_note_the_app_reopens(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    # The keys wait for the note at most REOPEN_WAIT: a loaded machine can take longer than 2 s to read it (0.4 s
    # of it slept here), and this is about the keys going to the note once it is read, not about that bound.
    monkeypatch.setattr(tui.app, "REOPEN_WAIT", 60)
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


async def test_a_note_that_is_gone_is_not_waited_for(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.app, "REOPEN_WAIT", 600)  # keys waiting for the note would wait while its read is held
    last_read(kb.root, "deleted-since")
    typeahead.keep("gamma")
    app = NoteReadHeld(KnowledgeBase(kb.root))
    # The catalog read for the first frame (what tells the note is gone): read in ~0.03 s, longer on a loaded machine.
    assert app.quick_list.wait(60) is not None
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert app.main.first_notes is not None
            # while the notes are not read yet (held): the keys went to the library, not waiting for the note
            assert await until(pilot, lambda: app.main.library.filter_text == "gamma", seconds=60)
            assert not app.main.showing_reader
            app.let_read.set()
            await settle(app, pilot)
            assert app.main.library.filter_text == "gamma" and not app.main.showing_reader
    finally:
        app.let_read.set()
