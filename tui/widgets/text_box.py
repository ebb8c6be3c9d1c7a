"""Provides the app's text boxes: Textual's Input with its editing keys applied in the order typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.binding import Binding


def _own(binding: Binding) -> bool:
    """Whether `binding` runs an action of the box itself (not `app.…` or `screen.…`), and is not a priority one."""
    return not binding.priority and "." not in binding.action.split("(", 1)[0]


class TextBox(Input):
    """A text box of the app (filter, question, palette): it runs its own key bindings (Backspace, ctrl+u, ctrl+w, Delete, arrows, Enter…) as their key is read.

    Textual's Input inserts a printable key in its key handler, but leaves a bound key to bubble up to
    the app, which runs the binding a few message hops later: in a burst (a fast typist, ssh, a busy
    machine) `w h t a ⌫ ⌫ a t` had its Backspaces applied after the letters typed behind them. Here
    the box runs them itself, in the same handler as letters, so every edit lands in key order. A key
    read after the focus left the box (↑ to the citations, then Enter) still bubbles, so it goes by
    the bindings of where the focus is now; keys bound elsewhere (Escape, ctrl+q) bubble as before.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable or self.app.focused is not self:
            return  # Input's handler inserts the letter; an unfocused box's key goes by the focus
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if _own(binding) and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # handled: Textual's Input and the app's bindings skip it
                self._restart_blink()
                return
