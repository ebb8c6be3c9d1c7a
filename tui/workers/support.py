"""What the worker groups share: a report dropped while the app shuts down, the state shown, an error notified."""

from __future__ import annotations

import functools
import inspect
import time
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
    """Showing what the workers report: the status line's state, errors as notifications, one toast per kind of event."""

    _toasts: dict[str, tuple[str, str, float]]  # set in PapernotesApp.__init__

    def toast(self: PapernotesApp, kind: str, message: str, *, title: str, timeout: float | None = None) -> None:
        """Show one toast of `kind` at a time: the same again while it shows is not stacked, a new message replaces it."""
        shown = self._toasts.get(kind)
        now = time.monotonic()
        if shown is not None and shown[:2] == (title, message) and now < shown[2]:
            return  # e.g. n held at the last note: it already says so
        self.untoast(kind)
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self._toasts[kind] = (title, message, now + timeout)
        self.notify(message, title=title, timeout=timeout, markup=False)

    def untoast(self: PapernotesApp, kind: str) -> None:
        """Take down the toast of `kind`, if it still shows (it no longer holds: the reader moved on)."""
        shown = self._toasts.pop(kind, None)
        if shown is not None and not self._take_down(shown[:2]):
            self.call_later(self._take_down, shown[:2])  # still on its way: after the messages queued before it

    def _take_down(self: PapernotesApp, toast: tuple[str, str]) -> bool:
        found = False
        for notification in list(self._notifications):  # Textual has no public way to take one toast down
            if (notification.title, notification.message) == toast:
                self._unnotify(notification)
                found = True
        return found

    def _show_state(self: PapernotesApp) -> None:
        self.main.status_line.show_state(self.state)

    def _notify_error(self: PapernotesApp, error: Exception) -> None:
        title = getattr(error, "title", "Error")
        self.notify(one_line(str(error)), title=title, severity="error", markup=False, timeout=10)
