"""What notes show: HTML figures drawn with their captions, and short names in the library (Pilot and SVG snapshots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import running
from tests.tui.test_snapshots import steady
from tui.app import PapernotesApp

pytestmark = pytest.mark.filterwarnings(
    "ignore:Image.Image.getdata is deprecated:DeprecationWarning"
)

FIGURE_NOTE = """\
---
title: "Pocket Detectors: Object Detection on Phones"
authors: 5
year: 2021
tags: [detection, mobile]
---

# Pocket Detectors

Pocket detectors find objects on phones with features in R<sup>H×W</sup>.

<p align="center">
<img src="images/arch.png" width=400 alt="architecture">
<br><i>Figure 2: the fusion neck joins three scales</i></p>

<img src="https://example.com/remote.png" alt="Remote plot">

Results follow the figures.
"""


@pytest.fixture(scope="module")
def figure_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A notes folder with one note of HTML figures, indexed."""
    from PIL import Image

    notes = tmp_path_factory.mktemp("figures") / "notes"
    (notes / "images").mkdir(parents=True)
    Image.new("RGB", (16, 8), (40, 120, 200)).save(notes / "images" / "arch.png")
    (notes / "pocket.md").write_text(FIGURE_NOTE, encoding="utf-8")
    kb = KnowledgeBase(notes)
    kb.build()
    kb.encoder()
    return kb


async def test_an_html_image_note_shows_the_image_and_its_caption(figure_kb: KnowledgeBase) -> None:
    app = PapernotesApp(figure_kb, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await steady(pilot)
        await app.open_note("pocket")
        await steady(pilot)
        document = app.main.reader.document
        drawn, remote = document.model.figures.values()
        assert drawn.image is not None and drawn.image.width == 400
        assert list(document.pictures) == [document.model.pieces.index(drawn.piece)]
        kinds = [(piece.kind, piece.src) for piece in document.model.pieces]
        caption = next(i for i, p in enumerate(document.model.pieces) if p.start == drawn.piece.start and p.kind == "paragraph")
        assert kinds.index(("image", "images/arch.png")) < caption  # the caption under its figure, as written
        shown = document.text()
        assert "Remote plot" in shown and "remote image, not downloaded" in shown
        assert "Figure 2: the fusion neck joins three scales" in shown
        assert "R^(H×W)" in shown and "<i>" not in shown and "<br>" not in shown
        card = str(app.main.reader.card.render())
        assert "⚠" in card and "authors (line 3)" in card  # authors: 5 is not a list of names


async def test_the_library_leads_with_short_names_and_filters_by_year(kb: KnowledgeBase) -> None:
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await steady(pilot)
        await pilot.press(*"2022")
        await steady(pilot)
        notes = app.main.query_one("#notes", OptionList)
        assert [notes.get_option_at_index(i).id for i in range(notes.option_count)] == ["beta"]


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_of_an_html_figure_note(snap_compare, figure_kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(PapernotesApp(figure_kb, watch=False), terminal_size=size, run_before=run_before)


def test_a_figure_is_drawn_where_it_is_written_in_its_paragraph() -> None:
    """Text before an image, the image, the caption written under it: in that order (not the image last)."""
    from tui.pieces import pieces_of

    pieces = pieces_of("# T\n\nAs shown:\n![plot](a.png)\n*Figure 1: loss curves*\n\n![](b.png) ![](c.png)\n")
    assert [(p.kind, p.src or "".join(c.content for t in p.tokens if t.type == "inline" for c in t.children or [])) for p in pieces] == [
        ("heading", "T"),
        ("paragraph", "As shown:"),
        ("image", "a.png"),
        ("paragraph", "Figure 1: loss curves"),
        ("image", "b.png"),
        ("image", "c.png"),
    ]


def test_a_figure_in_a_list_item_is_drawn_under_the_item_that_shows_it() -> None:
    """papers_we_read's way: an `<img>` right under a bullet. The figure comes between that bullet and the
    next ones (not after the whole list), and the bullets drawn above it are not drawn again under it."""
    from rich.console import Console

    from indexer.html import convert_html
    from tui.piece_lines import PieceLines
    from tui.pieces import pieces_of

    note = (
        "# T\n\n- **Model Architecture:**\n<img src='a.png'>\n    - first sub bullet\n    - second sub bullet\n"
        "<img src='b.png'>\n    - third sub bullet\n- next item\n"
    )
    console = Console(width=60)
    shown = []
    for piece in pieces_of(convert_html(note).markdown):
        if piece.kind == "image":
            shown.append(f"[{piece.src}]")
        else:
            shown += ["".join(s.text for s in line).rstrip() for line in PieceLines(piece).lines(console, console.options)]
    assert shown == [
        "T",
        " • Model Architecture:",
        "[a.png]",
        "    • first sub bullet",
        "    • second sub bullet",
        "[b.png]",
        "    • third sub bullet",
        " • next item",
    ]


def test_the_reader_keeps_a_list_nested_25_levels_deep() -> None:
    from tui.pieces import pieces_of

    body = "".join(f"{'  ' * level}- level {level}\n" for level in range(25))
    shown = " ".join(t.content for piece in pieces_of(f"# Deep Nest\n\n{body}") for t in piece.tokens)
    assert all(f"level {level}" in shown for level in range(25))


async def test_a_break_inside_a_line_is_a_line_break_in_the_reader(tmp_path: Path) -> None:
    """`first part<br>second part` (or `<br/>`, `<br />`) is drawn on two lines, as a Markdown hard break."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "breaks.md").write_text(
        "# Breaks\n\nfirst part<br>second part<br/>third part <br /> fourth part\n\n- item one<br>item two\n",
        encoding="utf-8",
    )
    async with running(notes, note="breaks") as (app, _pilot):
        shown = [line.strip() for line in app.main.reader.document.text().split("\n")]
        for part in ("first part", "second part", "third part", "fourth part", "item two"):
            assert part in shown, f"{part!r} is not on a line of its own in {shown}"
        assert "• item one" in shown or "- item one" in shown
        assert not any("<br" in line for line in shown)


async def test_the_library_filters_by_a_year_only_the_notes_text_gives(tmp_path: Path) -> None:
    """Notes that state no year: the venue near the top or the paper's arXiv link gives the library its year."""
    from indexer.importers.markdown import convert_note

    source, notes = tmp_path / "source", tmp_path / "notes"
    source.mkdir()
    notes.mkdir()
    (source / "award.md").write_text(
        "# Bridging Gaps\nAnn One, Bo Two\n## Summary\nA method. **It got the best paper award at ACL 2019**\n", encoding="utf-8"
    )
    (source / "posted.md").write_text(
        "# Posted Work\nAnn One\n## Summary\nText.\n## Resources\nPaper : https://arxiv.org/pdf/2307.15043.pdf\n", encoding="utf-8"
    )
    for path in source.iterdir():  # the Markdown importer, as `papernotes import` runs it
        (notes / path.name).write_text(convert_note(path, source).markdown, encoding="utf-8")
    async with running(notes) as (app, pilot):
        rows = app.main.query_one("#notes", OptionList)
        for year, wanted in (("2019", ["award"]), ("2023", ["posted"])):
            app.main.query_one("#filter", Input).value = ""
            await pilot.press(*year)
            await steady(pilot)
            assert [rows.get_option_at_index(i).id for i in range(rows.option_count)] == wanted, year
            assert year in str(rows.get_option_at_index(0).prompt)  # the year column shows it
