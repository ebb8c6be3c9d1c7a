"""Provides the figure layer of the note document: figures decoded in a thread, drawn by widgets laid over their rows near the view."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from tui.note_lines import PICTURE_ROWS, NoteLines
from tui.piece_lines import GUTTER
from tui.widgets.image_view import (
    DrawFailed,
    FileKey,
    cached_picture,
    decode_cached,
    file_key,
    image_widget,
)

if TYPE_CHECKING:
    from tui.widgets.document import NoteDocument

logger = logging.getLogger(__name__)

PICTURES_NEAR = 1
"""Screens above and below the view whose figures have their widgets (a widget costs ~40 ms to make and
mount here, so a note's ten figures are not all made when it opens)."""

class FigureLayer:
    """What the note document does for its figures (a mixin: `self` is the NoteDocument)."""

    class Decoded(Message):
        """A figure of a note was decoded (picture None: it could not be, `reason` says why)."""

        def __init__(
            self, key: tuple[str, str], index: int, picture: Any, reason: str | None, file: FileKey | None
        ) -> None:
            super().__init__()
            self.key, self.index, self.picture, self.reason = key, index, picture, reason
            self.file = file
            """What the figure's file was when it was read."""

    def _decode_if_shown(self: NoteDocument, model: NoteLines) -> None:
        if self.model is model:
            top = max(0, self.view_top())
            order = sorted(model.figures, key=lambda i: abs(model.tops[i] - top) if model.tops else i)
            self._decode(model, order)

    @work(thread=True, exclusive=True, group="decode", exit_on_error=False)
    def _decode(self: NoteDocument, model: NoteLines, order: list[int]) -> None:
        """Decode the note's figures in a thread, nearest the view first; each is laid over its rows when ready."""
        worker = get_current_worker()
        for index in order:
            figure = model.figures[index]
            if worker.is_cancelled:
                return
            if figure.reason is not None or figure.image is None or figure.image.file is None:
                continue
            file = file_key(figure.image.file)
            try:
                picture, reason = decode_cached(figure.image.file, PICTURE_ROWS, file), None
            except Exception as error:  # unreadable or unsupported file: the placeholder says so
                logger.info("cannot decode %s: %s", figure.image.file, error)
                picture, reason = None, "cannot be read as an image"
            self.post_message(self.Decoded(model.key, index, picture, reason, file))

    def on_figure_layer_decoded(self: NoteDocument, message: FigureLayer.Decoded) -> None:
        message.stop()
        model = self.model
        if model is None or model.key != message.key or message.index in self.pictures:
            return
        model.figures[message.index].file = message.file
        self._draw(model, message.index, message.picture, message.reason)

    def redraw_changed_figures(self: NoteDocument) -> None:
        """Figures whose files changed on disk since they were read are read and drawn again (those that
        could not be read or drawn too: the new file may be fine)."""
        model = self.model
        if model is None:
            return
        changed = []
        for index, figure in model.figures.items():
            path = figure.image.file if figure.image is not None else None
            if path is None or figure.file is None or file_key(path) == figure.file:
                continue
            changed.append(index)
            figure.file, figure.drawn = None, False
            widget = self.pictures.pop(index, None)
            if widget is not None:
                widget.remove()
            if figure.reason is not None:  # a placeholder for want of a picture: the picture's rows again
                figure.reason, figure.lines = None, None
                model.exact[index] = False
            self._forget_strips(index)
        if not changed:
            return
        if model.tops:
            anchor = self._anchor()
            if any(model.ensure(model.tops[i], model.tops[i] + 1, *self._render_args()) for i in changed):
                self._settled(anchor)
        logger.info("figures changed on disk: %s", [str(model.figures[i].image.file) for i in changed])
        self._decode_if_shown(model)

    def _draw(self: NoteDocument, model: NoteLines, index: int, picture: Any, reason: str | None) -> None:
        figure = model.figures[index]
        widget = image_widget(picture) if picture is not None else None
        if widget is None:  # a placeholder frame instead, of its own height
            figure.reason = reason or "cannot be drawn in this terminal"
            figure.lines = None
            model.exact[index] = False
            anchor = self._anchor()
            model.ensure(model.tops[index], model.tops[index] + 1, *self._render_args())
            self._settled(anchor)
            return
        if not self._near(model, index):
            return  # kept decoded: drawn when the view comes near
        figure.drawn = True
        self.pictures[index] = widget
        widget.styles.offset = (GUTTER, model.tops[index] if model.tops else 0)
        self.mount(widget)
        self._forget_strips(index)

    def on_draw_failed(self: NoteDocument, message: DrawFailed) -> None:
        """A figure's widget failed to draw it: the figure becomes a placeholder saying why."""
        message.stop()
        model = self.model
        index = next((i for i, widget in self.pictures.items() if message.widget in (widget, *widget.children)), None)
        if model is None or index is None:
            return
        self.pictures.pop(index).remove()
        model.figures[index].drawn = False
        self._forget_strips(index)
        self._draw(model, index, None, f"cannot be drawn ({message.reason})")

    def _near(self: NoteDocument, model: NoteLines, index: int) -> bool:
        """Whether figure `index` is within PICTURES_NEAR screens of the view (so it gets its widget)."""
        if not model.tops:
            return False
        top, screen = self.view_top(), self.screen.size.height
        low, high = top - PICTURES_NEAR * screen, top + (1 + PICTURES_NEAR) * screen
        return model.tops[index] < high and model.tops[index] + model.heights[index] > low

    def view_moved(self: NoteDocument) -> None:
        """The view scrolled (or a note was shown): figures near it get their widgets, far ones lose them."""
        model = self.model
        if model is None or not model.tops:
            return
        for index, figure in model.figures.items():
            widget = self.pictures.get(index)
            if not self._near(model, index):
                if widget is not None:
                    widget.remove()
                    del self.pictures[index]
                    figure.drawn = False
                    self._forget_strips(index)
            elif widget is not None:
                if widget.styles.offset.y.value != model.tops[index]:
                    widget.styles.offset = (GUTTER, model.tops[index])
            elif figure.reason is None and figure.image is not None and figure.image.file is not None:
                picture = cached_picture(figure.image.file)
                if picture is not None:
                    self._draw(model, index, picture, None)

    def _place_pictures(self: NoteDocument) -> None:
        self.view_moved()

    def _forget_strips(self: NoteDocument, index: int) -> None:
        self._strips = {key: strip for key, strip in self._strips.items() if key[0] != index}
        self.refresh()

