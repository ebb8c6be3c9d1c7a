"""Pilot tests: what a new user found crashing the app (a figure that fails to draw, keys before the screen is composed, the palette's page keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from indexer.knowledge import KnowledgeBase
from tests.tui.test_app import settle
from tui.app import PapernotesApp, finished
from tui.screens.build_offer import BuildOffer
from tui.screens.main import MainScreen

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")

LAB_NOTE = """\
# Lab figure

![colours in Lab](figs/lab.tif)

Text after the figure.
"""


async def _open_library(app: PapernotesApp, pilot: Pilot) -> None:
    await settle(app, pilot)
    if isinstance(app.screen, BuildOffer):  # no index: not what these tests are about
        await pilot.press("escape")
        await settle(app, pilot)


async def test_a_figure_that_fails_to_draw_becomes_a_placeholder_naming_it(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "notes"
    (folder / "figs").mkdir(parents=True)
    Image.new("LAB", (40, 30)).save(folder / "figs" / "lab.tif")  # decodes; textual-image's text drawing can't convert it
    (folder / "lab.md").write_text(LAB_NOTE, encoding="utf-8")
    app = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with app.run_test(size=(120, 50)) as pilot:
        await _open_library(app, pilot)
        await app.open_note("lab")
        await settle(app, pilot)
        document = app.main.reader.document
        shown = document.text()
        assert not document.pictures
        assert "figs/lab.tif" in shown and "cannot be drawn" in shown
        assert "Text after the figure." in shown
    assert not app.return_code


class BuggyApp(PapernotesApp):
    """The app with a key that hits a bug (f9): stands for any error that stops it."""

    BINDINGS = [("f9", "bug", "A bug")]

    def action_bug(self) -> None:
        raise RuntimeError("a bug while showing a note")


async def test_after_an_error_stops_the_app_it_exits_non_zero_and_opens_on_the_library_next(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "alpha.md").write_text("# Alpha\n\nThe first note.\n", encoding="utf-8")
    (folder / "beta.md").write_text("# Beta\n\nThe note the app stops on.\n", encoding="utf-8")
    app = BuggyApp(KnowledgeBase(folder), watch=False)
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_library(app, pilot)
            await app.open_note("beta")
            await settle(app, pilot)
            await pilot.press("f9")
            await settle(app, pilot)
    assert finished(app) == 1

    again = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await _open_library(again, pilot)
        assert not again.main.showing_reader and again.main.reader.note is None
        said = [n.message for n in again._notifications if n.title == "Not reopened"]
        assert len(said) == 1 and "Beta" in said[0]
        await again.open_note("beta")  # opened by hand it is remembered again
        await settle(again, pilot)
    assert finished(again) == 0

    third = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with third.run_test(size=(120, 40)) as pilot:
        await _open_library(third, pilot)
        assert third.main.reader.note is not None and third.main.reader.note.id == "beta"


@pytest.mark.parametrize("page", ["pagedown", "pageup"])
async def test_a_page_key_right_after_ctrl_p_does_not_stop_the_app(tmp_path: Path, page: str) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(30):
        (folder / f"note{number:02}.md").write_text(f"# Note {number}\n\nText {number}.\n", encoding="utf-8")
    app = PapernotesApp(KnowledgeBase(folder), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_library(app, pilot)
        for key in ("ctrl+p", page, page):  # one burst, as a terminal sends keys typed fast: no wait between them
            app.post_message(events.Key(key, None))
        await settle(app, pilot)
        assert CommandPalette.is_open(app)
        await pilot.press("pagedown")
        await settle(app, pilot)
        commands = app.screen.query_one(CommandList)
        assert commands.highlighted is not None and commands.highlighted > 0
    assert not app.return_code


async def test_actions_run_before_the_main_screen_is_composed_wait_for_it(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "alpha.md").write_text("# Alpha\n\nThe first note.\n", encoding="utf-8")

    class Early(PapernotesApp):
        def get_default_screen(self) -> MainScreen:
            # Run (as a key's binding, the footer or the palette would) before the screen has its children.
            for action in ("home", "ask"):
                self.call_later(self.run_action, action)
            return super().get_default_screen()

    app = Early(KnowledgeBase(folder), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_library(app, pilot)
        assert app.is_running and app.main.asking and not app.main.showing_reader
        assert app.focused is app.main.ask_pane.question_box
    assert not app.return_code
