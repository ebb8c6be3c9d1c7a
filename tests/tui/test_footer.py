"""Pilot tests of the footer: Back and Forward offered while there is somewhere to go, the most important keys kept at 80 columns."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import ask, running, settle
from tui.app import PapernotesApp
from tui.widgets.key_footer import KeyFooter

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


def footer(app: PapernotesApp) -> list[str]:
    """The footer's keys as shown ("[ Back"), the palette's last."""
    return [f"{key.key_display} {key.description}" for key in app.main.query_one(KeyFooter).query(FooterKey)]


def fits(app: PapernotesApp) -> bool:
    """Whether every key the footer shows is inside the terminal (Textual's cuts what is past its end)."""
    bar = app.main.query_one(KeyFooter)
    return bar.virtual_size.width <= bar.size.width and all(
        key.region.right <= app.size.width for key in bar.query(FooterKey)
    )


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_the_footer_offers_back_after_a_jump_and_forward_after_going_back(
    kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    async with running(kb, size=size) as (app, pilot):
        await pilot.press("enter")  # alpha, from the library: nowhere to go back to
        await settle(app, pilot)
        assert "[ Back" not in footer(app) and "] Forward" not in footer(app)
        await pilot.press("1")  # a related note: a jump
        await settle(app, pilot)
        assert "[ Back" in footer(app) and "] Forward" not in footer(app)
        await pilot.press("1")  # another jump, from there
        await settle(app, pilot)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        keys = footer(app)
        assert "[ Back" in keys and "] Forward" in keys
        assert keys[keys.index("[ Back") + 1] == "] Forward"
        assert {"^a Ask", "n Next", "p Prev", "1-4 Related", "f1 Help", "q Quit", "^p palette"} <= set(keys)
        assert fits(app)
        await pilot.press("left_square_bracket")  # back where the trail started
        await settle(app, pilot)
        assert "[ Back" not in footer(app) and "] Forward" in footer(app)
        await pilot.press("h")  # the library forgets the trail
        await settle(app, pilot)
        assert not any(key.endswith(("Back", "Forward")) and key.startswith(("[", "]")) for key in footer(app))


async def test_at_80_columns_the_footer_keeps_ask_back_help_and_quit_when_not_all_fit(kb: KnowledgeBase) -> None:
    async with running(kb, size=(80, 24)) as (app, pilot):
        await pilot.press("enter", "1", "1", "left_square_bracket")  # Back and Forward both on offer
        await settle(app, pilot)
        await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up")  # into the citations: the ask pane's ctrl+t joins; letters type there, so ctrl+q quits
        await settle(app, pilot)
        keys = footer(app)
        assert {"^a Ask", "[ Back", "] Forward", "f1 Help", "^q Quit", "^p palette"} <= set(keys)
        assert fits(app)
        app.main.ask_pane.query_one("#question").focus()  # typing: the box's few keys all fit
        await settle(app, pilot)
        assert {"^a Ask", "^t This note only", "^q Quit", "f1 Help"} <= set(footer(app)) and fits(app)


async def test_over_the_palette_and_dialogs_the_footer_offers_only_keys_that_work_there(kb: KnowledgeBase) -> None:
    from tui.palette import Palette
    from tui.screens.confirm import ConfirmQuit
    from tui.screens.help import HelpScreen

    async with running(kb, note="alpha") as (app, pilot):
        assert {"n Next", "f1 Help", "^p palette"} <= set(footer(app))
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, Palette)
        assert footer(app) == ["^a Ask", "^q Quit", "esc Close"]  # not n, f1 or ^p: they do nothing here
        await pilot.press("f1")  # not offered, and indeed nothing happens
        await settle(app, pilot)
        assert isinstance(app.screen, Palette)
        await pilot.press("ctrl+a")  # offered: it works
        await settle(app, pilot)
        assert app.screen is app.main and app.focused is app.main.query_one("#question")
        assert "^p palette" in footer(app)  # the main screen's keys again
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main

        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert footer(app) == ["^a Ask", "^q Quit", "esc Close"]
        await pilot.press("escape")
        await settle(app, pilot)

        app.main.ask_pane.query_one("#question").value = "half a question"
        await app.action_quit()
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmQuit)
        assert footer(app) == ["esc Stay", "y Quit"]  # ctrl+a is off there (`check_action`): not offered
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main and "^a Ask" in footer(app)
