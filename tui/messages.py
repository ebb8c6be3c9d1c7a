"""Typed messages: widgets ask the app for things, workers report results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # types only: importing them would cost the app's start-up the answer and parser modules
    from indexer.answer import Answer, Citation
    from indexer.catalog import Catalog
    from indexer.errors import NoteError
    from indexer.knowledge import RelatedNote
    from indexer.notes import Note, NoteCollection
    from indexer.store import BuildReport, IndexStatus

# --- from widgets ------------------------------------------------------------------------------


class OpenNote(Message):
    """Open a note in the reader, optionally scrolled to a cited passage."""

    def __init__(
        self, note_id: str, citation: Citation | None = None, *, jump: bool = False, from_ask: bool = False
    ) -> None:
        super().__init__()
        self.note_id = note_id
        """Id of the note to open."""
        self.citation = citation
        """The passage to scroll to and highlight, if any."""
        self.jump = jump
        """Whether this is a jump from the note being read (Escape comes back), not a pick from the library."""
        self.from_ask = from_ask
        """Whether it was chosen in the ask pane (letters typed in the reader then go on with the conversation)."""


class OpenBrokenNote(Message):
    """Show the error card of a file that could not be read."""

    def __init__(self, error: NoteError) -> None:
        super().__init__()
        self.error = error
        """Why the file could not be read (its message names the file and line)."""


class AskQuestion(Message):
    """Answer a question from the notes."""

    def __init__(self, question: str, scope: str | None) -> None:
        super().__init__()
        self.question = question
        """The question as typed."""
        self.scope = scope
        """Id of the only note to search, or None for all notes."""


class CitationChosen(Message):
    """The user chose a citation (or a closest passage) of an answer."""

    def __init__(self, citation: Citation) -> None:
        super().__init__()
        self.citation = citation
        """The chosen passage."""


# --- from workers ------------------------------------------------------------------------------


class NotesLoaded(Message):
    """The notes folder was parsed and compared with the index."""

    def __init__(
        self, collection: NoteCollection, status: IndexStatus | None, problem: str | None
    ) -> None:
        super().__init__()
        self.collection = collection
        """The notes in reading order, with unreadable files."""
        self.status = status
        """How the index compares with the notes (None when it could not be checked)."""
        self.problem = problem
        """Why the status could not be checked, if it couldn't."""


class NotesListed(Message):
    """The notes as the catalog knows them (fast, before every note is parsed), and the last note read."""

    def __init__(self, catalog: Catalog, first: Note | None, status: IndexStatus | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        """Ids, titles, metadata and unreadable files, in reading order."""
        self.first = first
        """The note last read, parsed (None when there is none)."""
        self.status = status
        """How the index compares with these notes (None when that could not be read)."""


class NotesFailed(Message):
    """The notes folder could not be read at all."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class NotesChangedOnDisk(Message):
    """The watcher saw notes added, changed or deleted."""


class ModelReady(Message):
    """The embedding model is loaded: questions can be answered."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        """How long loading took."""


class ModelFailed(Message):
    """The embedding model could not be loaded."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class BuildProgressed(Message):
    """An index build advanced (stage, done, total), as reported by the store."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class BuildFinished(Message):
    """An index build finished."""

    def __init__(
        self, report: BuildReport, collection: NoteCollection, status: IndexStatus
    ) -> None:
        super().__init__()
        self.report = report
        """What the build did."""
        self.collection = collection
        """The notes the index was built from."""
        self.status = status
        """The index status after the build."""


class BuildFailed(Message):
    """An index build failed or was cancelled."""

    def __init__(self, error: Exception, cancelled: bool = False) -> None:
        super().__init__()
        self.error = error
        self.cancelled = cancelled
        """True when the user cancelled it (the previous index is unchanged)."""


class AnswerReady(Message):
    """A question was answered."""

    def __init__(self, turn: int, answer: Answer, *, during_update: bool = False) -> None:
        super().__init__()
        self.turn = turn
        """The conversation turn the answer belongs to."""
        self.answer = answer
        self.during_update = during_update
        """Answered from the last committed index while an update ran (the newest edits may be missing)."""


class AnswerFailed(Message):
    """A question could not be answered (no index, no model, damaged index…)."""

    def __init__(self, turn: int, error: Exception) -> None:
        super().__init__()
        self.turn = turn
        self.error = error


class RelatedReady(Message):
    """The notes most similar to a note were found."""

    def __init__(self, note_id: str, related: list[RelatedNote]) -> None:
        super().__init__()
        self.note_id = note_id
        self.related = related


class LinkClicked(Message):
    """A link in a note was clicked."""

    def __init__(self, href: str) -> None:
        super().__init__()
        self.href = href
        """The link's target as written in the note."""


class HeadingChosen(Message):
    """A heading was chosen in the table of contents."""

    def __init__(self, anchor: str) -> None:
        super().__init__()
        self.anchor = anchor
        """The heading's anchor (slug)."""
