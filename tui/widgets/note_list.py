"""Provides the note list: one line per note, laid out once per row and drawn only while on screen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.text import one_line, short_title

YEAR_WIDTH = 4
GAP = 1
"""Columns between two cells of a row."""
WARNING = " ⚠"


@dataclass(frozen=True, slots=True)
class NoteRow:
    """What a library line shows of one note, and what the filter searches."""

    id: str
    position: int
    name: str
    rest: str
    """The paper title without the short name it starts with ("" when it adds nothing)."""
    year: str
    tags: str
    warned: bool
    haystack: str
    """Short name, title, id, year, tags, authors and aliases, lowercase."""
    apart: str = ""
    """What tells the row from another that would look the same (its file name; see `note_rows`), "" for most rows."""

    @classmethod
    def of(cls, position: int, note: Any) -> NoteRow:
        """The row of a parsed note or a catalog record (anything with id, title, meta and warnings)."""
        meta = note.meta
        name = short_title(note)
        title = one_line(note.title)
        rest = title
        if title.lower().startswith(name.lower()):
            rest = title[len(name) :].lstrip(" :–—-")
        if rest.lower() == name.lower():
            rest = ""
        year = str(meta.year) if meta.year else ""
        tags = [one_line(str(t)) for t in meta.tags]
        words = [name, note.title, note.id, year, *tags, *map(str, meta.authors), *map(str, meta.aliases)]
        return cls(note.id, position, name, rest, year, ", ".join(tags), bool(note.warnings), " ".join(words).lower())

    def matches(self, terms: Iterable[str]) -> bool:
        """Whether every (lowercase) term occurs in the row's haystack, spaces and hyphens inside names aside
        ("bigbird" finds Big Bird, "gracehopper" Grace Hopper, as the palette's fuzzy match does)."""
        squashed = squash(self.haystack)
        return all(term in self.haystack or squash(term) in squashed for term in terms)

    def rank(self, terms: Sequence[str]) -> int:
        """How well the row matches `terms` (lowercase; lower is better): 0 when its name or title starts
        with them ("graph u" and Graph U-Nets), 1 when each starts a word of it, 2 for matches inside words
        ("graph" in steganography)."""
        query = " ".join(terms)
        if any(squash(text.lower()).startswith(squash(query)) for text in (self.name, self.rest)):
            return 0
        return 1 if all(re.search(rf"(?<![^\W_]){re.escape(term)}", self.haystack) for term in terms) else 2

    @property
    def looks(self) -> tuple[str, str, str]:
        """What the row shows that tells notes apart: short name, title and year (tags may be cut)."""
        return self.name.casefold(), self.rest.casefold(), self.year

    @property
    def title_cells(self) -> int:
        """Columns the short name, the title, what tells the row apart and the warning mark need."""
        text = self.name + ("  " + self.rest if self.rest else "") + ("  " + self.apart if self.apart else "")
        return Text(text + (WARNING if self.warned else "")).cell_len


_INSIDE_NAMES = re.compile(r"[\s\-‐–—_]+")
"""What a name may be written with or without: Big Bird / BigBird, Style-GAN / StyleGAN."""


def squash(text: str) -> str:
    """`text` without spaces, hyphens and underscores (what the filter also matches against)."""
    return _INSIDE_NAMES.sub("", text)


def note_rows(notes: Sequence[Any]) -> list[NoteRow]:
    """The rows of `notes` (parsed notes or catalog records), numbered from 1; rows that would look the
    same (name, title and year) carry their file names (their paths when the file names are alike too)."""
    rows = [NoteRow.of(position, note) for position, note in enumerate(notes, start=1)]
    alike: dict[tuple[str, str, str], list[int]] = {}
    for index, row in enumerate(rows):
        alike.setdefault(row.looks, []).append(index)
    for same in alike.values():
        if len(same) < 2:
            continue
        paths = [one_line(notes[i].rel_path) for i in same]
        names = [PurePosixPath(path).name for path in paths]
        apart = names if len({name.casefold() for name in names}) == len(names) else paths
        for index, text in zip(same, apart, strict=True):
            rows[index] = replace(rows[index], apart=text)
    return rows


class Columns:
    """The widths all rows of a list share: position digits, and the tags' column sized to the width."""

    def __init__(self, rows: Sequence[NoteRow]) -> None:
        self.digits = len(str(max((r.position for r in rows), default=0)))
        self.tags = max((Text(r.tags).cell_len for r in rows), default=0)
        self.titles = max((r.title_cells for r in rows), default=0)

    def tags_width(self, width: int) -> int:
        """Columns for the tags in a line `width` wide: what the longest needs when every title fits
        beside it, else what the titles leave (at least a quarter of the room); 0 without tags."""
        if not self.tags:
            return 0
        room = width - self.digits - YEAR_WIDTH - 3 * GAP
        if self.titles + self.tags <= room:
            return self.tags
        return max(1, min(self.tags, max(room // 4, room - self.titles)))

    def line(self, row: NoteRow, width: int, style: RichStyle | str = "") -> Text:
        """`row` laid out in exactly `width` cells: position, name and title (the rest), year, tags."""
        tags = self.tags_width(width)
        title_width = width - self.digits - YEAR_WIDTH - 2 * GAP - (tags + GAP if tags else 0)
        line = Text(style=style, no_wrap=True, end="")
        line.append(str(row.position).rjust(self.digits), "dim")
        line.append(" " * GAP)
        line.append_text(_title_cell(row, max(1, title_width)))
        line.append(" " * GAP)
        line.append(row.year.ljust(YEAR_WIDTH), "dim")
        if tags:
            cell = Text(row.tags, style="italic")
            cell.truncate(tags, overflow="ellipsis", pad=True)
            line.append(" " * GAP)
            line.append_text(cell)
        line.truncate(width, pad=True)
        return line


def _title_cell(row: NoteRow, width: int) -> Text:
    """The short name in bold, the title dimmer after it, cut to `width`; what tells the row apart
    (its file name, dim and italic) and the warning mark always show."""
    tail = Text()
    if row.apart:
        tail.append("  ")
        tail.append(row.apart, style="dim italic")
    if row.warned:
        tail.append(WARNING, style="bold yellow")
    cell = Text(row.name, style="bold")
    if row.rest:
        cell.append("  ")
        cell.append(row.rest, style="dim")
    cell.truncate(max(1, width - tail.cell_len), overflow="ellipsis")
    cell.append_text(tail)
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


class NoteOption(Option):
    """A note's line in the list; its prompt is laid out for whatever width it is drawn at."""

    def __init__(self, row: NoteRow, columns: Columns) -> None:
        super().__init__("", id=row.id)
        self.row = row
        self.columns = columns

    @property
    def prompt(self) -> _RowPrompt:  # type: ignore[override]
        return _RowPrompt(self.row, self.columns)


@dataclass(frozen=True)
class _RowPrompt:
    """A row as a Rich renderable (one line, as wide as it is given)."""

    row: NoteRow
    columns: Columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.columns.line(self.row, options.max_width)


class NoteList(OptionList):
    """The list of notes; typing here filters too (the keys go to the filter box, in order).

    Every row is one line laid out from its `NoteRow` when it comes on screen, so listing 1,000
    notes costs what drawing the ~50 visible ones does (a Rich table per row, measured and
    rendered by OptionList for every row, took 0.2 s per refill and ~3 ms per drawn row).
    """

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        for index in range(len(cache.lines), len(self.options)):
            cache.index_to_line[index] = index
            cache.heights[index] = 1
            cache.lines.append((index, 0))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(cache.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.option_count

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        if not isinstance(option, NoteOption):
            return super()._get_option_render(option, style)
        width = self.scrollable_content_region.width
        padding = self.get_component_styles("option-list--option").padding
        key = (option, style, padding)
        strips = self._option_render_cache.get(key)
        if strips is None:
            base = style.rich_style
            text = option.columns.line(option.row, max(1, width - padding.width), base)
            segments = [Segment(" " * padding.left, base), *text.render(self.app.console), Segment(" " * padding.right, base)]
            strip = Strip(segments).extend_cell_length(width, base).crop(0, width)
            strips = [strip.apply_meta({"option": self._option_to_index[option]})]
            self._option_render_cache[key] = strips
        return strips

    def on_key(self, event: events.Key) -> None:
        box = self.screen.query_one("#filter", Input)
        if event.character == "/" or (event.is_printable and event.character and event.key != "space"):
            event.stop()
            event.prevent_default()
            if self.screen.focused is not box:
                # At once: the keys after this one go straight to the box. They go on with the filter: its text
                # is not selected on focus (the box reads its focus after this letter, which would be typed over).
                box.select_on_focus = False
                self.screen.set_focus(box)
                box.call_later(setattr, box, "select_on_focus", True)
            if event.character != "/":
                box.insert_text_at_cursor(event.character)
