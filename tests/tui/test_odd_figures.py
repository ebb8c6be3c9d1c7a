"""Pilot tests: figures of odd shapes are drawn (or shown as placeholders) and never take the app down."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from indexer.knowledge import KnowledgeBase
from tests.tui.test_app import settle
from tui.app import PapernotesApp

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


@pytest.fixture
def odd_figures(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    (folder / "figs").mkdir(parents=True)
    Image.new("RGB", (50, 3000), (200, 40, 40)).save(folder / "figs" / "tall.png")
    Image.new("RGB", (4000, 200), (40, 200, 40)).save(folder / "figs" / "wide.png")
    text = "# Odd figures\n\n## Tall\n\n![tall](figs/tall.png)\n\n## Wide\n\n![wide](figs/wide.png)\n\nThe end.\n"
    (folder / "odd.md").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("size", [(120, 50), (80, 24)])
async def test_a_tall_narrow_figure_is_drawn_without_taking_the_app_down(
    odd_figures: Path, size: tuple[int, int]
) -> None:
    app = PapernotesApp(KnowledgeBase(odd_figures), watch=False)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await app.open_note("odd")
        await settle(app, pilot)
        reader = app.main.reader
        document = reader.document
        model = document.model
        assert model is not None
        for index in model.figures:  # each figure scrolled to and drawn over its rows
            reader.scroll_exactly(reader.spot_y(document.spot(index)))
            await settle(app, pilot)
            picture = document.pictures.get(index)
            assert picture is not None and picture.region.width >= 1
        assert app.is_running and "The end." in document.text()
