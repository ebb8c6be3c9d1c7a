"""Provides the status line: model state, index state and the progress of an index build."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from indexer.store import IndexStatus

STAGES = {
    "loading model": "Loading model",
    "embedding": "Embedding passages",
    "embedding sentences": "Embedding sentences",
    "writing": "Writing index",
}


@dataclass
class AppState:
    """What the status line describes."""

    model: str = "loading"
    """"loading", "ready" or "failed"."""
    status: IndexStatus | None = None
    """The index compared with the notes (None until checked)."""
    status_problem: str | None = None
    """Why the status could not be checked."""
    notes: int | None = None
    """How many notes were loaded (None until loaded)."""
    unreadable: int = 0
    """How many files could not be read."""
    building: bool = False
    """Whether an index build is running."""


def index_text(state: AppState) -> tuple[str, str]:
    """What to say about the index, and a severity class ("", "-warning", "-error")."""
    if state.building:
        return "updating the index", ""
    if state.status_problem:
        return f"index: {state.status_problem}", "-error"
    status = state.status
    if status is None:
        return "checking the index…", ""
    if not status.exists:
        return "no index yet · ctrl+r builds it", "-warning"
    if status.problem:
        return f"{status.problem} · ctrl+r rebuilds it", "-warning"
    if status.changed:
        return f"{changes_counted(status)} on disk · ctrl+r updates the index", "-warning"
    return "index up to date", ""


def changes_counted(status: IndexStatus) -> str:
    """How the notes on disk differ from the index, by kind: "1 note deleted", "2 notes added, 1 changed"."""
    kinds = [(len(ids), verb) for ids, verb in ((status.added, "added"), (status.updated, "changed"), (status.removed, "deleted")) if ids]
    said = [f"{count} {verb}" for count, verb in kinds]
    if said:
        count = kinds[0][0]
        said[0] = f"{count} note{'s' if count != 1 else ''} {kinds[0][1]}"
    return ", ".join(said)


def model_text(state: AppState) -> str:
    """What to say about the model."""
    return {"loading": "loading model…", "ready": "model ready", "failed": "model unavailable"}.get(
        state.model, state.model
    )


def status_text(state: AppState) -> tuple[str, str]:
    """The whole status line's text and severity."""
    index, severity = index_text(state)
    parts = [model_text(state), index]
    if state.notes is not None:
        parts.append(f"{state.notes} note{'s' if state.notes != 1 else ''}")
    if state.unreadable:
        parts.append(f"{state.unreadable} unreadable (end of library)")
    if state.model == "failed":
        severity = "-error"
    return " · ".join(parts), severity


class StatusLine(Horizontal):
    """One line above the footer; shows a progress bar while the index is being built."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield Static(id="build-stage")
        yield ProgressBar(id="build-progress", show_eta=True)

    def on_mount(self) -> None:
        self.query_one("#build-stage").display = False
        self.query_one("#build-progress").display = False

    def show_state(self, state: AppState) -> None:
        """Describe the app's state."""
        text, severity = status_text(state)
        label = self.query_one("#status-text", Static)
        label.update(Content(text))
        label.set_classes(severity)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        """Show (or advance) the build's progress bar."""
        bar = self.query_one("#build-progress", ProgressBar)
        label = self.query_one("#build-stage", Static)
        label.update(Content(STAGES.get(stage, stage.capitalize()) + " "))
        label.display = True
        bar.display = True
        if stage == "loading model" or total <= 0:
            bar.update(total=None, progress=0)  # no count yet: an indeterminate bar
        else:
            bar.update(total=max(total, 1), progress=done)

    def hide_progress(self) -> None:
        """Hide the progress bar."""
        self.query_one("#build-stage").display = False
        bar = self.query_one("#build-progress", ProgressBar)
        bar.display = False
        bar.update(total=None, progress=0)
