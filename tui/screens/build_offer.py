"""Provides the dialog offering to build (or update) the index."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class BuildOffer(ModalScreen[bool]):
    """Asks whether to build the index now; dismissed with True to build, False for not now, None when typing closed it."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Not now")]

    def __init__(self, title: str, message: str, action: str) -> None:
        super().__init__()
        self.title_text = title
        """The dialog's title."""
        self.message = message
        """What is wrong with the index (plain text)."""
        self.action_label = action
        """Label of the button that builds."""

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-dialog"):
            yield Static(Content(self.message), id="offer-message")
            with Horizontal(id="offer-buttons"):
                yield Button(Content(self.action_label), variant="primary", id="offer-build")
                yield Button(Content("Not now"), id="offer-later")

    @staticmethod
    def typed_over(event: events.Event) -> bool:
        """Whether `event` is typing (a paste, a printable key but space): it closes the offer unanswered and goes on where the user was typing."""
        if isinstance(event, events.Paste):
            return True
        return isinstance(event, events.Key) and event.is_printable and event.character != " "

    def on_mount(self) -> None:
        self.query_one("#offer-dialog").border_title = Content(self.title_text)
        self.query_one("#offer-build").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "offer-build")
