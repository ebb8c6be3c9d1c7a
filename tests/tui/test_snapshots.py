"""SVG snapshots of the library, the reader and the ask pane at 120×40, 80×24 and 200×60 (fixed notes, no timings, no cursor blink)."""

from __future__ import annotations

import contextlib

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp

SIZE = (120, 40)
pytestmark = pytest.mark.filterwarnings(
    "ignore:Image.Image.getdata is deprecated:DeprecationWarning"
)


async def steady(pilot: Pilot) -> None:
    """Wait for every worker, then stop cursors blinking so the picture is the same every run."""
    app = pilot.app
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_library(snap_compare, kb: KnowledgeBase) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=SIZE, run_before=run_before)


def test_library_filtered(snap_compare, kb: KnowledgeBase) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press(*"seg")
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=SIZE, run_before=run_before)


SIZES = [(80, 24), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x60"])
def test_library_sizes(snap_compare, kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x60"])
def test_reader_sizes(snap_compare, kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x60"])
def test_cited_passage_sizes(snap_compare, kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")
        await steady(pilot)
        await pilot.press("a", *"How fast is AlphaNet", "question_mark", "enter")
        await steady(pilot)
        await pilot.press("up", "enter")
        await steady(pilot)
        pilot.app.clear_notifications()
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=size, run_before=run_before)


def test_reader(snap_compare, kb: KnowledgeBase) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")  # opens the first note, AlphaNet
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=SIZE, run_before=run_before)


def test_ask_pane(snap_compare, kb: KnowledgeBase) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")
        await steady(pilot)
        await pilot.press("a", *"How fast is AlphaNet", "question_mark", "enter")
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=SIZE, run_before=run_before)


def test_ask_pane_refusal(snap_compare, kb: KnowledgeBase) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("enter")
        await steady(pilot)
        await pilot.press("a", *"What is the capital of France", "question_mark", "enter")
        await steady(pilot)

    assert snap_compare(PapernotesApp(kb, watch=False), terminal_size=SIZE, run_before=run_before)
