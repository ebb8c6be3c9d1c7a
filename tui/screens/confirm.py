"""Provides the dialog asking before quitting would lose a half-typed question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.text import one_line

SHOWN = 60
"""Characters of the draft quoted in the dialog."""


class ConfirmQuit(ModalScreen[bool]):
    """Quit anyway, or stay and finish the question."""

    BINDINGS = [
        Binding("escape,n", "stay", "Stay"),
        Binding("y,q", "leave", "Quit"),
    ]

    def __init__(self, draft: str) -> None:
        super().__init__()
        self.draft = draft
        """The question typed so far."""

    def compose(self) -> ComposeResult:
        draft = one_line(self.draft)
        if len(draft) > SHOWN:
            draft = draft[: SHOWN - 1] + "…"
        with Vertical(id="confirm-dialog"):
            yield Static(
                Content.assemble(
                    "You have started a question:\n",
                    (f"“{draft}”", "italic"),
                    "\nQuit anyway? It will be lost (y, or ctrl+q again).",
                ),
                id="confirm-message",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Stay (n)", id="stay", variant="primary")
                yield Button("Quit (y)", id="leave", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-dialog").border_title = "Quit papernotes?"
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "leave")

    def action_stay(self) -> None:
        """Keep the app open."""
        self.dismiss(False)

    def action_leave(self) -> None:
        """Quit."""
        self.dismiss(True)
