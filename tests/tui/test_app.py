"""Pilot tests of the app's flows: browse, filter, read, ask, cite, rebuild, broken notes, sizes."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, OptionList, ProgressBar

from indexer.knowledge import KnowledgeBase
from indexer.store import BuildCancelled, BuildReport
from tui import collector
from tui.app import PapernotesApp
from tui.screens.build_offer import BuildOffer
from tui.screens.help import HelpScreen
from tui.widgets.ask_pane import AskPane
from tui.widgets.conversation import CitationList
from tui.widgets.library import BROKEN_PREFIX
from tui.widgets.note_card import NoteCard, ProblemCard
from tui.widgets.reader import Reader
from tui.widgets.status_line import StatusLine

from .conftest import ALPHA, BETA
from .pilot_kit import SIZE, ask, listed, running, settle, until

pytestmark = pytest.mark.filterwarnings(
    "ignore:Image.Image.getdata is deprecated:DeprecationWarning"
)


def as_text(renderable: object, width: int = 110) -> str:
    """What a rich renderable looks like as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def status_text(app: PapernotesApp) -> str:
    return str(app.main.query_one("#status-text").render())


def card_text(app: PapernotesApp) -> str:
    return str(app.main.query_one(NoteCard).render())


def cited_spots(app: PapernotesApp) -> list:
    return app.main.reader.cited_spots()


def runs_text(app: PapernotesApp) -> str:
    """The note shown, as plain text."""
    return app.main.reader.document.text()


# --- start -------------------------------------------------------------------------------------


def test_the_app_and_its_first_list_import_no_model_parser_or_image_modules(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "alpha.md").write_text(ALPHA, encoding="utf-8")
    (root / "beta.md").write_text(BETA, encoding="utf-8")
    KnowledgeBase(root).catalog()  # parsed once and cached, as after every first start
    heavy = ("torch", "sentence_transformers", "numpy", "markdown_it", "yaml", "rich.markdown", "PIL", "textual_image")
    code = (
        "import sys\nfrom pathlib import Path\nimport tui.app\nfrom indexer.knowledge import KnowledgeBase\n"
        "from tui.workers.notes import QuickList\n"
        "assert QuickList(KnowledgeBase(Path(sys.argv[1]))).wait(60) is not None\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


async def test_first_screen_lists_notes_before_the_model_is_loaded(kb: KnowledgeBase) -> None:
    gate = threading.Event()

    class SlowModel(KnowledgeBase):
        def encoder(self):  # type: ignore[override]
            gate.wait(30)
            return kb.encoder()

    app = PapernotesApp(SlowModel(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: bool(listed(app)))
        assert listed(app)[:4] == ["alpha", "beta", "gamma", "delta"]
        assert "loading model" in status_text(app)
        assert "index up to date" in status_text(app)
        gate.set()
        await settle(app, pilot)
        assert "model ready" in status_text(app)


async def test_the_first_frame_lists_the_notes_before_any_worker_runs(kb: KnowledgeBase) -> None:
    class NoWorkers(PapernotesApp):
        def _load_notes(self) -> None:  # type: ignore[override]
            pass  # no notes worker: what is listed was composed with the first screen

    app = NoWorkers(kb, watch=False)
    # Read in ~0.03 s from when the app is made, well within the first frame's FIRST_FRAME_WAIT, but a loaded
    # machine can take longer (and the frame is then composed without it, rightly): this is about composing with it.
    assert app.quick_list.wait(60) is not None
    async with app.run_test(size=SIZE):
        assert listed(app) == ["alpha", "beta", "gamma", "delta", f"{BROKEN_PREFIX}0"]
        notes = app.main.query_one("#notes", OptionList)
        assert not notes.loading and notes.highlighted == 0
        assert notes.border_title == "Library · 4 notes" and notes.border_subtitle == "1 unreadable"
        assert "index up to date" in status_text(app)
        assert app.collection is None  # nothing parsed
        assert not app.workers  # and no worker ran


async def test_the_collector_held_for_the_start_up_runs_again_once_the_first_frame_is_drawn(kb: KnowledgeBase) -> None:
    collector.hold_start_up()  # as `papernotes tui` does before importing the app
    try:
        assert not gc.isenabled()
        app = PapernotesApp(kb, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_a_slow_quick_list_is_shown_when_it_is_read(kb: KnowledgeBase) -> None:
    gate = threading.Event()

    class SlowCatalog(KnowledgeBase):
        def catalog(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            gate.wait(30)
            return super().catalog(*args, **kwargs)

    app = PapernotesApp(SlowCatalog(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        notes = app.main.query_one("#notes", OptionList)
        assert notes.loading and not listed(app)  # the first frame did not wait for it beyond its bound
        gate.set()
        await settle(app, pilot)
        assert listed(app)[:4] == ["alpha", "beta", "gamma", "delta"]
        assert not notes.loading and "index up to date" in status_text(app)


async def test_library_shows_reading_order_titles_years_tags_and_unreadable_files(
    kb: KnowledgeBase,
) -> None:
    async with running(kb) as (app, pilot):
        assert listed(app) == ["alpha", "beta", "gamma", "delta", f"{BROKEN_PREFIX}0"]
        notes = app.main.query_one("#notes", OptionList)
        first = as_text(notes.get_option_at_index(0).prompt)
        # the short name leads, the rest of the title follows it
        assert first.split()[:4] == ["1", "AlphaNet", "Fast", "Object"]
        assert "2020" in first and "detection, real-time" in first
        assert "⚠" in as_text(notes.get_option_at_index(3).prompt)  # delta has warnings
        assert "broken.md:4" in as_text(notes.get_option_at_index(4).prompt)
        assert "4 notes" in status_text(app) and "1 unreadable" in status_text(app)
        assert app.sub_title == "Library"


# --- browse ------------------------------------------------------------------------------------


async def test_filter_by_title_tag_or_author_then_enter_opens(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        assert isinstance(app.focused, Input)
        await pilot.press(*"segm")
        assert listed(app) == ["beta"]
        app.main.library.clear_filter()
        await pilot.press(*"hopper")  # an author
        assert listed(app) == ["beta"]
        app.main.library.clear_filter()
        await pilot.press(*"nothing like this")
        assert listed(app) == [""]  # just the "no notes match" line
        app.main.library.clear_filter()
        await pilot.press(*"depth", "enter")
        await settle(app, pilot)
        assert app.main.showing_reader
        assert app.main.reader.note is not None and app.main.reader.note.id == "gamma"
        assert app.sub_title.startswith("3 / 4")


async def test_next_previous_home_and_the_ends(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.main.reader
        assert reader.note is not None and reader.note.id == "alpha"
        assert app.sub_title.startswith("1 / 4")
        await pilot.press("p")  # already the first: says so, stays
        await pilot.pause()
        assert reader.note.id == "alpha"
        assert any("first note" in n.message for n in app._notifications)
        await pilot.press("n")
        await settle(app, pilot)
        assert reader.note.id == "beta" and app.sub_title.startswith("2 / 4")
        await pilot.press("right", "right")
        await settle(app, pilot)
        assert reader.note.id == "delta" and app.sub_title.startswith("4 / 4")
        await pilot.press("n")  # the last: says so rather than wrapping
        await pilot.pause()
        assert reader.note.id == "delta"
        assert any("last note" in n.message for n in app._notifications)
        await pilot.press("left")
        await settle(app, pilot)
        assert reader.note.id == "gamma"
        await pilot.press("h")
        await pilot.pause()
        assert not app.main.showing_reader and app.sub_title == "Library"
        notes = app.main.query_one("#notes", OptionList)
        assert notes.highlighted_option is not None and notes.highlighted_option.id == "gamma"


async def test_reader_has_card_contents_and_related_notes_one_key_away(kb: KnowledgeBase) -> None:
    async with running(kb, note="alpha") as (app, pilot):
        card = card_text(app)
        for expected in (
            "AlphaNet: Fast Object Detection",
            "Ada Lovelace, Alan Turing",
            "2020",
            "https://arxiv.org/abs/2001.00001",
            "https://github.com/example/alphanet",
            "Workshop notes (2020)",
            "alpha.md",
            "#detection",
        ):
            assert expected in card
        related = app.main.query_one(NoteCard).related
        assert related and related[0].note_id == "beta"
        assert "1 BetaFormer" in card
        toc = app.main.reader.query_one("#toc")
        assert toc.display
        headings = [title for _, title, _ in app.main.reader.document.table_of_contents]
        assert {"The idea", "Results", "Speed"} <= set(headings)
        await pilot.press("1")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


async def test_reopens_the_last_note_and_remembers_the_theme(
    kb: KnowledgeBase, config_dir: Path
) -> None:
    async with running(kb) as (app, pilot):
        await app.open_note("beta")
        app.action_toggle_theme()
        await pilot.pause()
        await pilot.press("q")
    saved = json.loads((config_dir / "tui.json").read_text())
    assert saved["last_notes"][str(kb.root)] == "beta"
    assert saved["theme"] == "textual-light"

    async with running(kb) as (again, pilot):
        assert again.theme == "textual-light"
        assert again.main.showing_reader
        assert again.main.reader.note is not None and again.main.reader.note.id == "beta"


async def test_links_in_the_card_and_the_note_are_clickable(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = PapernotesApp(kb, watch=False)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.open_note("alpha")
        await settle(app, pilot)
        card = app.main.query_one(NoteCard)
        lines = str(card.render()).split("\n")

        def place(prefix: str, text: str) -> tuple[int, int]:
            row = next(i for i, line in enumerate(lines) if line.startswith(prefix))
            return card.content_region.x + lines[row].index(text) + 1, card.content_region.y + row

        await pilot.click(offset=place("Paper", "https://"))
        assert opened == ["https://arxiv.org/abs/2001.00001"]
        await pilot.click(offset=place("Related", "BetaFormer"))
        await settle(app, pilot)
        reader = app.main.reader
        assert reader.note is not None and reader.note.id == "beta"
        document = reader.document
        row = document.row_of("See AlphaNet")
        assert row is not None
        reader.scroll_exactly(reader.spot_y(document.spot(document.model.locate(row)[0])))
        await pilot.pause()
        line = document.text().split("\n")[row]
        region = document.content_region
        await pilot.click(offset=(region.x + line.index("the paper") + 2, region.y + row))
        assert opened[-1] == "https://arxiv.org/abs/2202.00002"
        await pilot.click(offset=(region.x + line.index("AlphaNet") + 2, region.y + row))
        await settle(app, pilot)
        assert reader.note is not None and reader.note.id == "alpha"


# --- ask ---------------------------------------------------------------------------------------


async def test_ask_answers_with_citations_and_a_citation_opens_the_cited_section(
    kb: KnowledgeBase,
) -> None:
    async with running(kb) as (app, pilot):
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.has_class("-answered") and turn.answer is not None
        assert "142 frames per second" in (turn.answer.text or "")
        citations = turn.query_one(CitationList)
        assert citations.option_count == len(turn.answer.citations) >= 1
        assert "[1] AlphaNet › Results › Speed" in str(citations.get_option_at_index(0).prompt)
        await pilot.press("up")  # from the question box to the latest citations
        assert app.focused is citations
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.main.reader
        assert app.main.showing_reader and reader.note is not None and reader.note.id == "alpha"
        spots = cited_spots(app)
        assert spots, "the cited passage is highlighted"
        cited = turn.answer.citations[0]
        assert all(cited.lines[0] - 1 <= s.piece.start < cited.lines[1] for s in spots)
        top = reader.scroll_y
        assert top > 0
        first = spots[0]
        assert reader.spot_y(first) >= top
        assert reader.spot_y(first) + first.height <= top + reader.scrollable_content_region.height
        assert "▌" in runs_text(app)  # the bar beside the cited lines
        assert any("Cited passage [1]" in n.title for n in app._notifications)


async def test_not_in_your_notes_looks_different(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        turn = await ask(app, pilot, "What is the capital of France?")
        assert turn.has_class("-refused") and not turn.has_class("-answered")
        assert "Not in your notes" in str(turn.query_one(".answer").render())


async def test_scoped_question_only_cites_the_note_being_read(kb: KnowledgeBase) -> None:
    async with running(kb, note="beta") as (app, pilot):
        await pilot.press("a", "ctrl+t")
        assert app.main.ask_pane.scoped
        turn = await ask(app, pilot, "How fast is it?")
        assert turn.answer is not None and not turn.answer.refused
        assert {c.note for c in turn.answer.citations} == {"beta"}
        assert "12 frames per second" in (turn.answer.text or "")
        assert "(in BetaFormer)" in str(turn.query_one(".question").render())
        await pilot.press("ctrl+t")
        assert not app.main.ask_pane.scoped
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.answer is not None and "alpha" in {c.note for c in turn.answer.citations}


async def test_follow_up_questions_use_the_previous_answer(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        first = await ask(app, pilot, "What is BetaFormer?")
        assert first.answer is not None and "beta" in first.answer.notes
        second = await ask(app, pilot, "how fast is it?")
        assert second.answer is not None and second.answer.citations[0].note == "beta"
        turns = app.main.ask_pane.turns
        assert len(turns) == 2 and all(
            t.is_attached and t.display for t in turns
        )  # conversation stays


async def test_escape_cancels_an_answer_in_progress(kb: KnowledgeBase) -> None:
    gate = threading.Event()

    class SlowAnswers(KnowledgeBase):
        def ask(self, question, **kwargs):  # type: ignore[override]
            gate.wait(30)
            return kb.ask(question, **kwargs)

    app = PapernotesApp(SlowAnswers(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_ask()
        await pilot.pause()
        app.main.query_one("#question", Input).value = "How fast is AlphaNet?"
        await pilot.press("enter")
        thinking = app.main.query_one("#thinking")
        assert await until(
            pilot,
            lambda: thinking.display and "Answering" in str(thinking.render()) and " s" in str(thinking.render()),
            seconds=60,  # a deadline for the answer worker and the timer that shows its seconds, on a loaded machine
        )
        await pilot.press("escape")
        await pilot.pause()
        turn = app.main.ask_pane.turns[-1]
        assert turn.has_class("-cancelled") and not thinking.display
        assert app.main.asking  # one level only: the pane stays open
        gate.set()
        await settle(app, pilot)
        assert turn.answer is None  # the late answer is dropped
        await pilot.press("escape")
        assert not app.main.asking


# --- index -------------------------------------------------------------------------------------


async def test_no_index_offers_to_build_and_builds_with_progress(
    fresh_notes: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress: list[tuple[str, int, float | None, bool]] = []
    show_progress = StatusLine.show_progress

    def spy(line: StatusLine, stage: str, done: int, total: int) -> None:
        show_progress(line, stage, done, total)
        bar = line.query_one("#build-progress", ProgressBar)
        progress.append((stage, done, bar.total, bar.display))

    monkeypatch.setattr(StatusLine, "show_progress", spy)
    async with running(fresh_notes) as (app, pilot):
        assert isinstance(app.screen, BuildOffer)
        assert "no index" in status_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not app.state.building and not app.main.query_one("#build-progress").display
        embedding = [p for p in progress if p[0] == "embedding"]
        assert embedding and all(shown for *_, shown in embedding)
        assert embedding[-1][1] == embedding[-1][2] > 0  # done == total at the end
        assert "index up to date" in status_text(app)
        assert any(n.title == "Index updated" for n in app._notifications)
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.has_class("-answered")


async def test_changed_notes_are_reported_and_r_updates_incrementally(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    (notes_copy / "beta.md").write_text(
        (notes_copy / "beta.md").read_text() + "\nBetaFormer was revised.\n"
    )
    async with running(notes_copy) as (app, pilot):
        assert isinstance(app.screen, BuildOffer)
        assert "1 note changed" in str(app.screen.query_one("#offer-message").render())
        await pilot.press("escape")  # not now
        await pilot.pause()
        assert "1 note changed on disk" in status_text(app)
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+r")  # works from the filter box too, where r is a letter
        await settle(app, pilot)
        assert "index up to date" in status_text(app)
        summary = [n.message for n in app._notifications if n.title == "Index updated"]
        assert summary and "1 updated" in summary[0] and "3 unchanged" in summary[0]


async def test_a_running_build_can_be_cancelled(kb: KnowledgeBase) -> None:
    started = threading.Event()

    class SlowBuild(KnowledgeBase):
        def build(self, *, progress=None, cancel=None, **kwargs) -> BuildReport:  # type: ignore[override]
            assert progress is not None and cancel is not None
            progress("embedding", 0, 10)
            started.set()
            cancel.wait(30)
            raise BuildCancelled("index build cancelled; the previous index is unchanged")

    app = PapernotesApp(SlowBuild(kb.root), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.update_index()
        assert await until(pilot, started.is_set)
        assert app.main.query_one("#build-progress").display
        app.main.query_one("#notes").focus()
        await pilot.pause()
        assert app.check_action("cancel_build", ()) and not app.check_action("update_index", ())
        await pilot.press("r")  # r again cancels
        await settle(app, pilot)
        assert not app.state.building
        assert any("cancelled" in n.message for n in app._notifications)


@pytest.mark.slow
async def test_watching_updates_the_index_when_a_note_changes(
    notes_copy: Path, kb: KnowledgeBase
) -> None:
    app = PapernotesApp(KnowledgeBase(notes_copy), watch=True)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(pilot, lambda: app.state.model == "ready" and bool(listed(app)), seconds=120)
        await pilot.pause(0.5)  # let the watcher start
        text = (
            (notes_copy / "alpha.md")
            .read_text()
            .replace("AlphaNet: Fast", "AlphaNet: Very Fast", 1)
        )
        (notes_copy / "alpha.md").write_text(text)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            await pilot.pause(0.2)
            if any(n.title == "Index updated" for n in app._notifications):
                break
        assert any(n.title == "Index updated" for n in app._notifications)
        assert "index up to date" in status_text(app)
        alpha = app.collection.find("alpha") if app.collection else None
        assert alpha is not None and alpha.title == "AlphaNet: Very Fast Object Detection"
        assert len([n for n in app._notifications if n.title == "Index updated"]) == 1
        assert not [
            n for n in app._notifications if n.title == "Index"
        ]  # no noise when nothing changed
    assert app._stop.is_set()


# --- content that misbehaves ------------------------------------------------------------------


async def test_unreadable_file_shows_an_error_card_naming_file_and_line(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        notes = app.main.query_one("#notes", OptionList)
        notes.highlighted = notes.option_count - 1
        await pilot.press("enter")
        await settle(app, pilot)
        card = app.main.query_one(ProblemCard)
        text = str(card.render())
        assert card.display and card.has_class("-error")
        assert "broken.md" in text and "4" in text and "UTF-8" in text
        assert not app.main.query_one(NoteCard).display


async def test_note_warnings_show_with_line_numbers(kb: KnowledgeBase) -> None:
    async with running(kb, note="delta") as (app, pilot):
        card = app.main.query_one(ProblemCard)
        assert card.display and card.has_class("-warning")
        # the unclosed quote of line 2, where it starts (not where YAML gave up)
        assert "line 2: front matter ignored: a quote is never closed" in str(card.render())
        assert app.main.reader.note is not None and app.main.reader.note.title == "Delta Notes"


async def test_markup_and_escape_sequences_in_notes_are_shown_literally(kb: KnowledgeBase) -> None:
    async with running(kb, note="gamma") as (app, pilot):
        shown = runs_text(app)
        flat = " ".join(shown.split())  # as wrapped at the reader's width
        assert "[bold red]L = a + b[/bold red]" in flat
        assert "[@click=app.quit]this is not a link[/]" in flat
        assert "[link=https://example.com]fake links[/link]" in flat
        assert "\x1b" not in shown and "red must not leak" in shown.replace("\n", " ")
        title = "GammaDepth: Depth from [b]Unlabeled[/b] Video"
        assert title in card_text(app).replace("\n", " ") and "#[i]odd[/i]" in card_text(app)
        assert title in app.sub_title
        notes = app.main.query_one("#notes", OptionList)
        assert "GammaDepth  Depth from [b]Unlabeled[/b] Video" in as_text(
            notes.get_option("gamma").prompt, width=200
        )
        assert app.is_running


async def test_images_are_drawn_or_shown_as_placeholders(kb: KnowledgeBase) -> None:
    async with running(kb, note="gamma") as (app, pilot):
        document = app.main.reader.document
        drawn, missing = list(document.model.figures)
        assert list(document.pictures) == [drawn]  # a picture laid over the first figure's rows
        shown = document.text()
        assert "Depth map example" in shown  # its caption
        assert "Missing figure" in shown and "images/missing.png" in shown  # the second's frame


# --- everywhere --------------------------------------------------------------------------------


async def test_help_palette_and_footer(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.main
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Open paper…",
            "Ask a question",
            "Update index",
            "Rebuild index",
            "Toggle theme",
        ):
            assert expected in titles
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        def enabled() -> set[str]:
            return {active.binding.key for active in app.active_bindings.values() if active.enabled}

        app.main.query_one("#notes").focus()
        await pilot.pause()
        keys = enabled()
        assert {"ctrl+a", "ctrl+r", "ctrl+q", "f1"} <= keys  # the list filters: letters are letters
        assert not {"a", "r", "q", "n"} & keys
        app.main.query_one("#filter").focus()
        await pilot.pause()
        keys = enabled()
        assert "q" not in keys and {"ctrl+q", "ctrl+a"} <= keys  # typing: q is a letter, ctrl+q quits
        await pilot.press("enter")
        await settle(app, pilot)
        keys = enabled()
        assert {"a", "r", "q", "n", "p", "ctrl+a"} <= keys  # the reader: letters are commands


async def test_open_paper_from_the_command_palette(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        app.action_open_paper()
        await pilot.pause()
        await pilot.press(*"betaform")
        # the search runs in the background: Enter opens the one hit once it alone is listed
        assert await until(pilot, lambda: app.screen.query_one(CommandList).option_count == 1, seconds=60)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.reader.note is not None and app.main.reader.note.id == "beta"


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_works_small_and_large(kb: KnowledgeBase, size: tuple[int, int]) -> None:
    async with running(kb, size=size) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        turn = await ask(app, pilot, "How fast is AlphaNet?")
        assert turn.has_class("-answered")
        views = app.main.query_one("#views")
        ask_pane = app.main.query_one(AskPane)
        if size[0] < 100:
            assert (
                not views.display and ask_pane.outer_size.width == size[0]
            )  # the pane takes the screen
            await pilot.press("up", "enter")
            await settle(app, pilot)
            assert views.display and not app.main.asking and isinstance(app.focused, Reader)
        else:
            assert views.display and ask_pane.display and app.main.reader.query_one("#toc").display
        assert app.is_running


async def test_the_filter_matches_names_typed_without_their_spaces(kb: KnowledgeBase) -> None:
    """"bigbird" finds Big Bird (the palette did, the library did not): spaces and hyphens inside names aside."""
    async with running(kb) as (app, pilot):
        await pilot.press(*"gracehopper")
        assert listed(app) == ["beta"]
        app.main.library.clear_filter()
        await pilot.press(*"emmy-noether")
        assert listed(app) == ["gamma"]
        app.main.library.clear_filter()
        await pilot.press(*"alpha net")  # a name with no space, typed with one: as before
        assert listed(app) == ["alpha"]
        # F1 and the filter's placeholder name what the filter matches alike
        from tui.screens.help import help_markdown

        placeholder = str(app.main.query_one("#filter", Input).placeholder)
        assert "name, title, year, tag or author" in placeholder
        assert "filter by name (or alias), title, year, tag or author" in help_markdown()


async def test_the_filter_matches_the_year(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press(*"2023")
        assert listed(app) == ["gamma"]
        app.main.library.clear_filter()
        await pilot.press(*"2022 segm")
        assert listed(app) == ["beta"]


async def test_related_notes_that_look_alike_show_their_files(kb: KnowledgeBase) -> None:
    """Two related notes of one title (or one titled as the note read) say which file each is, as the library does."""
    from indexer.knowledge import RelatedNote
    from tui.widgets.note_card import card_content

    async with running(kb) as (app, pilot):
        assert app.collection is not None
        beta = app.collection.find("beta")
        assert beta is not None
        twins = [RelatedNote("alpha", "Attention Is All You Need", 0.9), RelatedNote("gamma", "Attention Is All You Need", 0.8)]
        text = card_content(beta, twins, None, {}).plain
        assert "1 Attention Is All You Need (alpha)  ·  2 Attention Is All You Need (gamma)" in text
        own = card_content(beta, [RelatedNote("alpha", beta.title, 0.9)], None, {}).plain
        assert f"1 {beta.title} (alpha)" in own
        apart = card_content(beta, [RelatedNote("alpha", "AlphaNet", 0.9)], None, {}).plain
        assert "1 AlphaNet" in apart and "(alpha)" not in apart
