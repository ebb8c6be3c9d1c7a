"""A figure whose file changes on disk is drawn again: while its note is open (the watcher hears images too) and when the note is opened again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from indexer.watch import is_figure_change, is_note_change
from tests.tui.pilot_kit import running, settle
from tui.app import PapernotesApp
from tui.messages import NotesChangedOnDisk

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")

RED, BLUE = (200, 0, 0), (0, 0, 200)


def figure_notes(folder: Path) -> Path:
    """`folder` with a note showing one red figure, and a second note."""
    (folder / "figures").mkdir(parents=True)
    Image.new("RGB", (320, 200), RED).save(folder / "figures" / "one.bmp")
    (folder / "fig.md").write_text(
        "# Figure Note\n\nText above.\n\n![The figure](figures/one.bmp)\n\nText below.\n", encoding="utf-8"
    )
    (folder / "other.md").write_text("# Other\n\nNothing drawn.\n", encoding="utf-8")
    return folder


def colour_drawn(app: PapernotesApp) -> tuple[int, ...] | None:
    """The colour of the figure drawn in the reader (None: none drawn)."""
    document = app.main.reader.document
    model = document.model
    assert model is not None
    index = next(iter(model.figures))
    widget = document.pictures.get(index)
    if widget is None or not model.figures[index].drawn:
        return None
    picture = widget.image  # type: ignore[attr-defined]
    return tuple(picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2)))


def repaint(path: Path, colour: tuple[int, int, int], *, keep_stat: bool) -> None:
    """Draw `path` over in `colour`; with `keep_stat`, the same size and mtime as before (an in-place
    rewrite within one timestamp tick)."""
    before = path.stat()
    with path.open("r+b") as file:  # in place: the same inode
        Image.new("RGB", (320, 200), colour).save(file, format="BMP")
        file.truncate()
    assert path.stat().st_size == before.st_size  # a BMP of the same shape: the same size
    if keep_stat:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


async def test_a_figure_changed_while_its_note_is_open_is_drawn_again(tmp_path: Path) -> None:
    notes = figure_notes(tmp_path / "notes")
    async with running(notes, note="fig") as (app, pilot):
        assert colour_drawn(app) == RED
        repaint(notes / "figures" / "one.bmp", BLUE, keep_stat=False)
        app.post_message(NotesChangedOnDisk())  # what the watcher posts when an image changes
        await settle(app, pilot)
        assert colour_drawn(app) == BLUE


async def test_a_figure_rewritten_with_its_size_and_mtime_is_not_shown_stale_when_reopened(tmp_path: Path) -> None:
    notes = figure_notes(tmp_path / "notes")
    async with running(notes, note="fig") as (app, pilot):
        assert colour_drawn(app) == RED
        await app.open_note("other")
        await settle(app, pilot)
        repaint(notes / "figures" / "one.bmp", BLUE, keep_stat=True)
        await app.open_note("fig")
        await settle(app, pilot)
        assert colour_drawn(app) == BLUE


def test_the_watcher_hears_figures_but_not_the_index_or_hidden_files() -> None:
    assert is_figure_change("/n/figures/one.png") and is_figure_change("/n/A.JPG")
    assert not is_figure_change("/n/.papernotes/gen-1/x.png") and not is_figure_change("/n/.one.png")
    assert not is_figure_change("/n/fig.md") and is_note_change("/n/fig.md")
    assert not is_note_change("/n/figures/one.png")  # the index's watcher (`papernotes index --watch`) does not
