"""Provides the help screen: the full key table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

KEYS: list[tuple[str, str, str]] = [
    ("Everywhere", "F1", "this help"),
    ("Everywhere", "ctrl+p", "command palette: open paper, ask, update or rebuild the index, theme, screenshot…"),
    ("Everywhere", "ctrl+a", "ask: open the ask pane with the cursor in the question box (also `a` in the reader)"),
    ("Everywhere", "ctrl+r", "update the index (only changed notes); again to cancel a running build (also `r` in the reader)"),
    ("Everywhere", "esc", "back out one level: cancel an answer, close the ask pane, go back from a jump, back to the library (and no further)"),
    ("Everywhere", "ctrl+q", "quit (`q` in the reader); it asks first when a question is half-typed: ctrl+q again quits"),
    ("Library", "type or /", "filter by name (or alias), title, year, tag or author (from the list too)"),
    ("Library", "↑ ↓ / enter", "move, open the highlighted note"),
    ("Library", "tab", "move between the filter and the list"),
    ("Library", "esc", "clear the filter, else move from the filter to the list; the library is as far back as esc goes"),
    ("Reader", "n / →", "next note in reading order"),
    ("Reader", "p / ←", "previous note in reading order"),
    ("Reader", "h", "back to the library (home)"),
    ("Reader", "/", "find a note: to the library, the cursor in its filter"),
    ("Reader", "1 – 4", "open a related note (listed on the note's card)"),
    ("Reader", "esc / [ / alt+←", "go back to the note a jump (related note, citation, link) came from"),
    ("Reader", "] / alt+→", "go forward again"),
    ("Reader", "t", "show or hide the table of contents"),
    ("Reader", "↑ ↓ pgup pgdn home end", "scroll"),
    ("Ask", "enter", "ask the question"),
    ("Ask", "ctrl+t", "only this note / all notes"),
    ("Ask", "↑ then enter", "choose a citation of the last answer: opens the note at that passage"),
    ("Ask", "type", "from the citations, or in the passage just opened from them, letters go on in the question box (→ ← pgup pgdn [ ] keep their jobs)"),
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
        # deferred: Textual's Markdown widget is only needed here
        from textual.widgets import Markdown

        with Vertical(id="help-dialog"):
            with VerticalScroll():
                yield Markdown(help_markdown(), open_links=False)

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = "Help"
        self.query_one("#help-dialog").border_subtitle = "esc closes"
