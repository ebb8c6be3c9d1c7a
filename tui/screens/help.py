"""Provides the help screen: the full key table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

KEYS: list[tuple[str, str, str]] = [
    ("Everywhere", "F1", "this help"),
    (
        "Everywhere",
        "ctrl+p",
        "command palette: open paper, ask, update or rebuild the index, theme…",
    ),
    ("Everywhere", "a", "open the ask pane (beside the reader, or full screen when narrow)"),
    ("Everywhere", "r", "update the index (only changed notes); again to cancel a running build"),
    (
        "Everywhere",
        "esc",
        "back out one level: cancel an answer, close the ask pane, back to the library",
    ),
    ("Everywhere", "q", "quit (ctrl+q while typing in a box)"),
    ("Library", "type", "filter by title, tag, author or alias"),
    ("Library", "↑ ↓ / enter", "move, open the highlighted note"),
    ("Library", "tab", "move between the filter and the list"),
    ("Reader", "n / →", "next note in reading order"),
    ("Reader", "p / ←", "previous note in reading order"),
    ("Reader", "h", "back to the library (home)"),
    ("Reader", "1 – 4", "open a related note (listed on the note's card)"),
    ("Reader", "t", "show or hide the table of contents"),
    ("Reader", "↑ ↓ pgup pgdn home end", "scroll"),
    ("Ask", "enter", "ask the question"),
    ("Ask", "ctrl+t", "only this note / all notes"),
    ("Ask", "↑ then enter", "choose a citation of the last answer: opens the note at that passage"),
    ("Ask", "esc", "cancel the answer being computed, else close the pane"),
]


def help_markdown() -> str:
    """The key table as Markdown."""
    lines = ["# papernotes keys"]
    for section in dict.fromkeys(where for where, _, _ in KEYS):
        lines += ["", f"## {section}", "", "| Key | What it does |", "|---|---|"]
        lines += [f"| `{key}` | {what} |" for where, key, what in KEYS if where == section]
    lines += [
        "",
        "Answers come only from your notes and cite them; *Not in your notes* means nothing there answers.",
        "Follow-up questions (“how fast is it?”) are read in the light of the previous answer.",
    ]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """The full key table."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            with VerticalScroll():
                yield Markdown(help_markdown(), open_links=False)

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = "Help"
        self.query_one("#help-dialog").border_subtitle = "esc closes"
