"""Pilot tests: the command palette finds a note by what the library filter finds it by, its short name first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import Command, CommandList

from tests.tui.pilot_kit import running, settle, until
from tui.app import PapernotesApp

NOTES = {
    "CICERO.md": ("Human-level play in the game of Diplomacy by combining language models with strategic reasoning", 2022, "CICERO plays Diplomacy."),
    "florence.md": ("Do you know that Florence is packed with visitors? Evaluating models of speaker commitment", 2019, "Florence is busy."),
    "srn.md": ("Scene Representation Networks: Continuous 3D-Structure-Aware Neural Scene Representations", 2019, "Scenes as functions."),
    "vgraph.md": ("vGraph: A Generative Model for Joint Community Detection and Node Representational Learning", 2019, "Communities."),
}


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four notes whose titles the letters of "cicero" are scattered through; only one's file is CICERO.md."""
    folder = tmp_path_factory.mktemp("palette") / "notes"
    folder.mkdir()
    for name, (title, year, body) in NOTES.items():
        (folder / name).write_text(f'---\ntitle: "{title}"\nyear: {year}\n---\n\n# {title}\n\n## Idea\n\n{body}\n', encoding="utf-8")
    return folder


async def type_in_palette(app: PapernotesApp, pilot: object, query: str) -> None:
    """`query` typed into Open paper…, palette left open (its search runs in the background)."""
    app.action_open_paper()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press(*query)  # type: ignore[attr-defined]


def rows(app: PapernotesApp) -> list[str]:
    """The palette's rows (plain text, best first)."""
    options = app.screen.query_one(CommandList).options
    return [str(option.hit.text) for option in options if isinstance(option, Command)]


async def test_the_palette_finds_a_note_by_its_file_name_and_shows_its_short_name_first(notes: Path) -> None:
    async with running(notes, size=(120, 30)) as (app, pilot):
        await type_in_palette(app, pilot, "cicero")
        # before the titles "cicero" is scattered through; the search runs in the background (0.5 s waited, as before,
        # can be outlasted on a loaded machine): a deadline, not a timing check
        assert await until(pilot, lambda: rows(app)[:1] == [f"Open: CICERO  {NOTES['CICERO.md'][0]}"]), rows(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "CICERO"


@pytest.mark.parametrize(
    ("query", "first"),
    [("2022", "Open: CICERO"), ("srn", "Open: SRN  Scene Representation"), ("scene repr", "Open: SRN  Scene Representation"), ("vgraph", "Open: vGraph  A Generative")],
)
async def test_the_palette_matches_year_name_and_title_as_the_library_does(notes: Path, query: str, first: str) -> None:
    async with running(notes, size=(120, 30)) as (app, pilot):
        await type_in_palette(app, pilot, query)
        assert await until(pilot, lambda: rows(app)[:1] != [] and rows(app)[0].startswith(first)), rows(app)
