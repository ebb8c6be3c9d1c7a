"""Provides the command palette: Textual's, with its page keys ignored until its list is laid out."""

from __future__ import annotations

import logging

from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, LoadingIndicator

from tui.widgets.text_box import TextBox

logger = logging.getLogger(__name__)

PAGE_ACTIONS = ("page_up", "page_down")
"""The list's actions that need its lines laid out (Textual 8.2's OptionList raises KeyError before)."""


class PaletteInput(CommandInput, TextBox):  # CommandInput first: its CSS and queries by type follow the first base
    """The palette's search box: its Backspace and ctrl+u apply in the order typed, as in the app's boxes."""


class Palette(CommandPalette):
    """The command palette, safe to press PageDown/PageUp in at once.

    Commands come in while the list is still hidden: a page key read before its next layout made
    Textual's OptionList look up the lines it had not laid out yet (KeyError: 0), which closed the app.
    Such a key is dropped (the list moves with the next one). Its search box is a `TextBox`. Its Escape
    is "Close" on the footer, which shows the keys that work over the palette.
    """

    BINDINGS = [Binding("escape", "escape", "Close")]

    def compose(self) -> ComposeResult:
        # Textual's layout, with our search box in place of its CommandInput (a subclass of it).
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield PaletteInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield CommandList()
                yield LoadingIndicator()

    def _action_command_list(self, action: str) -> None:
        if action in PAGE_ACTIONS:
            commands = self.query_one(CommandList)
            if not commands.option_count or not commands.scrollable_content_region.height:
                return
            try:
                super()._action_command_list(action)
            except KeyError:  # options added since the last layout: not laid out yet either
                logger.info("palette %s before its list was laid out: dropped", action)
            return
        super()._action_command_list(action)
