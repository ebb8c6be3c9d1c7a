"""Pilot tests: keys typed in one burst behind a key that moves the focus (open a note, next note) go where the focus moved."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.pilot import Pilot

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import listed, running, settle
from tests.tui.test_burst_keys import send
from tui.app import PapernotesApp

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


def typed_keys(app: PapernotesApp, *texts: str) -> None:
    """`texts` in the app's queue as a terminal sends them (tmux `send-keys "/xyzw"`), before any key is handled:
    read by Textual's own parser ("/" is `slash`, "\x01" `ctrl+a`, "\x7f" `backspace`), each text on its own (a
    lone "\x1b" is Escape, not the start of the next key)."""
    for text in texts:
        parser = XTermParser(False)
        for event in [*parser.feed(text), *parser.feed("")]:
            assert isinstance(event, events.Key)
            app.post_message(event)


async def open_with_filter(app: PapernotesApp, pilot: Pilot, filter_text: str, note: str) -> None:
    """The library filtered by `filter_text`, then `note` opened in the reader."""
    await pilot.press(*filter_text)
    await settle(app, pilot)
    await app.open_note(note)
    await settle(app, pilot)
    assert app.main.showing_reader and app.main.library.filter_text == filter_text


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_word_typed_after_slash_in_the_reader_is_a_new_filter(kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async with running(kb, size=size) as (app, pilot):
        await open_with_filter(app, pilot, "alp", "alpha")
        typed_keys(app, "/beta")  # `a` asks in the reader, and b, e, t are nothing there
        await settle(app, pilot)
        assert not app.main.showing_reader and not app.main.asking
        assert app.focused is app.main.library.query_one("#filter") and app.main.library.filter_text == "beta"
        assert listed(app)[0] == "beta"


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_word_typed_after_h_in_the_reader_filters_the_library(kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async with running(kb, size=size) as (app, pilot):
        await open_with_filter(app, pilot, "alp", "alpha")
        typed_keys(app, "hbetar")  # in the reader a asks, r reindexes
        await settle(app, pilot)
        assert not app.main.showing_reader and not app.main.asking and not app.state.building
        assert app.main.library.filter_text == "betar" and app.main.ask_pane.question_box.value == ""
        typed_keys(app, "\x7f")  # Backspace: the word typed is edited, not replaced
        await settle(app, pilot)
        assert app.main.library.filter_text == "beta" and listed(app)[0] == "beta"


async def test_letters_typed_in_the_library_list_go_on_with_the_filter(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press(*"al")
        app.main.set_focus(app.main.library.query_one("#notes"))
        await settle(app, pilot)
        typed_keys(app, "ph")
        await settle(app, pilot)
        typed_keys(app, "a")  # after a pause: still added to what is typed, not typed over it
        await settle(app, pilot)
        assert app.main.library.filter_text == "alpha" and app.focused is app.main.library.query_one("#filter")


async def test_p_and_n_typed_in_the_filter_are_letters(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        typed_keys(app, "np")
        await settle(app, pilot)
        typed_keys(app, "pn")
        await settle(app, pilot)
        assert app.main.library.filter_text == "nppn" and not app.main.showing_reader


async def test_ctrl_a_then_escape_then_typing_filters_the_library(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        typed_keys(app, "\x01", "\x1b", "beta")
        await settle(app, pilot)
        assert not app.main.asking and app.main.ask_pane.question_box.value == ""
        assert app.main.library.filter_text == "beta"


async def test_ctrl_a_then_escape_in_the_reader_then_letters_are_reader_keys(kb: KnowledgeBase) -> None:
    async with running(kb, note="alpha") as (app, pilot):
        typed_keys(app, "\x01", "\x1b", "n")
        await settle(app, pilot)
        assert not app.main.asking and app.main.ask_pane.question_box.value == ""
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


async def test_a_word_typed_as_the_app_starts_filters_the_library(kb: KnowledgeBase) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        typed_keys(app, "betar", "\x7f")  # before the notes are listed: r would reindex, a ask
        await settle(app, pilot)
        assert app.main.library.filter_text == "beta" and not app.main.asking and not app.state.building
        assert listed(app)[0] == "beta"
