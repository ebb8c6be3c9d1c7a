"""Pilot tests: keys are never lost or misrouted (typed before focus settles, q with a draft, typing in the list)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from indexer.knowledge import KnowledgeBase
from indexer.notemodel import NoteCollection
from indexer.store import IndexStatus
from tests.tui.pilot_kit import SIZE, listed, running, settle, until
from tui.app import PapernotesApp
from tui.screens.build_offer import BuildOffer
from tui.screens.confirm import ConfirmQuit
from tui.widgets.library import NoteList

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


def queue_keys(app: PapernotesApp, *keys: str) -> None:
    """Put every key in the app's queue before any is handled (a fast typist, or a busy app)."""
    for key in keys:
        character = {"space": " ", "ctrl+a": "\x01"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def read_alpha(app: PapernotesApp, pilot: Pilot) -> None:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.main.showing_reader and app.main.reader.note is not None


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_keys_typed_right_after_a_all_land_in_the_question_box(kb: KnowledgeBase, size: tuple[int, int]) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=size) as pilot:
        await read_alpha(app, pilot)
        queue_keys(app, "a", *typed("quick how is it running"))  # q quits, h goes home, r reindexes
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        box = app.main.query_one("#question", Input)
        assert app.focused is box and box.value == "quick how is it running"
        assert app.main.showing_reader and not app.state.building


async def test_ctrl_a_asks_from_the_filter_and_keeps_every_key(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        queue_keys(app, "ctrl+a", *typed("quit"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.main.library.filter_text == ""
        assert app.main.query_one("#question", Input).value == "quit"


async def test_a_question_typed_while_the_model_loads_starts_nothing(kb: KnowledgeBase) -> None:
    gate = threading.Event()

    class SlowModel(KnowledgeBase):
        def encoder(self):  # type: ignore[override]
            gate.wait(30)
            return kb.encoder()

    app = PapernotesApp(SlowModel(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: bool(listed(app)))
        await app.open_note("alpha")  # opened once the notes are parsed (listed first, from the catalog)
        reader = app.main.reader
        assert await until(pilot, lambda: app.main.showing_reader and reader.note is not None and reader.note.id == "alpha")
        assert app.state.model == "loading"
        queue_keys(app, "a", *typed("are results reproducible"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and not app.state.building
        assert app.main.query_one("#question", Input).value == "are results reproducible"
        gate.set()
        await settle(app, pilot)


async def test_q_with_a_half_typed_question_asks_first(kb: KnowledgeBase) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_alpha(app, pilot)
        await pilot.press("a", *typed("how fast"))
        await pilot.press("escape")  # the pane closes, the draft stays; the reader has the keys again
        assert not app.main.asking and not isinstance(app.focused, Input)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit) and app.is_running
        assert "how fast" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is app.main and app.is_running
        assert app.main.query_one("#question", Input).value == "how fast"
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_with_a_draft_asks_first_and_twice_quits(kb: KnowledgeBase) -> None:
    """In the question box the footer offers only ctrl+q: with a half-typed question it asks, like q."""
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_alpha(app, pilot)
        await pilot.press("a", *typed("how does q"), "ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmQuit)
        assert "how does q" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("escape")  # stay: the draft is still there, the cursor in it
        await pilot.pause()
        box = app.main.query_one("#question", Input)
        assert app.screen is app.main and box.value == "how does q" and app.focused is box
        await pilot.press("ctrl+q", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_q_and_ctrl_q_without_a_draft_quit_at_once(kb: KnowledgeBase) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_alpha(app, pilot)
        await pilot.press("a", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    again = PapernotesApp(kb, watch=False)
    async with again.run_test(size=SIZE) as pilot:
        await read_alpha(again, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not again.is_running


async def test_ctrl_q_quits_from_the_reader_too(kb: KnowledgeBase) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_alpha(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_typing_in_the_list_filters_and_slash_goes_to_the_filter(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        notes = app.main.query_one("#notes", NoteList)
        app.main.set_focus(notes)
        await pilot.pause()
        queue_keys(app, *typed("seg"))  # all queued before the first moves the focus
        await pilot.pause()
        await pilot.pause()
        assert app.main.library.filter_text == "seg" and listed(app) == ["beta"]
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        app.main.library.clear_filter()
        app.main.set_focus(notes)
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.main.library.filter_text == ""
        await pilot.press(*"hopper", "enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


async def test_ask_is_in_every_footer_and_the_footer_fits_80_columns(kb: KnowledgeBase) -> None:
    async with running(kb, size=(80, 24)) as (app, pilot):

        def footer_keys() -> list[str]:
            return [
                active.binding.key
                for active in app.active_bindings.values()
                if active.enabled and active.binding.show
            ]

        places = {"filter": footer_keys()}
        app.main.set_focus(app.main.query_one("#notes"))
        await pilot.pause()
        places["list"] = footer_keys()
        await pilot.press("enter")
        await settle(app, pilot)
        places["reader"] = footer_keys()
        await pilot.press("a")
        await pilot.pause()
        places["ask"] = footer_keys()
        for place, keys in places.items():
            assert "ctrl+a" in keys, place
        footer = app.main.query_one("Footer")
        shown = [key for key in footer.query("FooterKey") if key.display]
        assert shown and sum(k.outer_size.width for k in shown) <= 80 - len("^p palette")


async def test_up_then_enter_typed_at_once_opens_the_citation(kb: KnowledgeBase) -> None:
    from tests.tui.pilot_kit import ask

    async with running(kb, size=(80, 24)) as (app, pilot):
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.answer is not None and turn.answer.citations
        queue_keys(app, "up", "enter")  # both waiting before the citation list has the focus
        await settle(app, pilot)
        reader = app.main.reader
        assert app.main.showing_reader and reader.note is not None
        assert reader.note.id == turn.answer.citations[0].note and reader.cited_spots()


class SlowParse(KnowledgeBase):
    """The notes parsed only once `gate` is set (a big folder): the catalog's quick list is up before."""

    gate = threading.Event()

    def notes(self) -> NoteCollection:
        self.gate.wait(30)
        return super().notes()


async def test_keys_typed_before_the_no_index_offer_stay_in_the_filter(fresh_notes: Path) -> None:
    """First launch, no index: the user is typing in the filter when the offer is due; it comes as a notice, not a dialog."""
    kb = SlowParse(fresh_notes)
    kb.gate = threading.Event()
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: bool(listed(app)))
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        queue_keys(app, *typed("se"))  # typed while the notes are still being parsed
        kb.gate.set()  # the offer becomes due behind those keys
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert not isinstance(app.screen, BuildOffer) and app.screen is app.main
        assert app.main.library.filter_text == "seg" and listed(app) == ["beta"]
        notices = [n.message for n in app._notifications if n.title == "No index yet"]
        assert len(notices) == 1 and "ctrl+r" in notices[0]
        assert not app.state.building


async def test_keys_arriving_as_the_no_index_offer_opens_go_to_the_filter(fresh_notes: Path) -> None:
    """The offer opened just as the user began typing: it steps aside and every key lands in the filter, in order."""

    class Typist(PapernotesApp):
        def _offer_build(self, status: IndexStatus | None) -> None:
            super()._offer_build(status)
            queue_keys(self, *typed("seg"))  # already on their way when the dialog is pushed

    app = Typist(KnowledgeBase(fresh_notes), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen is app.main and isinstance(app.focused, Input) and app.focused.id == "filter"
        assert app.main.library.filter_text == "seg" and listed(app) == ["beta"]
        notices = [n.message for n in app._notifications if n.title == "No index yet"]
        assert len(notices) == 1 and "ctrl+r" in notices[0]
        assert not app.state.building
        await pilot.press("enter")  # the filter's Enter opens the note: the dialog no longer takes it
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"
        assert not app.state.building


async def test_a_question_pasted_over_two_lines_is_kept_whole(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        app.action_ask()
        await pilot.pause()
        box = app.main.query_one("#question", Input)
        assert app.focused is box
        app.post_message(events.Paste("who wrote AlphaNet?\nand how fast is it?\n"))
        await pilot.pause()
        await pilot.pause()
        assert box.value == "who wrote AlphaNet? and how fast is it?"
