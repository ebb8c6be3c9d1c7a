"""Provides the table of contents: the note's headings, indented by level, sized to the terminal."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.messages import HeadingChosen
from tui.text import one_line

WIDTH_SHARE = 5
"""The contents take at most 1/WIDTH_SHARE of the screen's width…"""
MIN_WIDTH, MAX_WIDTH = 20, 56
"""…and never less than MIN_WIDTH or more than MAX_WIDTH columns (headings longer than that are cut)."""


class Contents(OptionList):
    """The headings of the note shown; choosing one scrolls to it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table_of_contents: list[tuple[int, str, str]] = []
        """(level, heading, anchor) listed."""
        self.longest = 0
        """Width of the longest entry."""

    def show(self, table_of_contents: list[tuple[int, str, str]], screen_width: int) -> None:
        """List `table_of_contents`, as wide as its longest heading allows within the screen's share."""
        self.table_of_contents = table_of_contents
        top = min((level for level, _, _ in table_of_contents), default=1)
        labels = [("  " * (level - top) + one_line(heading), anchor) for level, heading, anchor in table_of_contents]
        self.longest = max((len(label) for label, _ in labels), default=0)
        room = self.fit(screen_width) - 2  # the border on the right and a space
        options = []
        for label, anchor in labels:
            if len(label) > room:  # one line each: cut with an ellipsis
                label = label[: max(1, room - 1)] + "…"
            options.append(Option(Text(label), id=anchor))
        self.set_options(options)

    def fit(self, screen_width: int) -> int:
        """Size the contents for a screen `screen_width` columns wide; returns the width."""
        share = max(MIN_WIDTH, min(MAX_WIDTH, screen_width // WIDTH_SHARE))
        width = max(MIN_WIDTH, min(share, self.longest + 4))
        self.styles.width = width
        return width

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(HeadingChosen(event.option_id))
