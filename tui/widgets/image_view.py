"""Provides figures: decoded in a thread (and kept for a while), drawn by textual-image where the terminal can."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import types
from collections import OrderedDict
from collections.abc import Iterator
from math import ceil
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from indexer.imports import heavy, serialized
from tui.terminal_graphics import cell_size, image_widget_class, images_enabled, probe

logger = logging.getLogger(__name__)

MAX_PIXELS = (1600, 1200)
"""Decoded figures are shrunk to fit this (a terminal never shows more), so drawing them stays cheap."""
MIN_CELLS = 2
"""Columns a figure is at least drawn across (textual-image makes it as wide as its shape at the rows it
is drawn: a 50×3000 picture rounded to 0 columns and PIL's resize raised, taking the app down)."""
PICTURES_KEPT = 16
"""Decoded figures kept (at most ~5.8 MB each at MAX_PIXELS), so going back to a note redraws its figures at once."""

FileKey = tuple[str, int, int, int, int]
"""What a figure's file is on disk: path, mtime_ns, size, inode and ctime_ns (a file rewritten in place with
its size and mtime kept still has a new ctime; one replaced by a rename a new inode)."""

_kept: OrderedDict[FileKey, Any] = OrderedDict()
_lock = threading.Lock()
_imported_once = False
"""Whether textual-image was imported (see `widget_class`)."""


def prepare_terminal_images() -> None:
    """Ask the terminal what images it can draw, once, before Textual takes the terminal over
    (one round trip, `tui.terminal_graphics`; textual-image itself is imported when a figure needs it)."""
    if not images_enabled():
        return
    try:
        probe()
    except Exception as error:  # an odd terminal only costs the images
        logger.info("images will be placeholders: %s", error)


def warm_up() -> None:
    """Import textual-image now (~0.15 s: PIL, numpy), in a worker thread, so the first figure does not wait for it."""
    if images_enabled():
        with contextlib.suppress(Exception):
            widget_class()


def widget_class() -> type[Any]:
    """textual-image's widget class for this terminal; imported the first time by one thread at a time
    (`indexer.imports`: it imports numpy, which the model load, answers and builds import in their threads)."""
    global _imported_once
    if _imported_once:
        return image_widget_class()
    heavy("PIL.Image")
    with serialized():  # textual-image itself only through the probe's answers (`image_widget_class`)
        found = image_widget_class()
    _imported_once = True
    return found


def decode(path: str | Path, rows: int | None = None) -> Any:
    """The image at `path` decoded, shrunk to MAX_PIXELS and to `rows` terminal rows (textual-image
    scales the picture again at every paint, so a smaller one paints faster): slow, so run it in a thread."""
    from PIL import Image as PILImage  # deferred: only notes with figures need PIL

    warm_up()  # in this thread, so that drawing the picture never imports textual-image (and numpy) in the app's
    with PILImage.open(path) as opened:
        opened.load()
        picture = opened.copy()
    width, height = MAX_PIXELS
    if rows is not None:
        height = min(height, rows * _cell_height())
    picture.thumbnail((width, height))
    return _wide_enough(picture, rows) if rows is not None else picture


def _wide_enough(picture: Any, rows: int) -> Any:
    """`picture` on a transparent strip at least MIN_CELLS columns wide when drawn `rows` rows high."""
    from PIL import Image as PILImage

    cell_width, cell_height = _cell_size()
    needed = ceil(picture.height * MIN_CELLS * cell_width / max(1, rows * cell_height))
    if picture.width >= needed:
        return picture
    padded = PILImage.new("RGBA", (needed, picture.height), (0, 0, 0, 0))
    padded.paste(picture.convert("RGBA"), ((needed - picture.width) // 2, 0))
    return padded


def _cell_height() -> int:
    """Pixels per terminal row (the terminal's answer, else textual-image's default)."""
    try:
        return max(1, cell_size()[1])
    except Exception:  # without textual-image nothing is drawn anyway
        return MAX_PIXELS[1]


def _cell_size() -> tuple[int, int]:
    """Pixels per terminal cell (width, height), never 0."""
    try:
        width, height = cell_size()
    except Exception:  # without textual-image nothing is drawn anyway
        return 1, 1
    return max(1, width), max(1, height)


def file_key(path: str | Path) -> FileKey | None:
    """What the file at `path` is now (None: it cannot be read): a decoded picture is kept under it, so a
    changed file is decoded again, never shown stale."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns


def cached_picture(path: str | Path) -> Any:
    """The decoded picture of `path` if it is kept (and the file unchanged), else None."""
    key = file_key(path)
    with _lock:
        picture = _kept.get(key) if key is not None else None
        if picture is not None and key is not None:
            _kept.move_to_end(key)
    return picture


def decode_cached(path: str | Path, rows: int | None = None, key: FileKey | None = None) -> Any:
    """`decode(path, rows)`, kept for the next time (the PICTURES_KEPT most recent) under `key` (the file
    as it was just before it was read; else as it is now)."""
    found = cached_picture(path)
    if found is not None:
        return found
    key = key or file_key(path)
    picture = decode(path, rows)
    if key is not None:
        with _lock:
            _kept[key] = picture
            while len(_kept) > PICTURES_KEPT:
                _kept.popitem(last=False)
    return picture


class DrawFailed(Message):
    """A figure's widget (or the part of it that draws) could not draw its picture (the document shows a placeholder instead)."""

    def __init__(self, widget: Widget, reason: str) -> None:
        super().__init__()
        self.widget, self.reason = widget, reason


def image_widget(picture: Any) -> Widget | None:
    """A widget drawing a decoded image, or None when it can't be drawn here (a failure while it draws is a
    `DrawFailed` message, never a crash)."""
    try:
        terminal_image = _guarded(widget_class())  # deferred: textual-image imports PIL and numpy
        return terminal_image(picture, classes="picture")
    except Exception as error:  # unsupported image or terminal: show the placeholder instead
        logger.info("cannot draw an image: %s", error)
        return None


_guarded_classes: dict[type[Widget], type[Widget]] = {}


def _guarded(base: type[Widget]) -> type[Widget]:
    """`base` (a textual-image widget) drawing safely: an error while drawing blanks it and posts `DrawFailed`.

    textual-image's sixel widget draws in a child it composes: that child is guarded the same way.
    """
    if base in _guarded_classes:
        return _guarded_classes[base]

    def render_lines(self: Widget, crop: Region) -> list[Strip]:
        if not getattr(self, "_draw_failed", False):
            try:
                return base.render_lines(self, crop)
            except Exception as error:  # a picture textual-image cannot scale or encode
                logger.info("cannot draw an image: %s", error)
                self._draw_failed = True  # type: ignore[attr-defined]
                self.post_message(DrawFailed(self, str(error)))
        return [Strip.blank(crop.width)] * crop.height

    body: dict[str, Any] = {"render_lines": render_lines}
    sixel_part = _sixel_part(base)
    if sixel_part is not None:
        safe_part = _guarded(sixel_part)

        def compose(self: Any) -> Iterator[Widget]:
            yield safe_part(self.image, self._sixel_options)

        body["compose"] = compose
    keywords = {"Renderable": base._Renderable} if hasattr(base, "_Renderable") else {}
    guarded = types.new_class(base.__name__, (base,), keywords, lambda namespace: namespace.update(body))
    _guarded_classes[base] = guarded
    return guarded


def _sixel_part(base: type[Widget]) -> type[Widget] | None:
    """The child textual-image's sixel widget draws in (None for its other widgets)."""
    if base.__module__ != "textual_image.widget.sixel":
        return None
    from textual_image.widget import sixel

    return getattr(sixel, "_ImageSixelImpl", None)
