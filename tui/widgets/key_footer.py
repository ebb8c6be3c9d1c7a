"""Provides the footer: Textual's, rebuilt at most once a frame and only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, which rebuilds itself (~20 key widgets mounted: 30–60 ms here) on every
    bindings signal; opening a note from the library sends two (the focus moves, the keys change)."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: tuple[object, ...] | None = None
        """What the footer was last built from."""
        self._due = False
        """A rebuild is scheduled for after the next refresh."""

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._due:
            return
        if self.is_attached and screen is self.screen:
            self._due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._due = False
        shown = self.keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def keys_shown(self) -> tuple[object, ...]:
        """What `compose` builds the footer from: each shown key, its action, description and state."""
        return tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )
