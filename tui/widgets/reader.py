"""Provides the reader: a note's header card, problems, Markdown body and table of contents."""

from __future__ import annotations

import logging
import posixpath
from pathlib import PurePosixPath

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownTableOfContents

from indexer.answer import Citation
from indexer.chunking import ABOUT_SECTION
from indexer.errors import NoteError
from indexer.notes import Note
from tui.messages import OpenNote
from tui.widgets.document import NoteDocument
from tui.widgets.note_card import NoteCard, ProblemCard

logger = logging.getLogger(__name__)

CITED = "-cited"
"""CSS class of the blocks behind the citation being shown."""


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
        document = NoteDocument(id="document")
        document.can_focus = False
        yield NoteCard(id="card")
        yield ProblemCard(id="problems")
        yield document
        toc = MarkdownTableOfContents(document, id="toc")
        toc.border_title = "Contents"
        yield toc

    @property
    def document(self) -> NoteDocument:
        """The Markdown body."""
        return self.query_one(NoteDocument)

    @property
    def card(self) -> NoteCard:
        """The header card."""
        return self.query_one(NoteCard)

    async def show_note(
        self, note: Note, citation: Citation | None = None, *, keep_scroll: bool = False
    ) -> None:
        """Show `note`; with a citation, scroll to its passage and highlight it (else keep or reset the scroll)."""
        scroll_y = self.scroll_y
        same = (
            self.error is None
            and self.note is not None
            and self.note.id == note.id
            and self.note.content_hash == note.content_hash
        )
        keep_related = self.note is not None and self.note.id == note.id
        self.note, self.error = note, None
        related, related_note = self.card.related, self.card.related_note
        self.card.show(note)
        if keep_related:
            self.card.set_related(related, related_note)
        self.query_one(ProblemCard).show_warnings(note)
        if not same:
            try:
                await self.document.show(note)
            except Exception as error:  # never let one note's content take the app down
                logger.exception("cannot render %s", note.rel_path)
                await self.document.show(None)
                self.query_one(ProblemCard).show_error(
                    NoteError(f"{note.rel_path}: cannot be shown ({error})")
                )
        self.clear_highlight()
        if citation is not None:
            self.citation = citation
            self.call_after_refresh(self._highlight, citation)
        elif keep_scroll:
            self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)
        elif not same:
            self.scroll_home(animate=False)

    async def show_error(self, error: NoteError) -> None:
        """Show the error card of an unreadable file."""
        self.note, self.error, self.citation = None, error, None
        self.card.display = False
        self.query_one(ProblemCard).show_error(error)
        await self.document.show(None)
        self.scroll_home(animate=False)

    def clear_highlight(self) -> None:
        """Remove the citation highlight."""
        self.citation = None
        for block in self.query(f".{CITED}"):
            block.remove_class(CITED)

    def _highlight(self, citation: Citation) -> None:
        """Highlight the cited blocks and scroll to their section (the card for the About passage)."""
        if self.citation is not citation:
            return
        first, last = citation.lines
        blocks = (
            [] if citation.section == ABOUT_SECTION else self.document.blocks_for_lines(first, last)
        )
        if not blocks:
            self.card.add_class(CITED)
            self.scroll_home(animate=False)
            return
        for block in blocks:
            block.add_class(CITED)
        target: MarkdownBlock = blocks[0]
        heading = self.document.heading_before(target)
        if heading is not None:
            gap = self._offset_of(target) - self._offset_of(heading)
            if (
                0 <= gap
                and gap + target.outer_size.height <= self.scrollable_content_region.height - 1
            ):
                target = heading
        self.scroll_to(y=self._offset_of(target), animate=False)

    def _offset_of(self, widget: Widget) -> int:
        """How far down the reader's content `widget` starts."""
        y = 0
        node: Widget | None = widget
        while node is not None and node is not self:
            y += node.virtual_region_with_margin.y
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return y

    @on(Markdown.TableOfContentsUpdated)
    def _toc_updated(self, message: Markdown.TableOfContentsUpdated) -> None:
        message.stop()
        self.query_one(MarkdownTableOfContents).table_of_contents = message.table_of_contents

    @on(Markdown.TableOfContentsSelected)
    def _toc_selected(self, message: Markdown.TableOfContentsSelected) -> None:
        message.stop()
        block = self.document.query_one(f"#{message.block_id}", MarkdownBlock)
        self.scroll_to_widget(block, top=True)

    @on(Markdown.LinkClicked)
    async def _link_clicked(self, message: Markdown.LinkClicked) -> None:
        """Web links open in the browser, links to other notes open them, anchors scroll."""
        message.stop()
        href = message.href
        if href.startswith("#"):
            self.document.goto_anchor(href[1:])
        elif "://" in href or href.startswith("mailto:"):
            await self.run_action(f"app.open_link({href!r})")
        elif self.note is not None:
            target = posixpath.normpath(
                str(PurePosixPath(self.note.rel_path).parent / href.split("#", 1)[0])
            )
            self.post_message(OpenNote(target))
