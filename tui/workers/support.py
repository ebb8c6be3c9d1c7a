"""What the worker groups share: a report dropped while the app shuts down, the state shown, an error notified."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tui.text import one_line

if TYPE_CHECKING:
    from tui.app import PapernotesApp

Handler = TypeVar("Handler", bound=Callable[..., Any])


def while_running(handler: Handler) -> Handler:
    """Skip a worker's report that arrives while the app shuts down (its widgets are gone by then)."""

    @functools.wraps(handler)
    async def guarded(self: PapernotesApp, *args: Any) -> None:
        if self.is_running:
            result = handler(self, *args)
            if inspect.isawaitable(result):
                await result

    return cast(Handler, guarded)


class Reporting:
    """Showing what the workers report: the status line's state, errors as notifications."""

    def _show_state(self: PapernotesApp) -> None:
        self.main.status_line.show_state(self.state)

    def _notify_error(self: PapernotesApp, error: Exception) -> None:
        title = getattr(error, "title", "Error")
        self.notify(one_line(str(error)), title=title, severity="error", markup=False, timeout=10)
