"""The app's background work, one group per kind (notes, index builds, the model and answers, reading), and what its reports change."""

from __future__ import annotations

from tui.workers.answers import AnswerWork
from tui.workers.index import INDEX_WAIT, IndexWork
from tui.workers.notes import NotesWork
from tui.workers.reading import ReadingWork
from tui.workers.support import Reporting, while_running

__all__ = ["INDEX_WAIT", "Workers", "while_running"]


class Workers(NotesWork, IndexWork, AnswerWork, ReadingWork, Reporting):
    """The app's part that works in the background (mixed into PapernotesApp).

    Threaded workers must not touch widgets: they post messages, whose handlers live beside them.
    """
