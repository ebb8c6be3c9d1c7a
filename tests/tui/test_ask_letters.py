"""Pilot tests: after ↑ to the citations or a citation opened, letters typed go on with the conversation (never to reader keys)."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import ask, running, settle
from tests.tui.test_input import queue_keys, typed
from tui.app import PapernotesApp
from tui.widgets.conversation import CitationList

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")

FOLLOW_UP = "quick: why the head and anchors? 1 / n p t"
"""Every reader letter in it: q quits, h goes home, n/p step, t contents, r reindexes, a asks, 1 related, / finds."""


def questions(app: PapernotesApp) -> list[str]:
    return [turn.question for turn in app.main.ask_pane.turns]


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_question_typed_after_opening_a_citation_is_asked_whole(kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async with running(kb, size=size, note="beta") as (app, pilot):
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.answer is not None and turn.answer.citations
        cited = turn.answer.citations[0].note
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == cited
        assert app.main.asking == (size[0] >= 100)  # at 80 columns the passage takes the screen
        queue_keys(app, *typed("why two generators"), "enter")
        await settle(app, pilot)
        assert app.is_running and app.main.asking and not app.state.building
        assert questions(app) == ["How fast is AlphaNet?", "why two generators"]
        assert app.main.showing_reader and app.main.reader.note.id == cited  # no n, p or h ran
        queue_keys(app, "up", "enter", *typed(FOLLOW_UP))  # another citation chosen and typed over, in one burst
        await settle(app, pilot)
        assert app.is_running and app.main.ask_pane.question_box.value == FOLLOW_UP


async def test_letters_typed_in_the_citations_go_to_the_question_box(kb: KnowledgeBase) -> None:
    async with running(kb, size=(200, 60), note="alpha") as (app, pilot):
        await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up")
        assert isinstance(app.focused, CitationList)
        footer = {key for key, active in app.active_bindings.items() if active.enabled}
        assert "q" not in footer and "n" not in footer and "ctrl+q" in footer
        queue_keys(app, *typed("next paper"), "backspace")
        await settle(app, pilot)
        assert app.main.ask_pane.question_box.value == "next pape"
        assert app.main.reader.note is not None and app.main.reader.note.id == "alpha"


async def test_the_reader_keys_come_back_once_another_note_is_opened(kb: KnowledgeBase) -> None:
    async with running(kb, size=(80, 24), note="alpha") as (app, pilot):
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert turn.answer is not None and app.main.reader.note is not None
        assert not app.main.asking and app.main.reader.note.id == turn.answer.citations[0].note
        before = app.main.reader.scroll_y
        assert before > 0
        await pilot.press("pageup")  # keys that are not letters still read the passage
        await settle(app, pilot)
        assert not app.main.asking and app.main.reader.scroll_y < before
        await pilot.press("right")  # and step to the next note: from there, letters are the reader's keys
        await settle(app, pilot)
        shown = app.main.reader.note.id
        await pilot.press("n")
        await settle(app, pilot)
        assert not app.main.asking and app.main.reader.note.id != shown


async def test_the_scope_toggle_keeps_its_space_and_sends_letters_on(kb: KnowledgeBase) -> None:
    async with running(kb, size=(200, 60), note="alpha") as (app, pilot):
        await pilot.press("a")
        scope = app.main.query_one("#scope", Checkbox)
        scope.focus()
        await pilot.pause()
        queue_keys(app, "space", *typed("who"))
        await settle(app, pilot)
        assert scope.value and app.main.ask_pane.question_box.value == "who"
