"""Notes changed while the app was closed: caught up at start-up as the running app catches up, no dialog, one toast."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.widgets import Input

from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import SIZE, listed, running
from tests.tui.pilot_kit import settle as settle_all
from tests.tui.test_live_state import RecordingApp, settle, until
from tui.app import PapernotesApp
from tui.config import load_config, save_config
from tui.screens.build_offer import BuildOffer
from tui.widgets.library import BROKEN_PREFIX
from tui.widgets.status_line import status_text


class OfferWatch(RecordingApp):
    """The watching app, remembering every screen it pushed."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self.pushed: list[Screen[object]] = []

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.pushed.append(screen)
        return super().push_screen(screen, *args, **kwargs)


def closed_on(notes: Path, note_id: str) -> None:
    """The app was last closed showing `note_id` (it reopens it)."""
    config = load_config()
    config.remember_note(notes, note_id)
    save_config(config)


def related_ids(app: PapernotesApp) -> list[str]:
    return [item.note_id for item in app.main.reader.card.related or []]


async def test_a_note_deleted_while_closed_is_caught_up_with_one_toast_naming_it(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    assert "gamma" in [r.note_id for r in KnowledgeBase(notes_copy).related("alpha")]
    closed_on(notes_copy, "alpha")
    (notes_copy / "gamma.md").unlink()
    app = OfferWatch(KnowledgeBase(notes_copy))
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.collection is not None and not app.state.building and "index up to date" in status_text(app.state)[0])
        await settle(app, pilot)
        assert not any(isinstance(screen, BuildOffer) for screen in app.pushed)
        updates = [text for title, text in zip(app.toasts, app.toast_texts, strict=True) if title == "Index updated"]
        assert len(updates) == 1 and "Removed gamma." in updates[0], app.toast_texts
        assert app.main.reader.note is not None and app.main.reader.note.id == "alpha"
        assert related_ids(app) and "gamma" not in related_ids(app)


async def test_keys_typed_at_start_with_a_note_deleted_go_where_typed(notes_copy: Path, kb: KnowledgeBase) -> None:
    """The tester's Escape (to the library) then a filter: no dialog takes the Escape."""
    closed_on(notes_copy, "alpha")
    (notes_copy / "gamma.md").unlink()
    app = OfferWatch(KnowledgeBase(notes_copy))
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.collection is not None and app.main.showing_reader)
        await settle(app, pilot)
        await pilot.press("escape", "b", "e", "t")
        await settle(app, pilot)
        assert app.screen is app.main and not app.main.showing_reader
        assert isinstance(app.focused, Input) and app.main.library.filter_text == "bet"
        assert listed(app) == ["beta"]


async def test_without_the_watcher_the_offer_says_what_changed_and_related_skips_gone_notes(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    (notes_copy / "gamma.md").unlink()
    (notes_copy / "aardvark.md").write_text("# Aardvark\n\nAardvark sorts first.\n", encoding="utf-8")
    async with running(notes_copy) as (app, pilot):  # not watching: the app never updates by itself
        assert isinstance(app.screen, BuildOffer)
        message = str(app.screen.query_one("#offer-message").render())
        assert "1 note added, 1 deleted since the last build (aardvark, gamma)." in message
        await pilot.press("escape")
        await settle_all(app, pilot)
        assert "1 note added, 1 deleted on disk" in status_text(app.state)[0]
        await app.open_note("alpha")
        await settle_all(app, pilot)
        assert related_ids(app) and "gamma" not in related_ids(app)  # the index still holds it
        assert "gamma" not in str(app.main.reader.card.render())


async def test_a_note_saved_not_as_utf8_is_told_and_listed_and_left_as_it_is(notes_copy: Path, kb: KnowledgeBase) -> None:
    """Finding 19: a Latin-1 file appearing while the app runs gets a toast naming file, line and why, and a ⚠ row."""
    data = b"# Caf\xe9 Latin1 \xff\n\nSome latin-1 text \xe9t\xe9.\n"
    app = OfferWatch(KnowledgeBase(notes_copy))
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.state.model == "ready" and bool(listed(app)))
        await settle(app, pilot)
        await pilot.pause(0.5)  # let the watcher start
        (notes_copy / "latin1.md").write_bytes(data)
        assert await until(pilot, lambda: "Unreadable note" in app.toasts)
        said = app.toast_texts[app.toasts.index("Unreadable note")]
        assert "latin1.md:1: not valid UTF-8 (byte 0xe9); skipped (save the file as UTF-8)" in said and "end of the library" in said
        assert app.toasts.count("Unreadable note") == 1
        assert sum(1 for entry in listed(app) if entry.startswith(BROKEN_PREFIX)) == 2  # broken.md and latin1.md
        assert "2 unreadable (end of library)" in status_text(app.state)[0]
    assert (notes_copy / "latin1.md").read_bytes() == data  # never rewritten
