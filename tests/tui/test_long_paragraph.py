"""A note that is one huge paragraph: opened with its first screen rendered alone, every word reachable, the lines those of the paragraph rendered whole."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style

import tui.pieces
from bench.notes_gen import huge_paragraph
from tests.tui.pilot_kit import running, settle
from tui.long_lines import LongPieceLines
from tui.piece_lines import PieceLines
from tui.pieces import Piece, pieces_of


def whole(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Piece, ...]:
    """The pieces of `text` with no paragraph left to parse a part at a time."""
    with monkeypatch.context() as patch:
        patch.setattr(tui.pieces, "LAZY_CHARS", 10**9)
        pieces_of.cache_clear()
        found = pieces_of(text)
    pieces_of.cache_clear()
    return found


def drawn(lines: list[list[Segment]]) -> list[list[tuple[str, Style]]]:
    """What `lines` draw: each segment's text and style (no style and the null style draw alike: Rich
    gives a line with no styled text in it no style at all)."""
    return [[(segment.text, segment.style or Style()) for segment in line] for line in lines]


@pytest.mark.parametrize("wrap", [0, 12], ids=["one line", "lines of 12 words"])
async def test_a_huge_paragraph_opens_at_its_first_words_and_its_last_words_are_reached(
    tmp_path: Path, wrap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes"
    path = huge_paragraph(notes, words=30_000, wrap=wrap)
    (notes / "short.md").write_text("# Short\n\nOne line.\n", encoding="utf-8")
    async with running(notes, size=(200, 60), note="short") as (app, pilot):
        while app.screen is not app.main:  # the offer to build an index: not now
            app.pop_screen()
            await pilot.pause()
        await app.open_note("huge")  # the reader has its width: the first screen is rendered as it is shown
        document = app.main.reader.document
        model = document.model
        assert model is not None
        index = next(i for i, p in enumerate(model.pieces) if p.kind == "paragraph")
        paragraph = model.texts[index]
        assert isinstance(paragraph, LongPieceLines)
        assert not paragraph.complete(model.inner)  # only the first screen so far
        rows = [document.render_line(y).text for y in range(app.main.reader.scrollable_content_region.height)]
        assert any(row.strip().startswith("First ") for row in rows)
        await settle(app, pilot)
        assert paragraph.complete(model.inner) and all(model.exact)  # the rest in the background
        reader = app.main.reader
        reader.focus()
        await pilot.pause()
        await pilot.press("end")
        await settle(app, pilot)
        assert reader.scroll_y == reader.max_scroll_y > 1000
        lines = document.text().split("\n")
        last = max(y for y, line in enumerate(lines) if line.strip())
        assert lines[last].rstrip().endswith("Last.")
        top = reader.scroll_y - document.virtual_region.y - 1
        assert top <= last < top + reader.scrollable_content_region.height  # on screen
        reference = PieceLines(whole(path.read_text(encoding="utf-8"), monkeypatch)[index])
        options = document._text_options(model.width)
        assert drawn(paragraph.cached(model.inner) or []) == drawn(reference.lines(app.console, options))


def _mixed(rng: random.Random, words: int) -> str:
    """A paragraph with markup that must not be cut inside (emphasis, code, links, tags, breaks), now and
    then a delimiter that may pair with one further on."""
    plain = ["alpha", "beta_gamma", "2 * 3", "p<0.05", "[1]", "ünïcödé", "中文字符", "~5%", "hard  \n", "soft\nbreak"]
    markup = ["`code span`", "**bold words here**", "*em across words*", "[link text](https://e.com/x)",
              "<b>tag</b>", "~~struck out~~", "_under_", "https://example.com/" + "x" * 250]
    risky = ["a*b", "\\*"]  # each makes its part grow until a later one may close it
    out = []
    for _ in range(words):
        roll = rng.random()
        out.append(rng.choice(risky if roll < 0.002 else markup if roll < 0.1 else plain))
    return " ".join(out)


@pytest.mark.parametrize("seed", range(3))
def test_a_long_paragraph_rendered_in_parts_has_the_lines_of_it_rendered_whole(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    spanning = "*" + " ".join(["emphasis over every part"] * 800) + "* after"  # one delimiter pair around all parts
    text = f"# T\n\n{_mixed(rng, 6000)}\n\n{spanning}\n"
    pieces_of.cache_clear()
    parts = pieces_of(text)
    assert [p.lazy for p in parts] == [False, True, True]
    wholes = whole(text, monkeypatch)
    console = Console(width=300, force_terminal=True)
    for width in (40, 97, 173):
        options = console.options.update_width(width)
        for lazy, full in zip(parts[1:], wholes[1:], strict=True):
            expected = drawn(PieceLines(full).lines(console, options))
            lines = LongPieceLines(lazy)
            first = drawn(lines.lines(console, options, 30))
            assert len(first) >= 30 and first == expected[: len(first)]
            if lazy is parts[1]:
                assert not lines.complete(width)  # rendered in parts
            assert drawn(lines.lines(console, options)) == expected
            assert lines.complete(width) and drawn(lines.cached(width) or []) == expected
