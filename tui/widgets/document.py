"""Provides the note document: Markdown with front matter skipped, images as blocks, lines mapped to blocks."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from indexer.notes import Note
from tui.text import safe_markdown
from tui.widgets.image_view import ImageBlock

IMAGE_TOKEN = "papernotes_image"
"""Block token the parser emits for each image, so images become blocks of their own."""


def _has_text(children: list[Token]) -> bool:
    return any(c.type in ("text", "code_inline") and c.content.strip() for c in children)


def _lift_images(state: StateCore) -> None:
    """Move images out of paragraphs into blocks of their own (after the paragraph's text, if any)."""
    lifted: list[Token] = []
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        inline = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            token.type == "paragraph_open"
            and inline is not None
            and inline.type == "inline"
            and inline.children
        ):
            images = [c for c in inline.children if c.type == "image"]
            if images and i + 2 < len(tokens):
                blocks = []
                for image in images:
                    block = Token(
                        IMAGE_TOKEN,
                        "img",
                        0,
                        map=token.map,
                        level=token.level,
                        content=image.content,
                    )
                    block.attrs = {"src": str(image.attrs.get("src", ""))}
                    blocks.append(block)
                rest = [c for c in inline.children if c.type != "image"]
                if _has_text(rest):
                    inline.children = rest
                    lifted.extend([token, inline, tokens[i + 2]])
                lifted.extend(blocks)
                i += 3
                continue
        lifted.append(token)
        i += 1
    state.tokens = lifted


def image_blocks_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin: images become `papernotes_image` block tokens."""
    md.core.ruler.push("papernotes_images", _lift_images)


def note_parser() -> MarkdownIt:
    """The parser used to render notes (GitHub-like, front matter recognised and not shown)."""
    return MarkdownIt("gfm-like").use(front_matter_plugin).use(image_blocks_plugin)


class NoteDocument(Markdown):
    """A note rendered as Markdown; text is never read as markup, escapes are dropped."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, parser_factory=note_parser, open_links=False)
        self.note: Note | None = None
        """The note shown."""

    async def show(self, note: Note | None) -> None:
        """Render `note` (None empties the document)."""
        self.note = note
        await self.update(safe_markdown(note.markdown) if note is not None else "")

    def unhandled_token(self, token: Token) -> MarkdownBlock | None:
        if token.type == IMAGE_TOKEN:
            src = str(token.attrs.get("src", ""))
            found = next((i for i in self.note.images if i.src == src), None) if self.note else None
            return ImageBlock(self, token, found)
        return None

    def top_blocks(self) -> list[MarkdownBlock]:
        """The document's top-level blocks, in order."""
        return [child for child in self.children if isinstance(child, MarkdownBlock)]

    def blocks_for_lines(self, first: int, last: int) -> list[MarkdownBlock]:
        """The outermost blocks inside lines `first`..`last` (1-based, inclusive), else those overlapping them."""
        low, high = first - 1, last
        blocks = [b for b in self.query(MarkdownBlock) if b.source_range[1] > b.source_range[0]]
        inside = [b for b in blocks if low <= b.source_range[0] and b.source_range[1] <= high]
        chosen = [b for b in inside if not any(a is not b and _contains(a, b) for a in inside)]
        if chosen:
            return chosen
        overlapping = [b for b in blocks if b.source_range[0] < high and low < b.source_range[1]]
        return [
            b for b in overlapping if not any(a is not b and _contains(b, a) for a in overlapping)
        ]

    def heading_before(self, block: Widget) -> MarkdownBlock | None:
        """The last heading above `block` (the title of its section)."""
        top = block
        while top.parent is not None and top.parent is not self:
            top = top.parent
        heading = None
        for child in self.children:
            if child is top:
                break
            if is_heading(child):
                heading = child
        return heading


def is_heading(widget: Widget) -> bool:
    """Whether `widget` is a heading block (blocks are named after their opening token)."""
    return isinstance(widget, MarkdownBlock) and widget.name == "heading_open"


def _contains(outer: Widget, inner: Widget) -> bool:
    """Whether `inner` is a descendant of `outer`."""
    node = inner.parent
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False
