"""Provides the reader: a note's header card, problems, body and table of contents, changed together."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable
from pathlib import PurePosixPath

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from indexer.answer import Citation
from indexer.chunking import ABOUT_SECTION
from indexer.errors import NoteError
from indexer.notemodel import Note
from tui.citations import quoted_lines
from tui.messages import HeadingChosen, LinkClicked, OpenNote
from tui.widgets.contents import Contents
from tui.widgets.document import NoteDocument, Spot
from tui.widgets.filling import shift_scroll
from tui.widgets.note_card import NoteCard, ProblemCard

logger = logging.getLogger(__name__)

CITED = "-cited"
"""CSS class of the pieces behind the citation being shown."""


class Reader(VerticalScroll):
    """One note: card, problems, body; a table of contents docked on the left."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note: Note | None = None
        """The note shown (None for an unreadable file or before the first)."""
        self.error: NoteError | None = None
        """The unreadable file shown, if that is what is shown."""
        self.citation: Citation | None = None
        """The citation highlighted, if any."""

    def compose(self) -> ComposeResult:
        yield NoteCard(id="card")
        yield ProblemCard(id="problems")
        yield NoteDocument(id="document")
        toc = Contents(id="toc")
        toc.border_title = "Contents"
        yield toc

    @property
    def document(self) -> NoteDocument:
        """The note body."""
        return self.query_one(NoteDocument)

    @property
    def card(self) -> NoteCard:
        """The header card."""
        return self.query_one(NoteCard)

    @property
    def contents(self) -> Contents:
        """The table of contents."""
        return self.query_one(Contents)

    def show_note(
        self,
        note: Note,
        citation: Citation | None = None,
        *,
        keep_scroll: bool = False,
        scroll_y: float | None = None,
    ) -> None:
        """Show `note` with card, contents and body changed in one go.

        With a citation, scroll to its passage and highlight it; else go to `scroll_y`, keep the
        scroll (`keep_scroll`) or start at the top.
        """
        old_y = self.scroll_y
        same = self.error is None and self.note is not None and self.note.id == note.id
        keep_related = same
        related, related_note = self.card.related, self.card.related_note
        self.note, self.error = note, None
        self.card.show(note)
        if keep_related:
            self.card.set_related(related, related_note)
        self.query_one(ProblemCard).show_warnings(note)
        through = (quoted_lines(note, citation) or citation.lines)[1] - 1 if citation is not None else None
        try:
            self.document.show(note, through)
        except Exception as error:  # never let one note's content take the app down
            logger.exception("cannot render %s", note.rel_path)
            self.document.show(None)
            self.query_one(ProblemCard).show_error(
                NoteError(f"{note.rel_path}: cannot be shown ({error})")
            )
        self.contents.show(self.document.table_of_contents, self.screen.size.width)
        self.clear_highlight()
        if citation is not None:
            self.citation = citation
            self.call_after_refresh(self._highlight, citation)
        elif scroll_y is not None or keep_scroll:
            target = scroll_y if scroll_y is not None else old_y
            self.scroll_to(y=target, animate=False, immediate=True)
            self.call_after_refresh(self.scroll_to, y=target, animate=False)
        else:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.document.view_moved()

    # Page and Home/End jump at once: animated, Home/End took ~1 s in a long note, and a second
    # PageDown during the animation started from where the view was, not where it was going.
    def action_page_down(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height, animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value) and self.is_mounted:
            self.document.view_moved()

    def prefetch(self, notes: list[Note]) -> Callable[[], None]:
        """Lay out `notes` ahead (showing one then renders little); returns the rendering of their
        first screens at the current width, to run in a thread."""
        return self.document.prefetch(notes)

    def show_error(self, error: NoteError) -> None:
        """Show the error card of an unreadable file."""
        self.note, self.error, self.citation = None, error, None
        self.card.display = False
        self.query_one(ProblemCard).show_error(error)
        self.document.show(None)
        self.contents.show([], self.screen.size.width)
        self.scroll_to(y=0, animate=False, immediate=True)

    def clear_highlight(self) -> None:
        """Remove the citation highlight."""
        self.citation = None
        self.card.remove_class(CITED)
        self.document.cite([])

    def cited_spots(self) -> list[Spot]:
        """The pieces highlighted as the cited passage."""
        document = self.document
        return [document.spot(index) for index in sorted(document.cited)]

    def quoted_spots(self) -> list[Spot]:
        """The pieces of the cited passage holding what the answer quotes (marked more strongly)."""
        document = self.document
        return [document.spot(index) for index in sorted(document.quoted)]

    def _highlight(self, citation: Citation) -> None:
        """Highlight the cited passage, the block holding the quoted sentence more strongly, and scroll to
        that block with its section's heading when it fits (the card for the About passage)."""
        if self.citation is not citation:
            return
        document = self.document
        if document.model is not None and not document.model.tops:
            # Not laid out yet (the reader was hidden, its layout still to come): no passage would be found.
            document.when_laid_out(lambda: self._highlight(citation))
            return
        about = citation.section == ABOUT_SECTION
        spots = [] if about else document.spots_for_lines(*citation.lines)
        if not spots:
            self.card.add_class(CITED)
            self.scroll_home(animate=False)
            return
        lines = quoted_lines(self.note, citation)
        quoted = document.spots_for_lines(*lines) if lines is not None else []
        document.cite((spot.index for spot in spots), (spot.index for spot in quoted))
        self._scroll_to_spot((quoted or spots)[0].index, citation)

    def _scroll_to_spot(self, index: int, citation: Citation | None = None) -> None:
        """Scroll so piece `index` shows, with its section heading when both fit."""
        if citation is not None and self.citation is not citation:
            return
        document = self.document
        document.reveal(index)
        target = document.spot(index)
        top = self.spot_y(target)
        heading = document.heading_before(index)
        if heading is not None:
            above = self.spot_y(document.spot(heading))
            if 0 <= top - above and top - above + target.height <= self.scrollable_content_region.height - 1:
                top = above
        self.scroll_exactly(top)

    def scroll_exactly(self, y: int) -> None:
        """Scroll to `y` now (or as far as the note goes), also past the end laid out so far: rows just
        rendered may not be laid out yet."""
        document = self.document
        rows = document.model.total if document.model is not None else 0
        end = document.virtual_region.y + rows + document.styles.padding.top + document.styles.padding.bottom
        y = max(0, min(y, end - self.scrollable_content_region.height))
        if y <= self.max_scroll_y:
            self.scroll_to(y=y, animate=False, immediate=True)
        else:
            shift_scroll(self, y - round(self.scroll_y))

    def spot_y(self, spot: Spot) -> int:
        """How far down the reader's content a piece starts."""
        document = self.document
        return document.virtual_region.y + document.styles.padding.top + spot.y

    def scroll_to_anchor(self, anchor: str) -> None:
        """Scroll to the heading with `anchor`."""
        heading = self.document.heading_for(anchor)
        if heading is not None:
            self.call_after_refresh(self._scroll_to_heading, heading.index)

    def _scroll_to_heading(self, index: int) -> None:
        self.document.reveal(index)
        self.scroll_exactly(self.spot_y(self.document.spot(index)))

    @on(HeadingChosen)
    def _heading_chosen(self, message: HeadingChosen) -> None:
        message.stop()
        self.scroll_to_anchor(message.anchor)

    @on(LinkClicked)
    async def _link_clicked(self, message: LinkClicked) -> None:
        """Web links open in the browser, links to other notes open them, anchors scroll."""
        message.stop()
        href = message.href
        if href.startswith("#"):
            self.scroll_to_anchor(href[1:])
        elif "://" in href or href.startswith("mailto:"):
            await self.run_action(f"app.open_link({href!r})")
        elif self.note is not None:
            target = posixpath.normpath(
                str(PurePosixPath(self.note.rel_path).parent / href.split("#", 1)[0])
            )
            self.post_message(OpenNote(target, jump=True))
