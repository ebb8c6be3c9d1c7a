"""Turns note text into safe display text: no markup interpretation, no terminal escapes."""

from __future__ import annotations

import re

from rich.text import Text

from indexer.errors import NoteError
from indexer.names import short_name
from indexer.notemodel import Note
from indexer.textsafe import printable

_CITATION_MARK = re.compile(r"\[(\d{1,2})\]")
_LOCATION = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?: ")


def one_line(text: str) -> str:
    """`text` made printable with runs of whitespace (newlines included) collapsed."""
    return " ".join(printable(text).split())


def safe_markdown(source: str) -> str:
    """Markdown source without escape sequences, keeping every line where it was."""
    return "\n".join(printable(line) for line in source.split("\n"))


def plain(text: str, style: str = "") -> Text:
    """A literal rich Text (brackets stay brackets)."""
    return Text(one_line(text), style=style)


def with_citation_marks(text: str, style: str = "bold") -> Text:
    """Answer text with its `[n]` citation marks styled."""
    result = Text(printable(text))
    for match in _CITATION_MARK.finditer(result.plain):
        result.stylize(style, match.start(), match.end())
    return result


def short_title(note: Note) -> str:
    """A note's short name (`indexer.names.short_name`), safe to show."""
    return one_line(short_name(note))


def error_location(error: NoteError) -> tuple[str, int | None, str]:
    """The file (relative to the notes folder) and line a NoteError names, and the rest of its message."""
    match = _LOCATION.match(error.message)
    if not match:
        return "", None, error.message
    line = match.group("line")
    return match.group("path"), int(line) if line else None, error.message[match.end() :]
