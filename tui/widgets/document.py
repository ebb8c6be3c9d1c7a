"""Provides the note document: the body of the note shown as one Line-API widget drawing cached strips."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from indexer.notemodel import Note
from tui.messages import LinkClicked
from tui.note_lines import PICTURE_ROWS, NoteLines
from tui.piece_lines import CITED_BAR, GUTTER, gap_after
from tui.pieces import Piece
from tui.widgets.figures import FigureLayer
from tui.widgets.filling import Filling
from tui.widgets.image_view import images_enabled

logger = logging.getLogger(__name__)


class Spot(NamedTuple):
    """A piece of the note shown, where it is drawn: its first row in the document and the rows it takes."""

    index: int
    piece: Piece
    y: int
    height: int


class NoteDocument(FigureLayer, Filling, Widget):
    """The body of the note shown: rows drawn from strips cached per piece, rendered when first seen.

    Switching notes swaps the layout model (kept for the last few notes), so no widget is mounted or
    laid out for the text; the rest of a note is rendered after its first screen (`Filling`); figures are
    textual-image widgets laid over the rows kept for them (`FigureLayer`).
    """

    COMPONENT_CLASSES = {
        "document--h1",
        "document--h2",
        "document--heading",
        "document--html",
        "document--cited",
        "document--quoted",
        "document--bar",
        "document--caption",
        "document--frame",
    }
    DEFAULT_CSS = """
    NoteDocument {
        height: auto;
        & > .document--heading { text-style: bold; color: $text-primary; }
        & > .document--h1 { text-style: bold underline; color: $text-accent; }
        & > .document--h2 { text-style: bold underline; color: $text-primary; }
        & > .document--html { color: $text-muted; }
        & > .document--cited { background: $warning 12%; }
        & > .document--quoted { background: $warning 30%; }
        & > .document--bar { color: $warning; }
        & > .document--caption { color: $text-muted; text-style: italic; }
        & > .document--frame { color: $secondary; }
        & > .picture { position: absolute; width: auto; height: 14; }
    }
    """

    KEEP = 8
    """Notes whose layout (rendered lines) is kept, so switching back renders nothing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note: Note | None = None
        """The note shown."""
        self.model: NoteLines | None = None
        """Its layout."""
        self.table_of_contents: list[tuple[int, str, str]] = []
        """(level, heading, anchor) of every heading of the note shown."""
        self.cited: set[int] = set()
        """Indexes of the pieces behind the citation shown."""
        self.quoted: set[int] = set()
        """Those of them holding what the answer quotes (marked more strongly)."""
        self.pictures: dict[int, Widget] = {}
        """Figure widgets laid over their rows, by piece index."""
        self._models: OrderedDict[tuple[str, str], NoteLines] = OrderedDict()
        self._strips: dict[tuple[int, int], Strip] = {}
        self._layout_due = False

    # --- showing ---------------------------------------------------------------------------------

    def show(self, note: Note | None, through_line: int | None = None) -> None:
        """Show `note` (None empties the document); its first screen (or the one holding `through_line`) rendered now."""
        self.workers.cancel_group(self, "fill")
        self.workers.cancel_group(self, "decode")
        for picture in self.pictures.values():
            picture.remove()
        self.pictures = {}
        self.note, self.cited, self.quoted, self._strips = note, set(), set(), {}
        self.model = self._model_for(note) if note is not None else None
        self.table_of_contents = self.model.contents() if self.model is not None else []
        model = self.model
        if model is not None:
            for figure in model.figures.values():
                figure.drawn = False
            width = self.content_size.width
            if width > GUTTER:
                model.set_width(width)
                rows = self.screen.size.height
                model.ensure(0, rows, *self._render_args())
                if through_line is not None:
                    self.reveal(model.piece_at_line(through_line) or 0)
            self.call_after_refresh(self._fill_if_shown, model)  # the first paint goes first
            if any(f.reason is None for f in model.figures.values()):
                self.call_after_refresh(self._decode_if_shown, model)  # the first paint goes first
        self.refresh(layout=True)

    def _model_for(self, note: Note) -> NoteLines:
        key = (note.id, note.content_hash)
        model = self._models.pop(key, None) or NoteLines(note, images=images_enabled())
        self._models[key] = model
        while len(self._models) > self.KEEP:
            self._models.popitem(last=False)
        return model

    def prefetch(self, notes: list[Note]) -> Callable[[], None]:
        """Lay out `notes` at the current width; returns the rendering of their first screens, to run in a thread."""
        width = self.content_size.width
        models = []
        for note in notes:
            key = (note.id, note.content_hash)
            if key in self._models:
                continue
            try:
                model = NoteLines(note, images=images_enabled())
            except Exception:  # shown later, where the error gets its card
                logger.exception("cannot prefetch %s", note.rel_path)
                continue
            self._models[key] = model
            self._models.move_to_end(key, last=False)  # the least recent: dropped before any note shown
            if width > GUTTER:
                model.set_width(width)
                models.append(model)
        while len(self._models) > self.KEEP:
            self._models.popitem(last=False)
        console, options = self.app.console, self._text_options(width)
        rows = self.screen.size.height * 2

        def render() -> None:
            for model in models:
                model.prerender(rows, console, options)

        return render

    def _text_options(self, width: int) -> ConsoleOptions:
        return self.app.console_options.update(highlight=False).update_width(max(1, width - GUTTER))

    def _render_args(self) -> tuple[Console, ConsoleOptions, Style]:
        model = self.model
        width = model.width if model is not None else self.content_size.width
        return self.app.console, self._text_options(width), self.get_component_rich_style("document--frame")

    # --- rows ------------------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        model = self.model
        if model is None:
            return 0
        if width != model.width:
            model.set_width(width)
            self._strips = {}
            self._place_pictures()
            if width > GUTTER:  # the rest is rendered at this width (a hidden reader had none to fill at)
                self.call_after_refresh(self._fill_if_shown, model)
        return model.total

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = {}

    def render_lines(self, crop: Region) -> list[Strip]:
        model = self.model
        if model is not None and model.width > GUTTER:
            top = self.styles.padding.top
            anchor = self._anchor()
            if model.ensure(crop.y - top, crop.bottom - top, *self._render_args()):
                self._settled(anchor, layout=False)
                self._styles_cache.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        model = self.model
        width = self.content_size.width
        if model is None or not model.tops or y >= model.total:
            return Strip.blank(width, self.rich_style)
        index, row = model.locate(y)
        strip = self._strips.get((index, row))
        if strip is None:
            strip = self._strip(model, index, row, width)
            self._strips[(index, row)] = strip
        return strip

    def _strip(self, model: NoteLines, index: int, row: int, width: int) -> Strip:
        lines = model.lines_of(index, *self._render_args(), rows=row + 1)
        if row >= len(lines):
            return Strip.blank(width, self.rich_style)
        line = lines[row]
        style = self._style_for(model, index, row)
        if style is not None:
            line = list(Segment.apply_style(line, post_style=style))
        base = self.rich_style
        if index in self.cited:
            cited = self.get_component_rich_style(
                "document--quoted" if index in self.quoted else "document--cited"
            )
            segments = [
                Segment(CITED_BAR, base + self.get_component_rich_style("document--bar")),
                *Segment.apply_style(line, style=base, post_style=cited),
            ]
            fill = base + cited
        else:
            segments = [Segment(" " * GUTTER, base), *Segment.apply_style(line, style=base)]
            fill = base
        used = sum(segment.cell_length for segment in segments)
        if used > width:
            return Strip(segments, used).crop(0, width)
        if used < width:
            segments.append(Segment(" " * (width - used), fill))
        return Strip(segments, width)

    def _style_for(self, model: NoteLines, index: int, row: int) -> Style | None:
        piece = model.pieces[index]
        if piece.kind == "heading":
            return self.get_component_rich_style(
                f"document--h{piece.level}" if piece.level <= 2 else "document--heading"
            )
        if piece.kind == "html":
            return self.get_component_rich_style("document--html")
        figure = model.figures.get(index)
        if figure is not None and figure.reason is None and row == PICTURE_ROWS:
            return self.get_component_rich_style("document--caption")
        return None

    # --- pieces: citations, contents, links --------------------------------------------------------

    def spot(self, index: int) -> Spot:
        """Where piece `index` is drawn now."""
        model = self.model
        assert model is not None
        piece = model.pieces[index]
        return Spot(index, piece, model.tops[index], max(1, model.heights[index] - gap_after(piece)))

    def reveal(self, index: int) -> None:
        """Render piece `index`, the heading of its section and a screen below it (their rows become exact)."""
        model = self.model
        if model is None or model.width <= GUTTER:
            return
        heading = self.heading_before(index)
        first = model.tops[heading if heading is not None else index]
        anchor = self._anchor()
        if model.ensure(first, model.tops[index] + self.screen.size.height, *self._render_args()):
            self._settled(anchor)

    def spots_for_lines(self, first: int, last: int) -> list[Spot]:
        """The pieces inside lines `first`..`last` (1-based, inclusive), else those overlapping them."""
        model = self.model
        if model is None or not model.tops:
            return []
        low, high = first - 1, last
        pieces = [(i, p) for i, p in enumerate(model.pieces) if p.end > p.start]
        inside = [i for i, p in pieces if low <= p.start < high]  # a list's last item ends past its line
        found = inside or [i for i, p in pieces if p.start < high and low < p.end]
        if found:
            self.reveal(found[0])
        return [self.spot(i) for i in found]

    def heading_before(self, index: int) -> int | None:
        """The index of the last heading above piece `index` (the title of its section)."""
        model = self.model
        pieces = model.pieces if model is not None else ()
        return next((i for i in range(index - 1, -1, -1) if pieces[i].kind == "heading"), None)

    def heading_for(self, anchor: str) -> Spot | None:
        """The heading with `anchor` (rendered, with the screen below it)."""
        model = self.model
        if model is None or not model.tops:
            return None
        index = next(
            (i for i, p in enumerate(model.pieces) if p.kind == "heading" and p.anchor == anchor), None
        )
        if index is None:
            return None
        self.reveal(index)
        return self.spot(index)

    def cite(self, indexes: Iterable[int], quoted: Iterable[int] = ()) -> None:
        """Mark the pieces at `indexes` as the cited passage, those at `quoted` (among them) more strongly
        (an empty iterable clears the mark)."""
        cited = set(indexes)
        marked = cited & set(quoted)
        if (cited, marked) != (self.cited, self.quoted):
            self.cited, self.quoted = cited, marked
            self._strips = {}
            self.refresh()

    def text(self) -> str:
        """The note shown as plain text, as drawn (every piece rendered first; tests and debugging)."""
        model = self.model
        if model is None or model.width <= GUTTER:
            return ""
        anchor = self._anchor()
        if model.ensure_all(*self._render_args()):
            self._settled(anchor)
        return "\n".join(self.render_line(y).text.rstrip() for y in range(model.total))

    def row_of(self, text: str) -> int | None:
        """The first document row showing `text` (tests: where to click)."""
        return next((y for y, line in enumerate(self.text().split("\n")) if text in line), None)

    def action_link(self, href: str) -> None:
        """A link in the note was clicked."""
        self.post_message(LinkClicked(href))

