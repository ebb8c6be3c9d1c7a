"""Work for the reader: notes likely opened next parsed ahead, the remembered state saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from tui.config import save_config
from tui.pieces import pieces_of

if TYPE_CHECKING:
    from tui.app import PapernotesApp


class ReadingWork:
    """Parsing ahead and saving state off the event loop (mixed into PapernotesApp)."""

    @work(thread=True, exclusive=True, group="parse", exit_on_error=False)
    def _parse_ahead(self: PapernotesApp, texts: list[str], then: Callable[[], object] | None = None) -> None:
        """Parse notes likely opened next (cached), run `then` on the event loop, and what it returns here."""
        worker = get_current_worker()
        for text in texts:
            if worker.is_cancelled:
                return
            pieces_of(text)
        after = self.call_from_thread(then) if then is not None and not worker.is_cancelled else None
        if callable(after) and not worker.is_cancelled:
            after()

    @work(thread=True, exclusive=True, group="config", exit_on_error=False)
    def _save_config(self: PapernotesApp) -> None:
        """Write the remembered state (atomic write with fsync: off the event loop)."""
        save_config(self.config)
