"""Pilot tests: going back after a jump, citations marking what they quote, held-down n, no garbage collection while a note is drawn, long notes shown a screenful first, contents, screenshots."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from indexer.answer import Citation
from indexer.knowledge import KnowledgeBase
from tests.tui.pilot_kit import SIZE, ask, build_long_notes, running, settle, until
from tui.app import PapernotesApp
from tui.note_lines import NoteLines
from tui.piece_lines import CITED_BAR
from tui.widgets.contents import Contents
from tui.widgets.image_view import cached_picture

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata is deprecated:DeprecationWarning")


def shown(app: PapernotesApp) -> str | None:
    note = app.main.reader.note
    return note.id if note is not None and app.main.showing_reader else None


async def test_escape_after_a_related_note_goes_back_and_forward_again(kb: KnowledgeBase) -> None:
    async with running(kb, size=(120, 20)) as (app, pilot):
        await pilot.press("enter")  # alpha, from the library
        await settle(app, pilot)
        app.main.reader.scroll_to(y=6, animate=False, immediate=True)
        await pilot.pause()
        where = app.main.reader.scroll_y
        assert where > 0
        await pilot.press("1")  # related: beta
        await settle(app, pilot)
        assert shown(app) == "beta" and app.sub_title.startswith("2 / 4")
        await pilot.press("escape")
        await settle(app, pilot)
        assert shown(app) == "alpha" and app.main.reader.scroll_y == where  # back where we were
        await pilot.press("right_square_bracket")  # forward
        await settle(app, pilot)
        assert shown(app) == "beta"
        await pilot.press("escape", "escape")  # back to alpha, then (nothing further back) the library
        await settle(app, pilot)
        assert not app.main.showing_reader and app.sub_title == "Library"


async def test_a_note_opened_from_the_palette_while_reading_is_a_jump_back_returns_from(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("enter")  # alpha, from the library
        await settle(app, pilot)
        assert shown(app) == "alpha"
        await pilot.press("ctrl+p", *"betaformer")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "beta"
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert shown(app) == "alpha"


async def test_slash_in_the_reader_goes_to_the_library_filter(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "alpha"
        await pilot.press("slash", *"hopper")
        await settle(app, pilot)
        assert not app.main.showing_reader and app.main.library.filter_text == "hopper"
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "beta"


async def test_escape_in_the_library_with_nothing_to_clear_stays_there_and_a_word_typed_next_filters(
    kb: KnowledgeBase,
) -> None:
    """Escape never leaves the library for the note last read: `universal` typed right after ran n, a, l there."""
    app = PapernotesApp(kb, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "n")  # beta
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("escape")  # from the filter to the list
        await pilot.pause()
        assert not app.main.showing_reader
        await pilot.press("escape", *"alpha")
        await settle(app, pilot)
        assert not app.main.showing_reader and not app.main.asking
        assert app.main.library.query_one("#filter").value == "alpha"
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "alpha"


async def test_n_and_p_are_not_jumps_and_the_library_starts_a_new_trail(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        await pilot.press("enter", "n")
        await settle(app, pilot)
        assert shown(app) == "beta"
        await pilot.press("escape")  # no jump was made: out to the library
        await pilot.pause()
        assert not app.main.showing_reader
        await pilot.press("down", "down", "enter")  # from beta, highlighted
        await settle(app, pilot)
        assert shown(app) == "delta" and not app.history.back_places


async def test_escape_after_a_citation_goes_back_to_the_note_it_was_chosen_from(kb: KnowledgeBase) -> None:
    async with running(kb, note="beta") as (app, pilot):
        await ask(app, pilot, "How fast is AlphaNet?")
        await pilot.press("up", "enter")  # the first citation: AlphaNet's speed
        await settle(app, pilot)
        assert shown(app) == "alpha" and app.main.reader.cited_spots()
        await pilot.press("escape")  # still on the citations: back, the pane staying open beside the note
        await settle(app, pilot)
        assert shown(app) == "beta" and not app.main.reader.cited_spots()
        assert app.main.asking and app.main.ask_pane.has_focus_within
        await pilot.press("escape")  # nothing more to go back to: the pane closes
        await pilot.pause()
        assert not app.main.asking and shown(app) == "beta"


def rows_of(app: PapernotesApp, spots: list) -> list[str]:
    """The rows of `spots` as drawn, without the bar beside cited rows."""
    rows = app.main.reader.document.text().split("\n")
    return [row.removeprefix(CITED_BAR) for spot in spots for row in rows[spot.y : spot.y + spot.height]]


def citation_of(note_id: str, app: PapernotesApp, section_label: str, quote: str) -> Citation:
    """A citation of a whole section's passage quoting `quote`, as an answer makes one."""
    note = app.collection.find(note_id) if app.collection else None
    assert note is not None
    section = next(s for s in note.sections if s.label == section_label)
    passage = "\n".join(block.text for block in section.blocks)
    lines = (section.blocks[0].start_line, section.blocks[-1].end_line)
    return Citation(1, note.id, note.title, section.label, note.rel_path, lines, 1.0, quote, passage)


async def test_a_citation_marks_its_whole_passage_and_the_bullet_it_quotes_more_strongly(kb: KnowledgeBase) -> None:
    async with running(kb) as (app, pilot):
        quote = "A light head predicts class scores and box offsets for every anchor point."
        await app.open_note("alpha", citation_of("alpha", app, "How it works", quote))
        await settle(app, pilot)
        reader = app.main.reader
        passage = " ".join(rows_of(app, reader.cited_spots()))
        assert "ResNet backbone" in passage and "light head" in passage
        assert "Non-maximum suppression" in passage  # the list's last item too
        quoted = reader.quoted_spots()
        assert len(quoted) == 1 and "light head predicts" in " ".join(rows_of(app, quoted))
        spot, top = quoted[0], reader.scroll_y
        assert top <= reader.spot_y(spot) and reader.spot_y(spot) + spot.height <= top + reader.scrollable_content_region.height


async def test_a_citation_quoting_a_nested_bullet_far_down_marks_the_item_holding_it(long_notes: Path) -> None:
    async with running(long_notes, size=(120, 40)) as (app, pilot):
        note = app.collection.find("long") if app.collection else None
        assert note is not None
        section = note.sections[-3]
        nested = [block for block in section.blocks if block.depth > 0][-1]  # in the section's last item
        quote = nested.text.split(" See ")[0]
        await app.open_note("long", citation_of("long", app, section.label, quote))
        await settle(app, pilot)
        reader = app.main.reader
        quoted = reader.quoted_spots()
        assert len(quoted) == 1 and quoted[0].piece.start < nested.start_line <= quoted[0].piece.end
        assert quote[:40] in " ".join(" ".join(rows_of(app, quoted)).split())
        assert len(reader.cited_spots()) > 1 and quoted[0] in reader.cited_spots()
        top = reader.scroll_y
        assert top > 100 and top <= reader.spot_y(quoted[0]) < top + reader.scrollable_content_region.height


@pytest.fixture(scope="module")
def six_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("six") / "notes"
    folder.mkdir()
    for number in range(1, 7):
        text = f"# Note {number}\n\n## Part\n\nBody of note {number}.\n"
        (folder / f"n{number}.md").write_text(text, encoding="utf-8")
    KnowledgeBase(folder).build()
    return folder


def bodies(app: PapernotesApp) -> list[str]:
    """Ids of the notes laid out (shown or ahead), least recently shown first."""
    return [model.note.id for model in app.main.reader.document._models.values()]


def rendered(model: NoteLines) -> bool:
    """Whether all of a note's text is rendered at the width it is laid out at."""
    return all(lines.cached(model.inner) is not None for lines in model.texts.values())


async def stay(app: PapernotesApp, pilot: Pilot, neighbours: set[str]) -> None:
    """Stay on the note shown until its `neighbours` are mounted (a reader's moment; a deadline of 30 s)."""
    assert await until(pilot, lambda: neighbours <= set(bodies(app)))
    await settle(app, pilot)


async def test_n_holds_the_garbage_collector_only_until_the_note_is_painted(six_notes: Path) -> None:
    async with running(six_notes) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        collecting: list[bool] = []
        show_note = app.main.show_note

        def spied(*args: object, **kwargs: object) -> None:
            collecting.append(gc.isenabled())
            show_note(*args, **kwargs)  # type: ignore[arg-type]

        app.main.show_note = spied  # type: ignore[method-assign]
        await pilot.press("n")
        await settle(app, pilot)
        assert shown(app) == "n2" and collecting == [False]  # no collection while the note is drawn
        assert gc.isenabled()  # and the collector runs again once it is painted
        assert gc.get_freeze_count() > 0  # the start-up's objects were moved out of its sight


async def test_held_down_n_only_renders_the_note_it_ends_on(six_notes: Path) -> None:
    async with running(six_notes) as (app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown(app) == "n1"
        for _ in range(4):  # all four wait in the queue, as when a key repeats faster than notes render
            app.post_message(events.Key("n", "n"))
        await settle(app, pilot)
        assert shown(app) == "n5" and app.sub_title.startswith("5 / 6")
        # n3 was passed over: no key built it, and it is nobody's neighbour that was settled on.
        # Besides the two notes shown, only neighbours of theirs may be laid out ahead (prefetched).
        assert "n3" not in bodies(app) and bodies(app)[-1] == "n5"
        assert set(bodies(app)) <= {"n1", "n2", "n4", "n5", "n6"}
        card = str(app.main.reader.card.render())
        assert "Note 5" in card and app.main.reader.document.note is app.main.reader.card.note


def toasts(app: PapernotesApp, title: str) -> list[str]:
    """The messages of the toasts titled `title` on screen now."""
    return [n.message for n in app._notifications if n.title == title]


async def test_n_held_at_the_last_note_shows_one_toast_gone_on_moving_away(six_notes: Path) -> None:
    async with running(six_notes, note="n5") as (app, pilot):
        for _ in range(12):  # n held down: one note further, then eleven presses at the end
            app.post_message(events.Key("n", "n"))
        await settle(app, pilot)
        assert shown(app) == "n6" and toasts(app, "End of the notes") == ["This is the last note (6 / 6)."]
        await pilot.press("p")
        await settle(app, pilot)
        assert shown(app) == "n5" and toasts(app, "End of the notes") == []  # no longer true: gone
        await app.open_note("n1")
        await settle(app, pilot)
        for _ in range(5):
            app.post_message(events.Key("p", "p"))
        await settle(app, pilot)
        assert toasts(app, "Start of the notes") == ["This is the first note (1 / 6)."]
        await pilot.press("n")
        await settle(app, pilot)
        assert shown(app) == "n2" and toasts(app, "Start of the notes") == []


async def test_after_a_moment_on_a_note_n_and_p_show_notes_already_rendered(six_notes: Path) -> None:
    async with running(six_notes) as (app, pilot):
        await app.open_note("n3")
        document = app.main.reader.document
        await stay(app, pilot, {"n2", "n4"})
        ahead = {model.note.id: model for model in document._models.values()}
        assert rendered(ahead["n4"]) and rendered(ahead["n2"]) and document.model is ahead["n3"]
        await pilot.press("n")
        await pilot.pause()
        assert document.model is ahead["n4"] and document.note is ahead["n4"].note
        assert app.sub_title.startswith("4 / 6") and app.main.reader.card.note is document.note
        assert [title for _, title, _ in app.main.reader.contents.table_of_contents] == ["Note 4", "Part"]
        await stay(app, pilot, {"n5"})
        assert "n5" in bodies(app) and "Body of note 4." in document.text()
        await pilot.press("p", "p")
        await settle(app, pilot)
        assert shown(app) == "n2" and document.model is ahead["n2"] and app.sub_title.startswith("2 / 6")


@pytest.fixture(scope="module")
def long_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_long_notes(tmp_path_factory.mktemp("long") / "notes", images=10)


async def test_a_long_note_shows_a_screenful_first_then_everything_with_images(long_notes: Path) -> None:
    async with running(long_notes, size=(200, 60)) as (app, pilot):
        await app.open_note("long")
        document = app.main.reader.document
        model = document.model
        assert model is not None and sum(model.exact) < len(model.pieces)  # the first screenful at most, so far
        assert app.main.reader.card.note is not None and app.main.reader.card.note.id == "long"
        assert [title for _, title, _ in app.main.reader.contents.table_of_contents][:2] == [
            "Long Note: 400 Lines with 10 Figures",
            "Section 1",
        ]
        await settle(app, pilot)
        assert all(model.exact)  # the rest rendered after the first paint
        assert len(model.figures) == 10
        assert all(cached_picture(f.image.file) is not None for f in model.figures.values())  # all decoded
        reader = app.main.reader
        for index in model.figures:  # scrolled to, each figure is drawn over the rows kept for it
            reader.scroll_exactly(reader.spot_y(document.spot(index)))
            await pilot.pause()
            picture = document.pictures.get(index)
            assert picture is not None and model.figures[index].drawn
            assert picture.region.y == document.content_region.y + model.tops[index]
        assert len(document.pictures) < 10  # only those near the view have widgets
        text = document.text()
        assert "Section 1" in text and "def step(x):" in text and "FPS" in text


async def test_a_citation_near_the_end_of_a_long_note_is_shown_at_once(long_notes: Path) -> None:
    async with running(long_notes, size=(200, 60)) as (app, pilot):
        note = app.collection.find("long") if app.collection else None
        assert note is not None
        section = note.sections[-2]
        block = section.blocks[0]
        citation = Citation(
            1, note.id, note.title, section.label, note.rel_path,
            (block.start_line, block.end_line), 1.0, block.text, block.text,
        )
        await app.open_note("long", citation)
        await settle(app, pilot)
        reader = app.main.reader
        spots = reader.cited_spots()
        assert spots and all(block.start_line - 1 <= s.piece.start < block.end_line for s in spots)
        top = reader.scroll_y
        assert top > 100 and reader.spot_y(spots[0]) >= top
        assert reader.spot_y(spots[0]) + spots[0].height <= top + reader.scrollable_content_region.height


async def test_page_down_pressed_quickly_moves_a_page_each_and_home_jumps_at_once(long_notes: Path) -> None:
    async with running(long_notes, size=(120, 40), note="long") as (app, pilot):
        reader = app.main.reader
        reader.focus()
        page = reader.scrollable_content_region.height
        for _ in range(3):  # all three waiting at once: faster than any scroll animation
            app.post_message(events.Key("pagedown", None))
        await pilot.pause()
        assert reader.scroll_y == 3 * page
        app.post_message(events.Key("home", None))
        await pilot.pause()
        assert reader.scroll_y == 0


async def test_end_of_a_long_note_opened_at_once_shows_its_last_lines(long_notes: Path) -> None:
    """End pressed before the rest of the note is rendered: once heights settle, the view is at the real end."""
    async with running(long_notes, size=(120, 40)) as (app, pilot):
        await app.open_note("long")
        await pilot.pause()
        await pilot.press("end")
        await settle(app, pilot)
        await pilot.press("end")  # the end laid out now
        await settle(app, pilot)
        reader, document = app.main.reader, app.main.reader.document
        model = document.model
        assert model is not None and all(model.exact)
        assert document.content_size.height == model.total  # laid out at its rendered height
        assert reader.scroll_y == reader.max_scroll_y > 0
        rows = document.text().split("\n")
        last = max(y for y, line in enumerate(rows) if line.strip())
        assert "return x * 2" in rows[last]  # the note's last line…
        top = reader.scroll_y - document.virtual_region.y - 1
        assert top <= last < top + reader.scrollable_content_region.height  # …is on screen


async def test_contents_jump_to_a_heading_and_are_sized_to_the_terminal(long_notes: Path) -> None:
    widths = {}
    for size in ((120, 40), (200, 60)):
        async with running(long_notes, size=size, note="long") as (app, pilot):
            contents = app.main.reader.query_one(Contents)
            widths[size[0]] = contents.outer_size.width
            target = next(i for i, (_, t, _) in enumerate(contents.table_of_contents) if t == "Section 9")
            contents.highlighted = target
            app.main.set_focus(contents)
            await pilot.press("enter")
            await settle(app, pilot)
            heading = app.main.reader.document.heading_for("section-9")
            assert heading is not None and app.main.reader.scroll_y == app.main.reader.spot_y(heading)
    assert widths[200] > widths[120] >= 20  # at 200 columns the contents use the room


async def test_screenshot_says_where_it_went(kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no Downloads folder there
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    async with running(kb) as (app, pilot):
        app.action_screenshot()
        await pilot.pause()
        saved = [n for n in app._notifications if n.title == "Screenshot saved"]
        assert saved and Path(saved[0].message).parent == tmp_path and Path(saved[0].message).is_file()
        monkeypatch.setenv("PAPERNOTES_SCREENSHOT_DIR", str(tmp_path / "file.txt" / "sub"))
        (tmp_path / "file.txt").write_text("not a folder")
        app.action_screenshot()
        await pilot.pause()
        failed = [n for n in app._notifications if n.title == "Screenshot not saved"]
        assert failed and "file.txt" in failed[0].message


async def test_the_list_and_the_last_note_show_before_every_note_is_parsed(
    notes_copy: Path, config_dir: Path
) -> None:
    import threading

    KnowledgeBase(notes_copy).catalog()  # a previous run left the catalog's records
    gate = threading.Event()

    class SlowParse(KnowledgeBase):
        def notes(self):  # type: ignore[override]
            gate.wait(30)
            return super().notes()

    async with running(notes_copy) as (first, pilot):
        await first.open_note("beta")
        await pilot.press("q")
    app = PapernotesApp(SlowParse(notes_copy), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        # shown, then rendered once the reader has its width (a frame or two later: on a loaded machine, not at once)
        assert await until(pilot, lambda: shown(app) == "beta" and "BetaFormer" in app.main.reader.document.text())
        assert app.collection is None  # still parsing…
        assert app.sub_title.startswith("2 / 4")
        assert app.main.query_one("#notes").option_count == 5  # 4 notes and the unreadable file
        await app.open_note("gamma")  # asked for now, opened once everything is parsed
        gate.set()
        await settle(app, pilot)
        assert app.collection is not None and shown(app) == "gamma"
