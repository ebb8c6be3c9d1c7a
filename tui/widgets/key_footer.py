"""Provides the footer: Textual's, rebuilt at most once a frame and only when the keys it shows change, the most important keys kept when it is too narrow for all; over a dialog or the palette, the keys that work there."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from weakref import WeakSet

from rich.cells import cell_len
from textual import events
from textual.actions import parse as parse_action
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

    Textual's goes on showing its screen's keys under a screen pushed over it (the command palette, a
    dialog), where most of them do nothing: this one shows the keys that work there (`active`).
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
        self._heard: WeakSet[Screen] = WeakSet()
        """Screens over this one whose key changes it hears."""

    def on_mount(self) -> None:
        super().on_mount()
        self.app.screen_change_signal.subscribe(self, self.screen_changed)

    def screen_changed(self, screen: Screen) -> None:
        """A screen was pushed over this one or popped: its keys (or this screen's again) are the ones shown."""
        if screen is not self.screen and screen not in self._heard and screen.is_running:
            self._heard.add(screen)
            screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(screen)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._due:
            return
        if self.is_attached and screen in (self.screen, self.app.screen):
            self._due = True
            self.call_after_refresh(self._rebuild)

    def active(self) -> Mapping[str, ActiveBinding]:
        """The keys that work where the user is: this screen's, or under a screen pushed over it (the
        palette, a dialog) that screen's own shown keys and the app's priority keys it lets act there."""
        top = self.app.screen
        if top is self.screen or not self.is_attached:
            return self.screen.active_bindings
        own = {key: active for key, active in top.active_bindings.items() if active.binding.show}
        app_keys = self.app._bindings.key_to_bindings
        shown = {b.description for bindings in app_keys.values() for b in bindings if b.show}
        own_names = {active.binding.description for active in own.values()}  # the dialog's own Quit goes first
        keys: dict[str, ActiveBinding] = {}
        for key, binding in sorted(((k, b) for k, bs in app_keys.items() for b in bs), key=lambda kb: self._rank(kb[1].action)):
            # a priority key acts over any screen: offered where its action is on, once per description the app shows
            if not binding.priority or binding.description not in shown or key in own or binding.description in own_names:
                continue
            name, parameters = parse_action(binding.action)[1:]
            if self.app.check_action(name, parameters) is not False and all(a.binding.description != binding.description for a in keys.values()):
                keys[key] = ActiveBinding(self.app, dataclasses.replace(binding, show=True), True, binding.tooltip)
        return keys | own

    def _rank(self, action: str) -> int:
        """Where `action` comes in `first` (after all of them when it is not there)."""
        name = action.partition("(")[0]
        return self.first.index(name) if name in self.first else len(self.first)

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
        active = self.active()
        return (
            *(
                (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for (_, binding, enabled, tooltip) in active.values()
                if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
            ),
            self.fitting(active),
        )

    def compose(self) -> ComposeResult:
        # Textual's keys (FooterKey: not exported by textual.widgets) of the keys that work (`active`; the app
        # uses no binding groups), the ones that do not fit left out, the palette's last
        if not self._bindings_ready:
            return
        active = self.active()
        fitting = self.fitting(active)
        first: dict[str, tuple[Binding, bool, str]] = {}  # the first key of each action, as Textual's
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        self.styles.grid_size_columns = len(first)
        for action, (binding, enabled, tooltip) in first.items():
            if action in fitting:
                key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description, action, disabled=not enabled, tooltip=tooltip)
                yield key.data_bind(compact=Footer.compact)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            binding = palette.binding
            yield FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                classes="-command-palette", disabled=not palette.enabled, tooltip=binding.tooltip or binding.description,
            )  # fmt: skip

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
            return self._rank(action), actions.index(action)

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
