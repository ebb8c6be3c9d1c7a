"""Pilot tests: "only this note" and a question that names another note; a follow-up read with the previous paper."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox

from indexer.knowledge import KnowledgeBase
from tui.widgets.conversation import CitationList, ElsewhereList

from .pilot_kit import ask, running, settle

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


async def test_a_question_about_another_note_offers_all_notes_and_that_note(kb: KnowledgeBase) -> None:
    async with running(kb, note="beta") as (app, pilot):
        await pilot.press("a", "ctrl+t")
        assert app.main.ask_pane.scoped
        turn = await ask(app, pilot, "who wrote AlphaNet?")
        assert turn.answer is not None and turn.answer.refused
        text = str(turn.query_one(".answer").render())
        assert "Not in this note." in text and "Your note on BetaFormer is not about AlphaNet." in text
        assert "Grace Hopper" not in text and "Lovelace" not in text
        assert "In your note on AlphaNet:" in str(turn.query_one(".closest-label").render())
        assert {c.note for c in turn.query_one(CitationList).citations} == {"alpha"}
        await pilot.press("up")  # from the question box: the choices first
        choices = turn.query_one(ElsewhereList)
        assert app.focused is choices and choices.highlighted == 0
        await pilot.press("enter")  # "Ask all notes instead"
        await settle(app, pilot)
        again = app.main.ask_pane.turns[-1]
        assert again is not turn and again.question == "who wrote AlphaNet?"
        assert again.scope_title is None and again.answer is not None and "Lovelace" in (again.answer.text or "")
        assert app.main.ask_pane.scoped  # the toggle is left as it was: asking all notes was for this question
        choices.focus()
        choices.highlighted = 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "alpha"


async def test_a_follow_up_says_how_it_was_read(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await ask(app, pilot, "Who wrote BetaFormer?")
        turn = await ask(app, pilot, "how fast is it?")
        assert turn.answer is not None and turn.answer.read_as == "how fast is BetaFormer?"
        assert "read as: how fast is BetaFormer?" in str(turn.query_one(".read-as").render())
        assert "12 frames per second" in (turn.answer.text or "")


async def test_this_paper_is_the_note_on_screen(kb: KnowledgeBase) -> None:
    """Scope off: "who wrote this paper?" while reading BetaFormer is BetaFormer's; after opening AlphaNet, "it" is AlphaNet."""
    async with running(kb, note="beta") as (app, pilot):
        assert not app.main.ask_pane.scoped
        turn = await ask(app, pilot, "who wrote this paper?")
        assert turn.answer is not None and "Grace Hopper" in (turn.answer.text or "")
        await pilot.press("escape")
        await app.open_note("alpha")
        await settle(app, pilot)
        turn = await ask(app, pilot, "how fast is it?")
        assert turn.answer is not None and turn.answer.read_as == "how fast is AlphaNet?"
        assert "142 frames per second" in (turn.answer.text or "")


async def test_the_scope_toggle_looks_ticked_only_when_it_is(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("ctrl+a")
        toggle = app.main.ask_pane.query_one("#scope", Checkbox)

        def shown() -> str:
            return str(toggle.render())

        assert shown().startswith("▐ ▌") and "open a note first" in shown()  # no note open: nothing to tick
        await pilot.press("escape")
        await app.open_note("alpha")
        await settle(app, pilot)
        await pilot.press("a", "ctrl+t")
        await pilot.pause()
        assert app.main.ask_pane.scoped and shown().startswith("▐X▌")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.main.ask_pane.scoped and shown().startswith("▐ ▌")
