"""Provides image blocks: drawn in the terminal where it can, else a framed placeholder with alt text."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from indexer.notemodel import Image
from tui.text import one_line

if TYPE_CHECKING:
    from tui.pieces import Piece

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


MAX_PIXELS = (1600, 1200)
"""Decoded figures are shrunk to fit this (a terminal never shows more), so drawing them stays cheap."""


def decode(path: str) -> Any:
    """The image at `path` decoded (and shrunk to MAX_PIXELS): slow for large files, so run it in a thread."""
    from PIL import Image as PILImage  # deferred: only notes with figures need PIL

    with PILImage.open(path) as opened:
        opened.load()
        picture = opened.copy()
    picture.thumbnail(MAX_PIXELS)
    return picture


def image_widget(picture: Any) -> Widget | None:
    """A widget drawing a decoded image, or None when it can't be drawn here."""
    try:
        # Deferred: pulls in textual-image, which (outside `run`) queries the terminal for its graphics support.
        from textual_image.widget import Image as TerminalImage

        return TerminalImage(picture, classes="picture")
    except Exception as error:  # unsupported image or terminal: show the placeholder instead
        logger.info("cannot draw an image: %s", error)
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


class ImageBlock(Widget):
    """An image of a note: a frame while it is decoded in a thread, then the picture (or a placeholder with alt text and path)."""

    DEFAULT_CSS = """
    ImageBlock {
        height: auto;
        margin: 0 0 1 0;
    }
    """

    class Decoded(Message):
        """The picture was decoded (None: it could not be, `reason` says why)."""

        def __init__(self, picture: Any, reason: str | None) -> None:
            super().__init__()
            self.picture = picture
            self.reason = reason

    def __init__(self, piece: Piece, image: Image | None) -> None:
        super().__init__()
        self.piece = piece
        """The piece of the note this image is."""
        self.src = piece.src
        """The image reference as written in the note."""
        self.alt = piece.alt
        """The image's alt text."""
        self.image = image
        """What the note parser resolved the reference to (None if it did not see it)."""

    @property
    def source_range(self) -> tuple[int, int]:
        """The source lines of the paragraph holding the image (0-based, end exclusive)."""
        return self.piece.start, self.piece.end

    def compose(self) -> ComposeResult:
        reason = self._why_not_drawn()
        if reason is None:
            waiting = Static(
                Content.assemble(("🖼  ", "bold"), (one_line(self.alt) or self.src, "italic")),
                classes="picture -loading",
            )
            yield waiting
            if self.alt:
                yield Static(Content(one_line(self.alt)), classes="caption")
        else:
            yield self._placeholder(reason)

    def on_mount(self) -> None:
        if self._why_not_drawn() is None and self.image is not None and self.image.file is not None:
            self._decode(str(self.image.file))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _decode(self, path: str) -> None:
        try:
            picture, reason = decode(path), None
        except Exception as error:  # unreadable or unsupported file: the placeholder says so
            logger.info("cannot decode %s: %s", path, error)
            picture, reason = None, "cannot be read as an image"
        self.post_message(self.Decoded(picture, reason))

    async def on_image_block_decoded(self, message: ImageBlock.Decoded) -> None:
        message.stop()
        if not self.is_mounted:  # removed (a body dropped, the app quitting) while its picture was decoded
            return
        widget = image_widget(message.picture) if message.picture is not None else None
        waiting = self.query(".-loading")
        if widget is None:
            await self.remove_children()
            await self.mount(
                self._placeholder(message.reason or "cannot be drawn in this terminal")
            )
        elif waiting:
            await self.mount(widget, before=waiting.first())
            await waiting.remove()

    def _placeholder(self, reason: str) -> Static:
        box = Static(placeholder_text(self.src, self.alt, reason), classes="placeholder")
        box.border_title = "image"
        return box

    def _why_not_drawn(self) -> str | None:
        if "://" in self.src or self.src.startswith("//"):
            return "remote image, not downloaded"
        if self.image is None or self.image.file is None:
            return "not found inside the notes folder"
        if not images_enabled():
            return "images are switched off"
        return None
