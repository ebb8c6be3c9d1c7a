"""Provides the note document: a note's pieces in runs and images, a screenful first and the rest in steps."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.containers import Vertical
from textual.widget import Widget

from indexer.notemodel import Note
from tui.pieces import Piece, pieces_of
from tui.widgets.image_view import ImageBlock
from tui.widgets.run_view import GUTTER, PieceLines, RunView

logger = logging.getLogger(__name__)

FIRST_ROWS = 1.5
"""The first step fills this many screen heights (estimated from source lines), so the first paint is full."""
RUN_ROWS = 30
"""A run holds pieces until about this many rows (estimated): small enough to render one quickly."""
STEP_PARTS = 6
"""Runs and images mounted per step after the first paint; keys and paints go through in between."""
IMAGE_ROWS = 15


def estimated_rows(piece: Piece) -> int:
    """Rows a piece takes, guessed from its source lines (images take their fixed height)."""
    return IMAGE_ROWS if piece.kind == "image" else max(1, piece.end - piece.start) + 1


@dataclass(frozen=True)
class Spot:
    """Where a piece is drawn: its run and index there, or its image block."""

    widget: Widget
    index: int = 0

    @property
    def piece(self) -> Piece:
        """The piece drawn here."""
        widget = self.widget
        return widget.pieces[self.index] if isinstance(widget, RunView) else widget.piece  # type: ignore[attr-defined]

    @property
    def y(self) -> int:
        """Row of the piece inside its widget."""
        return self.widget.piece_y(self.index) if isinstance(self.widget, RunView) else 0

    @property
    def height(self) -> int:
        """Rows the piece takes."""
        widget = self.widget
        return (
            widget.piece_height(self.index)
            if isinstance(widget, RunView)
            else widget.outer_size.height
        )


def _parts(pieces: tuple[Piece, ...]) -> list[list[Piece] | Piece]:
    """Pieces grouped into runs of text (about RUN_ROWS rows each) and images on their own."""
    parts: list[list[Piece] | Piece] = []
    run: list[Piece] = []
    rows = 0
    for piece in pieces:
        if piece.kind == "image":
            if run:
                parts.append(run)
                run, rows = [], 0
            parts.append(piece)
            continue
        if run and rows + estimated_rows(piece) > RUN_ROWS and not (run[-1].kind == "heading"):
            parts.append(run)
            run, rows = [], 0
        run.append(piece)
        rows += estimated_rows(piece)
    if run:
        parts.append(run)
    return parts


class NoteBody(Vertical):
    """The pieces of one note; the first screenful is mounted at once, the rest in steps."""

    DEFAULT_CSS = """
    NoteBody {
        height: auto;
    }
    """

    def __init__(self, note: Note, rows: int, through_line: int | None = None) -> None:
        """Start with the parts filling `rows` rows (and reaching source line `through_line`, if given)."""
        self.note = note
        """The note shown."""
        self.pieces: tuple[Piece, ...] = pieces_of(note.markdown)  # HTML as Markdown, line for line
        """All its pieces, in order."""
        self.parts = _parts(self.pieces)
        """Runs and images, in order."""
        self.mounted = 0
        """How many parts are mounted (always the first ones)."""
        self.first_runs: list[RunView] = []
        """The runs mounted at once (their lines may be rendered ahead, in a thread)."""
        count, filled = 0, 0
        for part in self.parts:
            first = part[0] if isinstance(part, list) else part
            if count and filled >= rows and (through_line is None or first.start > through_line):
                break
            filled += sum(estimated_rows(p) for p in part) if isinstance(part, list) else IMAGE_ROWS
            count += 1
        widgets = self._take(count)
        self.first_runs = [widget for widget in widgets if isinstance(widget, RunView)]
        super().__init__(*widgets)

    def _widget(self, part: list[Piece] | Piece) -> Widget:
        if isinstance(part, list):
            return RunView(part)
        found = next((i for i in self.note.images if i.src == part.src), None)
        return ImageBlock(part, found)

    def _take(self, count: int) -> list[Widget]:
        start = self.mounted
        self.mounted = min(len(self.parts), start + count)
        return [self._widget(part) for part in self.parts[start : self.mounted]]

    @property
    def complete(self) -> bool:
        """Whether every part is mounted."""
        return self.mounted >= len(self.parts)

    def mount_through_line(self, line: int) -> None:
        """Mount every part up to the one holding source line `line` (0-based) now: a jump needs them laid out."""
        needed = 0
        for number, part in enumerate(self.parts):
            first = part[0] if isinstance(part, list) else part
            if first.start > line:
                break
            needed = number + 1
        if needed > self.mounted:
            self.mount_all(self._take(needed - self.mounted))

    @work(exclusive=True, group="mount")
    async def mount_rest(self) -> None:
        """Mount the remaining parts a step at a time, letting keys and paints through in between."""
        while not self.complete:
            await self.mount_all(self._take(STEP_PARTS))
            await asyncio.sleep(0.02)

    def spots(self) -> list[Spot]:
        """Every mounted piece, in order."""
        found: list[Spot] = []
        for child in self.children:
            if isinstance(child, RunView):
                found += [Spot(child, index) for index in range(len(child.pieces))]
            elif isinstance(child, ImageBlock):
                found.append(Spot(child))
        return found


class NoteDocument(Vertical):
    """The note body shown in the reader; the bodies of the last few notes are kept to switch back at once."""

    DEFAULT_CSS = """
    NoteDocument {
        height: auto;
    }
    """

    KEEP = 6
    """Bodies kept mounted (hidden): the last few shown and the prefetched neighbours; each costs its widgets."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note: Note | None = None
        """The note shown."""
        self.body: NoteBody | None = None
        """The body shown."""
        self.table_of_contents: list[tuple[int, str, str]] = []
        """(level, heading, anchor) of every heading of the note shown."""
        self._bodies: list[NoteBody] = []
        """The bodies mounted, least recently shown first."""

    def show(self, note: Note | None, rows: int, through_line: int | None = None) -> None:
        """Show `note` (None empties the document): `rows` rows at once, the rest in steps."""
        self.note = note
        if self.body is not None:
            self.body.display = False
            self.body.workers.cancel_group(self.body, "mount")
        self.body = None
        self.table_of_contents = []
        if note is None:
            return
        key = (note.id, note.content_hash)
        body = next((b for b in self._bodies if (b.note.id, b.note.content_hash) == key), None)
        if body is not None:
            self._bodies.remove(body)
            body.display = True
            if through_line is not None:
                body.mount_through_line(through_line)
        else:
            body = NoteBody(note, rows, through_line)
            self.mount(body)
        self._bodies.append(body)
        self._drop_stale()
        self.body = body
        if not body.complete:
            body.mount_rest()
        self.table_of_contents = [
            (p.level, " ".join(p.text.split()), p.anchor)
            for p in body.pieces
            if p.kind == "heading"
        ]

    def prefetch(self, notes: list[Note], rows: int) -> Callable[[], None]:
        """Mount the first `rows` rows of each of `notes` hidden, so showing one later is a display toggle.

        Returns what renders their text at the width of the runs shown now (cached by width), to run
        in a thread: then showing them paints without rendering Markdown.
        """
        shown = self.body.first_runs if self.body is not None else []
        width = shown[0].size.width if shown else 0
        options = self.app.console_options.update(highlight=False, width=max(1, width))
        inner = options.update_width(max(1, width - GUTTER))
        console = self.app.console
        lines: list[PieceLines] = []
        for note in notes:
            key = (note.id, note.content_hash)
            if any((b.note.id, b.note.content_hash) == key for b in self._bodies):
                continue
            try:
                body = NoteBody(note, rows)
            except Exception:  # shown later, where the error gets its card
                logger.exception("cannot prefetch %s", note.rel_path)
                continue
            body.display = False
            self.mount(body)
            self._bodies.insert(max(0, len(self._bodies) - 1), body)  # the body shown stays last
            lines += [piece for run in body.first_runs for piece in run.lines]
        self._drop_stale()

        def render() -> None:
            for piece in lines if width > GUTTER else []:
                piece.lines(console, inner)

        return render

    def _drop_stale(self) -> None:
        for stale in self._bodies[: -self.KEEP]:
            self._bodies.remove(stale)
            stale.remove()

    def spots(self) -> list[Spot]:
        """The mounted pieces of the note shown, in order."""
        return self.body.spots() if self.body is not None else []

    def spots_for_lines(self, first: int, last: int) -> list[Spot]:
        """The pieces inside lines `first`..`last` (1-based, inclusive), else those overlapping them."""
        if self.body is None:
            return []
        self.body.mount_through_line(last - 1)
        spots = [s for s in self.spots() if s.piece.end > s.piece.start]
        low, high = first - 1, last
        inside = [s for s in spots if low <= s.piece.start and s.piece.end <= high]
        if inside:
            return inside
        return [s for s in spots if s.piece.start < high and low < s.piece.end]

    def heading_before(self, spot: Spot) -> Spot | None:
        """The last heading above `spot` (the title of its section)."""
        heading = None
        for other in self.spots():
            if other == spot:
                break
            if other.piece.kind == "heading":
                heading = other
        return heading

    def heading_for(self, anchor: str) -> Spot | None:
        """The heading with `anchor` (mounting the parts up to it first)."""
        if self.body is None:
            return None
        piece = next(
            (p for p in self.body.pieces if p.kind == "heading" and p.anchor == anchor), None
        )
        if piece is None:
            return None
        self.body.mount_through_line(piece.start)
        return next((s for s in self.spots() if s.piece is piece), None)

    def cite(self, spots: list[Spot]) -> None:
        """Mark `spots` as the cited passage (an empty list clears the mark)."""
        by_widget: dict[Widget, list[int]] = {}
        for spot in spots:
            by_widget.setdefault(spot.widget, []).append(spot.index)
        for body in self._bodies:
            for child in body.children:
                if isinstance(child, RunView):
                    child.set_cited(by_widget.get(child, []))
                elif isinstance(child, ImageBlock):
                    child.set_class(child in by_widget, "-cited")
