"""Pilot tests: keys typed in one burst behind a key that moves the focus (open a note, next note) go where the focus moved."""

from __future__ import annotations

import pytest

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import running, settle
from tests.tui.test_burst_keys import send

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


async def test_open_from_the_filter_then_ask_in_one_burst(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await settle(app, pilot)
        await pilot.press(*"beta")
        await settle(app, pilot)
        send(app, "enter", "a", "what is beta", "enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"
        assert [t.question for t in app.main.ask_pane.turns] == ["what is beta"]
        assert app.main.library.filter_text == "beta"


async def test_next_note_then_ask_in_one_burst(kb: KnowledgeBase) -> None:
    async with running(kb, note="alpha") as (app, pilot):
        await settle(app, pilot)
        first = app.main.reader.note
        assert first is not None
        send(app, "n", "a", "who", "enter")
        await settle(app, pilot)
        shown = app.main.reader.note
        assert shown is not None and shown.id != first.id
        assert [t.question for t in app.main.ask_pane.turns] == ["who"]


async def test_ordinary_typing_is_not_held(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await settle(app, pilot)
        send(app, "alp")
        await settle(app, pilot)
        assert app.main.library.filter_text == "alp" and not app.type_ahead.holding
