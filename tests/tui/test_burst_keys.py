"""Pilot tests: keys typed in one burst edit every text box in the order typed (Backspace, ctrl+u, ctrl+w among letters)."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import running, settle
from tests.tui.test_input import queue_keys, typed
from tui.widgets.ask_pane import AskPane

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")

CONTROL = {"backspace", "ctrl+u", "ctrl+w", "delete", "enter", "left", "home", "end"}


def burst(*keys: str) -> list[str]:
    """Keys as a terminal sends them: words split into letters, named keys kept."""
    out: list[str] = []
    for key in keys:
        out.extend([key] if key in CONTROL else typed(key))
    return out


def send(app: object, *keys: str) -> None:
    """All of `keys` in the app's queue before any is handled."""
    queue_keys(app, *burst(*keys))  # type: ignore[arg-type]


async def test_question_box_applies_backspaces_where_they_were_typed(kb: KnowledgeBase) -> None:
    async with running(kb, note="alpha") as (app, pilot):
        await pilot.press("a")
        box = app.main.ask_pane.question_box
        assert app.focused is box
        send(app, "whta", "backspace", "backspace", "at is alphanet")
        await settle(app, pilot)
        assert box.value == "what is alphanet"
        send(app, "ctrl+w", "speed", "home", "delete", "W", "end", "enter")
        await settle(app, pilot)
        turns = app.main.query_one(AskPane).turns
        assert [t.question for t in turns] == ["What is speed"] and box.value == ""


async def test_text_typed_after_enter_stays_in_the_question_box(kb: KnowledgeBase) -> None:
    async with running(kb, note="alpha") as (app, pilot):
        await pilot.press("a")
        box = app.main.ask_pane.question_box
        send(app, "how fast is alphanet", "enter", "and bet", "backspace")
        await settle(app, pilot)
        turns = app.main.query_one(AskPane).turns
        assert [t.question for t in turns] == ["how fast is alphanet"]
        assert box.value == "and be"


async def test_filter_applies_backspace_and_ctrl_u_in_order(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        box = app.focused
        assert isinstance(box, Input) and box.id == "filter"
        await pilot.press("a", "b")
        send(app, "backspace", "backspace", "cd")
        await settle(app, pilot)
        assert app.main.library.filter_text == "cd"
        send(app, "ctrl+u", "beta")
        await settle(app, pilot)
        assert app.main.library.filter_text == "beta"
        send(app, "x", "backspace", "ctrl+w", "alp", "left", "h", "backspace", "end", "ha")
        await settle(app, pilot)
        assert app.main.library.filter_text == "alpha"


async def test_palette_applies_backspace_and_ctrl_u_in_order(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        box = app.screen.query_one(CommandInput)
        send(app, "thmee", "backspace", "backspace", "me", "ctrl+u", "hel", "backspace", "lp")
        await settle(app, pilot)
        assert box.value == "help"
