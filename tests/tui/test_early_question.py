"""A question asked while the model loads waits for that one load (no second load beside it) and is answered once it is; a failed load is tried again by the next question."""

from __future__ import annotations

import threading

from textual.widgets import Static

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import SIZE, settle, until
from tui.app import PapernotesApp
from tui.widgets.ask_pane import AskPane


def status_text(app: PapernotesApp) -> str:
    return str(app.main.query_one("#status-text").render())


async def ask_now(app: PapernotesApp, pilot, question: str) -> None:  # noqa: ANN001 - Pilot
    """The question typed as the user does (ctrl+a, the words, Enter), without waiting for anything."""
    await pilot.press("ctrl+a", *question, "enter")


async def test_a_question_asked_before_the_model_is_loaded_waits_for_that_load_and_is_answered(kb: KnowledgeBase) -> None:
    gate = threading.Event()
    loaders: list[str] = []

    class SlowModel(KnowledgeBase):
        def encoder(self):  # type: ignore[override]
            if not gate.is_set():
                loaders.append(threading.current_thread().name)
            gate.wait(30)
            return kb.encoder()

    app = PapernotesApp(SlowModel(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await ask_now(app, pilot, "how fast is AlphaNet")
        pane = app.main.query_one(AskPane)
        # The notes listed and loaded, the model load begun (and held at the gate), the question in the pane: a
        # deadline, not a timing check (the 2 s waited before can be too short for all that on a loaded machine).
        assert await until(pilot, lambda: bool(loaders) and bool(pane.turns), seconds=60)
        await pilot.pause(0.3)  # time for a second load beside it, were the question's worker to start one
        turn = pane.turns[-1]
        assert turn.question == "how fast is AlphaNet" and turn.answer is None
        assert "loading model" in status_text(app)
        assert len(loaders) == 1  # the model's own worker: the question's worker did not load it beside it
        gate.set()
        await settle(app, pilot)
        assert "model ready" in status_text(app)
        assert turn.has_class("-answered") and turn.answer is not None
        assert "142 frames per second" in (turn.answer.text or "")


async def test_a_model_load_that_failed_once_is_tried_again_by_the_next_question(kb: KnowledgeBase) -> None:
    failures = [ImportError("cannot import name 'x' from partially initialized module 'y'")]

    class FlakyModel(KnowledgeBase):
        def encoder(self):  # type: ignore[override]
            if failures:
                raise failures.pop()
            return kb.encoder()

    app = PapernotesApp(FlakyModel(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "model unavailable" in status_text(app)
        await ask_now(app, pilot, "how fast is AlphaNet")
        await settle(app, pilot)
        turn = app.main.query_one(AskPane).turns[-1]
        assert turn.answer is not None and "142 frames per second" in (turn.answer.text or "")
        assert "model ready" in status_text(app)


async def test_a_model_load_that_keeps_failing_says_why_at_every_question(kb: KnowledgeBase) -> None:
    class BrokenModel(KnowledgeBase):
        def encoder(self):  # type: ignore[override]
            raise ImportError("cannot load module more than once per process")

    app = PapernotesApp(BrokenModel(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(2):
            await ask_now(app, pilot, "how fast is AlphaNet")
            await settle(app, pilot)
            turn = app.main.query_one(AskPane).turns[-1]
            said = str(turn.query_one(".answer", Static).render())
            assert turn.has_class("-error") and "cannot load module more than once per process" in said
        assert "model unavailable" in status_text(app)
