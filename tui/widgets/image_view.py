"""Provides image blocks: drawn in the terminal where it can, else a framed placeholder with alt text."""

from __future__ import annotations

import logging
import os

from markdown_it.token import Token
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.markdown import Markdown, MarkdownBlock

from indexer.notes import Image
from tui.text import one_line

logger = logging.getLogger(__name__)

IMAGES_ENV = "PAPERNOTES_IMAGES"
"""Set to `off` to always show placeholders instead of drawing images."""


def images_enabled() -> bool:
    """False when drawing images is switched off with `PAPERNOTES_IMAGES=off`."""
    return os.environ.get(IMAGES_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def prepare_terminal_images() -> None:
    """Ask the terminal what images it can draw, once, before Textual takes the terminal over."""
    if not images_enabled():
        return
    try:
        import textual_image.widget  # noqa: F401  (importing runs the one-time terminal query)
    except Exception as error:  # a missing or broken optional package only costs the images
        logger.info("images will be placeholders: %s", error)


def image_widget(path: str) -> Widget | None:
    """A widget drawing the image file at `path`, or None when it can't be drawn here."""
    if not images_enabled():
        return None
    try:
        # Deferred: pulls in PIL and (outside `run`) queries the terminal for its graphics support.
        from textual_image.widget import Image as TerminalImage

        return TerminalImage(path, classes="picture")
    except Exception as error:  # unreadable or unsupported file: show the placeholder instead
        logger.info("cannot draw %s: %s", path, error)
        return None


def placeholder_text(src: str, alt: str, reason: str) -> Content:
    """The framed placeholder's text: alt text, then where the image is and why it isn't drawn."""
    return Content.assemble(
        ("🖼  ", "bold"),
        (one_line(alt) or "(no alt text)", "italic"),
        "\n",
        (one_line(src), "underline"),
        ("  · " + reason, "dim"),
    )


class ImageBlock(MarkdownBlock):
    """An image of a note as a Markdown block: the picture, or a placeholder with alt text and path."""

    DEFAULT_CSS = """
    ImageBlock {
        height: auto;
        margin: 0 0 1 0;
    }
    """

    def __init__(self, markdown: Markdown, token: Token, image: Image | None) -> None:
        super().__init__(markdown, token)
        self.src = str(token.attrs.get("src", ""))
        """The image reference as written in the note."""
        self.alt = token.content
        """The image's alt text."""
        self.image = image
        """What the note parser resolved the reference to (None if it did not see it)."""

    def compose(self) -> ComposeResult:
        reason = self._why_not_drawn()
        picture = None
        if reason is None and self.image is not None and self.image.file is not None:
            picture = image_widget(str(self.image.file))
            reason = None if picture is not None else "cannot be drawn in this terminal"
        if picture is not None:
            yield picture
            if self.alt:
                yield Static(Content(one_line(self.alt)), classes="caption")
        else:
            box = Static(
                placeholder_text(self.src, self.alt, reason or "not shown"), classes="placeholder"
            )
            box.border_title = "image"
            yield box

    def _why_not_drawn(self) -> str | None:
        if "://" in self.src or self.src.startswith("//"):
            return "remote image, not downloaded"
        if self.image is None or self.image.file is None:
            return "not found inside the notes folder"
        if not images_enabled():
            return "images are switched off"
        return None
