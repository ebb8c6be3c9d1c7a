"""Pilot tests: the reading position (the source line at the top of the view) kept per note, across a relaunch at another width and when a note is opened again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from indexer.answer import Citation
from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import build_long_notes, running, settle
from tui.app import PapernotesApp
from tui.positions import line_at_top

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def long_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_long_notes(tmp_path_factory.mktemp("positions") / "notes", images=0)


def top_piece_lines(app: PapernotesApp) -> range:
    """The source lines (1-based) of the piece at the top of the reader's view."""
    document = app.main.reader.document
    model = document.model
    assert model is not None and document.view_top() > 0
    piece = model.pieces[model.locate(document.view_top())[0]]
    return range(piece.start + 1, max(piece.end, piece.start + 1) + 1)


async def read_down(app: PapernotesApp, pilot: Pilot, pages: int) -> int:
    await pilot.press(*["pagedown"] * pages)
    await settle(app, pilot)
    line = line_at_top(app.main.reader)
    assert line is not None and line > 20
    return line


async def test_relaunch_at_another_width_reopens_the_note_where_it_was_read(long_notes: Path, config_dir: Path) -> None:
    async with running(long_notes, size=(120, 40), note="long") as (app, pilot):
        line = await read_down(app, pilot, 5)
        await pilot.press("q")
        await pilot.pause()
    saved = json.loads((config_dir / "tui.json").read_text(encoding="utf-8"))
    assert saved["positions"][str(long_notes)] == {"long": line}
    assert saved["last_notes"][str(long_notes)] == "long"

    again = PapernotesApp(KnowledgeBase(long_notes), watch=False)
    async with again.run_test(size=(80, 30)) as pilot:  # narrower: the same text is further down
        await settle(again, pilot)
        await settle(again, pilot)
        reader = again.main.reader
        assert again.main.showing_reader and reader.note is not None and reader.note.id == "long"
        assert line in top_piece_lines(again)
        assert reader.scroll_y > 0


async def test_a_note_opened_again_in_the_session_goes_back_to_where_it_was_read(long_notes: Path) -> None:
    async with running(long_notes, size=(120, 40), note="long") as (app, pilot):
        line = await read_down(app, pilot, 3)
        await app.open_note("short")
        await settle(app, pilot)
        await app.open_note("long")
        await settle(app, pilot)
        assert line in top_piece_lines(app)
        await pilot.press("home")  # read from the top again: the top is what is remembered
        await settle(app, pilot)
        app.home()
        assert app.config.position(long_notes, "long") is None
        await app.open_note("long")
        await settle(app, pilot)
        assert app.main.reader.scroll_y == 0


def test_positions_read_from_tui_json_keep_only_lines() -> None:
    from tui.config import Config

    config = Config.from_json({"positions": {"/n": {"a": 12, "b": "x", "c": True, "d": 0}, "/m": [1]}})
    assert config.positions == {"/n": {"a": 12}}
    assert config.remember_position(Path("/n"), "a", None) and config.positions == {}


async def test_a_citation_opened_from_the_library_is_shown_however_late_the_reader_is_laid_out(long_notes: Path) -> None:
    """The reader was hidden (the library showed): it is laid out by a refresh, which on a loaded machine came after
    the highlight's turn (the passage was not found, the citation lost). The highlight waits for the layout."""
    async with running(long_notes, size=(200, 60)) as (app, pilot):
        note = app.collection.find("long") if app.collection else None
        assert note is not None and not app.main.showing_reader
        section = note.sections[-2]
        block = section.blocks[0]
        lines = (block.start_line, block.end_line)
        citation = Citation(1, note.id, note.title, section.label, note.rel_path, lines, 1.0, block.text, block.text)
        reader = app.main.reader
        reader.call_after_refresh = lambda callback, *args: callback(*args)  # type: ignore[method-assign, assignment]
        await app.open_note("long", citation)  # its highlight runs before the layout
        del reader.call_after_refresh
        await settle(app, pilot)
        spots = reader.cited_spots()
        assert spots and all(block.start_line - 1 <= s.piece.start < block.end_line for s in spots)
        assert reader.scroll_y > 100 and reader.spot_y(spots[0]) >= reader.scroll_y
