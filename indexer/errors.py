"""User-facing errors: a message and a hint, turned into one clean line at the edge."""

from __future__ import annotations


class PapernotesError(Exception):
    """An error the user can act on; `str()` is the message, `hint` says what to do."""

    title = "papernotes error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class NoteError(PapernotesError):
    """A note (file) could not be read or parsed."""

    title = "Broken note"


class FolderMissingError(NoteError):
    """The notes folder is not there (a typo in --notes, or a folder moved away)."""

    title = "Notes folder not found"

    def __init__(self, root: object) -> None:
        super().__init__(f"notes folder not found: {root}", "pass --notes DIR or set PAPERNOTES_NOTES")


class IndexMissingError(PapernotesError):
    """There is no index for the notes folder yet."""

    title = "No index"


class IndexCorruptError(PapernotesError):
    """The index on disk is damaged, for another model, or from a newer schema."""

    title = "Index needs a rebuild"


class IndexBusyError(PapernotesError):
    """Another process is writing the index."""

    title = "Index busy"

    def __init__(self, message: str, hint: str | None = None, *, reason: str | None = None) -> None:
        super().__init__(message, hint)
        self.reason = reason or message
        """Why the index could not be updated now, in a few words (for a stale-index warning)."""


class IndexWriteError(PapernotesError):
    """The index could not be written (no space, read-only, no permission); its last good generation is intact."""

    title = "Index not updated"

    def __init__(self, message: str, hint: str | None = None, *, reason: str) -> None:
        super().__init__(message, hint)
        self.reason = reason
        """Why, in a few words: "no space left on /mnt", "/mnt is read-only"."""


class ModelError(PapernotesError):
    """The embedding model could not be loaded."""

    title = "Model not available"


class ImportFailed(PapernotesError):
    """A source could not be imported."""

    title = "Import failed"


class IndexStale(PapernotesError):
    """The index could not be updated; answers come from its last good generation (the message says why)."""

    title = "Answering from the last good index"
