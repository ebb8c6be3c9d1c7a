"""Pilot tests: notes that would look the same in the library list or the palette carry what tells them apart (their file names), only they."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.command import Command, CommandList

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import running, settle, until
from tui.app import PapernotesApp
from tui.widgets.note_list import NoteList

DETR = "End-to-End Object Detection with Transformers"


def note(folder: Path, name: str, title: str, year: int, tags: str = "[detection, transformer, set-prediction]") -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'---\ntitle: "{title}"\nyear: {year}\ntags: {tags}\n---\n\n# {title}\n\n## Idea\n\n{title} in a few words.\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def look_alikes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three DETR notes of the same year (two in different folders with the same file name), two YOLO notes of different years, one other."""
    folder = tmp_path_factory.mktemp("alike") / "notes"
    note(folder, "detr.md", f"DETR: {DETR}", 2020)
    note(folder, "detr-again.md", f"DETR: {DETR}", 2020)
    note(folder, "old/detr.md", f"DETR: {DETR}", 2020)
    note(folder, "yolo.md", "YOLO: You Only Look Once", 2016)
    note(folder, "yolo-2018.md", "YOLO: You Only Look Once", 2018)
    note(folder, "clip.md", "CLIP: Learning Transferable Visual Models", 2021)
    KnowledgeBase(folder).build()
    return folder


def file_shown(row: str) -> str | None:
    """The file name a row shows before its warning mark and year, if any."""
    found = re.search(r"\s(\S+\.md) ⚠ +\d{4}\b", row)
    return found.group(1) if found else None


def drawn(app: PapernotesApp) -> list[str]:
    """The library's rows as drawn on screen."""
    notes = app.main.query_one("#notes", NoteList)
    return [notes.render_line(y).text.rstrip() for y in range(notes.option_count)]


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_notes_that_would_look_the_same_show_their_file_names(look_alikes: Path, size: tuple[int, int]) -> None:
    async with running(look_alikes, size=size) as (app, pilot):
        rows = drawn(app)
        detr = [row for row in rows if "DETR" in row]
        assert len(detr) == 3 and len({re.sub(r"^ *\d+ ", "", row) for row in detr}) == 3  # apart without the numbers
        # two of the file names are alike too: those show their paths (and the shared-title mark stays)
        assert {file_shown(row) for row in detr} == {"detr-again.md", "detr.md", "old/detr.md"}
        others = [row for row in rows if "DETR" not in row]
        assert len(others) == 3 and not any(".md" in row for row in others)  # the years tell the YOLOs apart
        if size[0] >= 200:
            assert all(DETR in row for row in detr)  # room for the whole title
        else:
            assert all("…" in row for row in detr)  # the title is cut, not what tells the rows apart
        await pilot.press(*"again")
        # the filter applies as its box's change message reaches the library: waited for, not assumed done
        assert await until(pilot, lambda: [file_shown(row) for row in drawn(app) if "DETR" in row] == ["detr-again.md"]), drawn(app)


async def test_the_palette_tells_notes_that_read_the_same_apart_by_their_files(look_alikes: Path) -> None:
    async with running(look_alikes, size=(80, 24)) as (app, pilot):
        app.action_open_paper()
        await pilot.pause()
        await pilot.press(*"open")

        def helps_by_row() -> dict[str, list[str]]:
            helps: dict[str, list[str]] = {}
            for option in app.screen.query_one(CommandList).options:
                assert isinstance(option, Command)
                helps.setdefault(str(option.hit.text), []).append(str(option.hit.help))
            return helps

        # every note listed (the search runs in the background: 0.5 s waited can be outlasted on a loaded machine)
        assert await until(pilot, lambda: sum(map(len, helps_by_row().values())) == 6), helps_by_row()
        helps = helps_by_row()
        tags = "2020 · detection, transformer, set-prediction"
        assert sorted(helps[f"Open: DETR  {DETR}"]) == [f"{file} · {tags}" for file in ("detr-again.md", "detr.md", "old/detr.md")]
        assert all(".md" not in help for help in helps["Open: YOLO  You Only Look Once"])  # the years differ


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notes where "graph" starts one title, starts a later word of another and sits inside words of two more."""
    folder = tmp_path_factory.mktemp("graphs") / "notes"
    note(folder, "steg.md", "GAN-based image steganography for enhancing security via pixel-wise deep fusion", 2021, "[]")
    note(folder, "graph_unet.md", "Graph U-Nets", 2019, "[]")
    note(folder, "scene.md", "INSTRUCTSCENE: INSTRUCTION-DRIVEN 3D INDOOR SCENE SYNTHESIS WITH SEMANTIC GRAPH PRIOR", 2024, "[]")
    note(folder, "vgraph.md", "vGraph: A Generative Model for Joint Community Detection and Node Representational Learning", 2019, "[]")
    return folder


async def test_the_filter_lists_the_best_matches_first_and_enter_opens_the_first(graphs: Path) -> None:
    async with running(graphs, size=(120, 30)) as (app, pilot):
        assert [row.split()[1] for row in drawn(app)] == ["GAN-based", "Graph", "INSTRUCTSCENE", "vGraph"]  # reading order
        await pilot.press("down", "down")  # a highlight the filter does not keep: Enter opens the best match
        await pilot.press(*"graph")
        await pilot.pause()
        # the title starting with it, a word starting with it, then inside words (in reading order)
        assert [row.split()[1] for row in drawn(app)] == ["Graph", "INSTRUCTSCENE", "GAN-based", "vGraph"]
        await pilot.press(*" u")
        await pilot.pause()
        rows = drawn(app)
        assert rows[0].split()[1:3] == ["Graph", "U-Nets"] and len(rows) == 4, rows  # "u" is in every title
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "graph_unet"
