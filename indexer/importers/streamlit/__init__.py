"""Streamlit pages → notes, read with `ast` only: nothing in a page is ever imported or run."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import ImportFailed
from indexer.importers.converted import ConvertedNote, SkipSource, render_note
from indexer.importers.streamlit.callouts import parse_callout
from indexer.importers.streamlit.source import (
    HOME_ID,
    page_id,
    page_name,
    parse_source,
    read_source,
)
from indexer.importers.streamlit.walker import Page

__all__ = ["HOME_ID", "convert_page", "page_id", "page_name", "parse_callout"]


def convert_page(path: Path, root: Path | None = None, display: str | None = None) -> ConvertedNote:
    """Read the Streamlit page at `path` (never running it) and turn it into a note.

    `root` is the source tree images may come from (default: the page's folder); `display` is how
    messages name the page (default: its file name). Raises ImportFailed for a file that can't be
    read or parsed and SkipSource for one that is not a page or has nothing to import.
    """
    display = display or path.name
    root = root or path.parent
    note_id = page_id(path.stem)
    tree = parse_source(read_source(path, display), display)
    page = Page(display, note_id, path.parent, root)
    try:
        page.read(tree)
    except RecursionError:
        raise ImportFailed(f"{display}: too deeply nested to read") from None
    if not page.is_page:
        raise SkipSource("not a Streamlit page")
    if note_id == HOME_ID:
        raise SkipSource("home page: the library")
    if page.title is None and not page.blocks:
        raise SkipSource("no text to import")
    title = page.title or page_name(path.stem)
    meta = {key: page.meta.get(key) for key in ("authors", "year", "paper", "code", "source")}
    paper_title = page.meta.get("paper_title")
    if paper_title and paper_title.casefold() != title.casefold():
        meta["aliases"] = [paper_title]
    meta.update(prev=page.nav.get("prev"), next=page.nav.get("next"))
    return ConvertedNote(
        id=note_id,
        source=path,
        markdown=render_note(title, meta, "\n\n".join(page.blocks)),
        warnings=[text for _, text in sorted(page.warnings + page.images.reports())],
        images=page.images.copies,
    )
