"""Provides the footer: Textual's, rebuilt at most once a frame and only when the keys it shows change, the most important keys kept when it is too narrow for all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's footer, which rebuilds itself (~20 key widgets mounted: 30–60 ms here) on every
    bindings signal; opening a note from the library sends two (the focus moves, the keys change).

    Textual's cuts the keys that do not fit off its right end; this one leaves out the least important
    ones instead (`first`: actions kept first, most important first; any others after them, in order).
    """

    def __init__(self, *, first: Iterable[str] = (), compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self.first = tuple(first)
        """The actions whose keys are kept when not all fit, most important first."""
        self._shown: tuple[object, ...] | None = None
        """What the footer was last built from."""
        self._due = False
        """A rebuild is scheduled for after the next refresh."""
        self._width = 0
        """The width the keys were last fitted to."""

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._due:
            return
        if self.is_attached and screen is self.screen:
            self._due = True
            self.call_after_refresh(self._rebuild)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self._bindings_ready:
            self.bindings_changed(self.screen)

    async def _rebuild(self) -> None:
        self._due = False
        shown = self.keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def keys_shown(self) -> tuple[object, ...]:
        """What `compose` builds the footer from: each shown key, its action, description and state, and which fit."""
        active = self.screen.active_bindings
        return (
            *(
                (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for (_, binding, enabled, tooltip) in active.values()
                if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
            ),
            self.fitting(active),
        )

    def compose(self) -> ComposeResult:
        # Textual's keys (FooterKey: not exported by textual.widgets), the ones that do not fit left out
        fitting = self.fitting(self.screen.active_bindings)
        for widget in super().compose():
            if not isinstance(widget, FooterKey) or widget.has_class("-command-palette") or widget.action in fitting:
                yield widget

    def fitting(self, active: Mapping[str, ActiveBinding]) -> frozenset[str]:
        """The actions (of the `active` bindings) whose keys fit in the footer's width, the most important first."""
        self._width = self.size.width or self.app.size.width
        offered: dict[str, Binding] = {}  # the footer shows the first key of each action
        for _, binding, _, _ in active.values():
            if binding.show:
                offered.setdefault(binding.action, binding)
        room = self._width
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            room -= self.key_width(palette.binding) + 1  # its border
        actions = list(offered)

        def importance(action: str) -> tuple[int, int]:
            name = action.partition("(")[0]
            rank = self.first.index(name) if name in self.first else len(self.first)
            return rank, actions.index(action)

        fitting: set[str] = set()
        for action in sorted(actions, key=importance):
            width = self.key_width(offered[action]) + 1  # the margin after it
            if width <= room:
                fitting.add(action)
                room -= width
        return frozenset(fitting)

    def key_width(self, binding: Binding) -> int:
        """The cells a key takes in the footer (compact, as the app's is): its key, a space, its description."""
        key = cell_len(self.app.get_key_display(binding))
        return key + 1 + cell_len(binding.description) if binding.description else key
