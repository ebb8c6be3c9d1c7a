"""Pilot tests: the ask pane as a chat: back from a citation to the answer it was chosen from, and the latest turn in view when the pane opens or the terminal is resized."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import OptionList

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import ask, running, settle
from tui.app import PapernotesApp
from tui.widgets.conversation import CitationList, Turn

NARROW, WIDE = (80, 24), (200, 60)


def shown(app: PapernotesApp) -> str | None:
    note = app.main.reader.note
    return note.id if note is not None and app.main.showing_reader else None


def conversation_of(app: PapernotesApp) -> VerticalScroll:
    return app.main.query_one("#conversation", VerticalScroll)


def in_view(app: PapernotesApp, turn: Turn, part: str = ".question") -> bool:
    """Whether `part` of `turn` is wholly inside the conversation's view."""
    conversation = conversation_of(app)
    return conversation.region.contains_region(turn.query_one(part).region)


def on_citations_of(app: PapernotesApp, turn: Turn, option: int) -> bool:
    """Whether the pane is open with the focus on `turn`'s citations, `option` highlighted and in view."""
    focused = app.focused
    return (
        app.main.asking
        and isinstance(focused, CitationList)
        and focused in turn.query(CitationList)
        and focused.highlighted == option
        and conversation_of(app).region.contains_region(focused.region)
    )


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "200x60"])
@pytest.mark.parametrize("key", ["escape", "left_square_bracket"])
@pytest.mark.parametrize("note", ["beta", "alpha"], ids=["cites-another-note", "cites-the-open-note"])
async def test_back_after_a_citation_is_the_answer_it_was_chosen_from(
    kb: KnowledgeBase, size: tuple[int, int], key: str, note: str
) -> None:
    async with running(kb, size=size, note=note) as (app, pilot):
        first = await ask(app, pilot, "How fast is AlphaNet?")
        await ask(app, pilot, "What does BetaFormer segment?")
        app.main.set_focus(first.query_one(CitationList))  # an older answer's citations
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "alpha" and app.main.reader.cited_spots()
        assert app.main.asking == (size == WIDE)  # at 80 columns the pane gave way to the passage
        if not app.main.asking:
            app.main.set_focus(app.main.reader)
        await pilot.press(key)
        await settle(app, pilot)
        assert shown(app) == note and on_citations_of(app, first, 0)
        if note != "alpha":
            assert not app.main.reader.cited_spots()
        await pilot.press("escape")  # nothing more to go back to from the pane: it closes
        await settle(app, pilot)
        assert not app.main.asking and shown(app) == note


async def test_a_citation_chosen_over_the_library_goes_back_to_the_library_and_forward_again(kb: KnowledgeBase) -> None:
    async with running(kb, size=NARROW) as (app, pilot):
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert shown(app) == turn.answer.citations[0].note and not app.main.asking
        await pilot.press("escape")
        await settle(app, pilot)
        assert not app.main.showing_reader and on_citations_of(app, turn, 0)
        await pilot.press("right_square_bracket")  # forward: the passage again
        await settle(app, pilot)
        assert shown(app) == turn.answer.citations[0].note and not app.main.asking
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert not app.main.showing_reader and on_citations_of(app, turn, 0)


async def test_escape_in_the_pane_after_asking_again_closes_it(kb: KnowledgeBase) -> None:
    async with running(kb, size=WIDE, note="beta") as (app, pilot):
        await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert shown(app) == "alpha"
        await ask(app, pilot, "What does BetaFormer segment?")  # in the box now, not on the answer
        await pilot.press("escape")
        await settle(app, pilot)
        assert not app.main.asking and shown(app) == "alpha"


async def test_after_opening_a_citation_the_conversation_goes_on_about_its_note(kb: KnowledgeBase) -> None:
    """Asked while reading BetaFormer, answered from AlphaNet, AlphaNet opened from the citation: the next question is
    still a follow-up of that answer ("and what about BetaFormer?" asks its question again), not a fresh start."""
    async with running(kb, size=WIDE, note="beta") as (app, pilot):
        await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up", "enter")
        await settle(app, pilot)
        assert shown(app) == "alpha"
        turn = await ask(app, pilot, "and what about BetaFormer?")
        assert turn.answer is not None and turn.answer.read_as == "How fast is BetaFormer?"
        assert "12 frames per second" in (turn.answer.text or "")


QUESTIONS = ["How fast is AlphaNet?", "What does BetaFormer segment?", "How is BetaFormer trained?", "What is GammaDepth?"]


async def asked_at_200(app: PapernotesApp, pilot) -> Turn:  # type: ignore[no-untyped-def]
    for question in QUESTIONS:
        latest = await ask(app, pilot, question)
    assert conversation_of(app).max_scroll_y == 0  # all in view at 200x60
    return latest


@pytest.mark.parametrize("closed", [False, True], ids=["resized-open", "resized-closed-reopened"])
async def test_the_latest_turn_stays_in_view_when_the_terminal_shrinks(kb: KnowledgeBase, closed: bool) -> None:
    async with running(kb, size=WIDE, note="beta") as (app, pilot):
        latest = await asked_at_200(app, pilot)
        if closed:
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.resize_terminal(*NARROW)
        await settle(app, pilot)
        if closed:
            await pilot.press("ctrl+a")
            await settle(app, pilot)
        conversation = conversation_of(app)
        assert conversation.max_scroll_y > 0  # it no longer fits
        assert in_view(app, latest) and in_view(app, latest, "CitationList")
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert in_view(app, latest) and in_view(app, latest, "CitationList")


async def test_a_conversation_scrolled_up_on_purpose_stays_there_until_the_next_question(kb: KnowledgeBase) -> None:
    async with running(kb, size=NARROW, note="beta") as (app, pilot):
        for question in QUESTIONS:
            latest = await ask(app, pilot, question)
        pane = app.main.ask_pane
        assert in_view(app, latest) and conversation_of(app).scroll_y > 0
        conversation_of(app).scroll_home(animate=False, immediate=True)  # as Home or the wheel does
        await pilot.pause()
        first = pane.turns[0]
        assert in_view(app, first) and not in_view(app, latest)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert in_view(app, first) and not in_view(app, latest)  # where the user left it
        newest = await ask(app, pilot, "What is AlphaNet?")
        assert in_view(app, newest)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.resize_terminal(120, 40)
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert in_view(app, newest) and isinstance(app.focused, type(pane.question_box))
        assert not isinstance(app.focused, OptionList)
