"""Pilot set-up shared by the app's tests: start the app on some notes, let it settle, open a note, ask."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled

from bench.notes_gen import long_note
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp
from tui.widgets.ask_pane import AskPane
from tui.widgets.conversation import Turn

SIZE = (120, 40)


def build_long_notes(folder: Path, images: int) -> Path:
    """`folder` with the 400-line note `long` (`images` figures in it) and a one-line note `short`, indexed."""
    long_note(folder, lines=400, images=images)
    (folder / "short.md").write_text("# Short\n\n## Only\n\nOne line.\n", encoding="utf-8")
    KnowledgeBase(folder).build()
    return folder


async def settle(app: PapernotesApp, pilot: Pilot) -> None:
    """Let every worker finish (cancelled ones included) and the screen catch up."""
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Wait for `condition` (workers, the watcher, the palette's search run in the background): a deadline, not a timing check."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def listed(app: PapernotesApp) -> list[str]:
    """Ids of the library's entries, in order."""
    notes = app.main.query_one("#notes", OptionList)
    return [notes.get_option_at_index(i).id or "" for i in range(notes.option_count)]


async def ask(app: PapernotesApp, pilot: Pilot, question: str) -> Turn:
    """Ask `question` through the ask pane and wait for the answer."""
    if isinstance(app.focused, Input):  # typing in a box: "a" would be a letter
        app.action_ask()
    else:
        await pilot.press("a")
    await pilot.pause()
    box = app.main.query_one("#question", Input)
    assert app.focused is box
    box.value = question
    await pilot.press("enter")
    await settle(app, pilot)
    return app.main.query_one(AskPane).turns[-1]


@contextlib.asynccontextmanager
async def running(
    notes: KnowledgeBase | Path, *, size: tuple[int, int] = SIZE, note: str | None = None
) -> AsyncIterator[tuple[PapernotesApp, Pilot]]:
    """The app (not watching) on `notes` under a Pilot, settled, with `note` open in the reader if given."""
    app = PapernotesApp(notes if isinstance(notes, KnowledgeBase) else KnowledgeBase(notes), watch=False)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        if note is not None:
            await app.open_note(note)
            await settle(app, pilot)
        yield app, pilot
