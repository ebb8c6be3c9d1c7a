"""Pilot tests: what a new user found crashing the app (a figure that fails to draw, keys before the screen is composed, the palette's page keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from indexer.knowledge import KnowledgeBase
from tests.tui.test_app import settle
from tui.app import PapernotesApp
from tui.screens.build_offer import BuildOffer

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
