"""What converting one source yields (note id, Markdown, images to copy, warnings), and its helpers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml

from indexer.textsafe import printable

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".avif", ".ico"}
)
"""Only files with these suffixes are ever copied as images."""

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_NEEDS_BRACKETS = re.compile(r"[\s()<>]")


class SkipSource(Exception):
    """A source that is fine but not imported (not a page, empty, the home page); `str()` is why."""


@dataclass
class ImageCopy:
    """A local image found inside the source tree, and where its copy goes."""

    source: Path
    target: str
    """Path under the notes folder, `/`-separated: `<note id>/<file name>`."""


@dataclass
class ConvertedNote:
    """One source turned into a note, not yet written."""

    id: str
    """The note id: the note is written to `<notes>/<id>.md`."""
    source: Path
    markdown: str
    warnings: list[str] = field(default_factory=list)
    images: list[ImageCopy] = field(default_factory=list)


def render_note(title: str, meta: dict[str, Any], body: str) -> str:
    """A note as papernotes reads it: YAML front matter, then `# Title`, then the body."""
    title = " ".join(title.split())
    fields = {"title": title, **{k: v for k, v in meta.items() if v not in (None, "", [])}}
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=4096)
    parts = [f"---\n{front}---", f"# {title}"]
    if body.strip():
        parts.append(body.strip("\n"))
    return "\n\n".join(parts) + "\n"


def is_remote(ref: str) -> bool:
    """True for URLs (`https:`, `data:`, `//host/...`), which are kept as they are."""
    return bool(_REMOTE.match(ref.strip()))


def link_target(path: str) -> str:
    """`path` as a Markdown link destination (in `<...>` when it has spaces or brackets)."""
    return f"<{path}>" if _NEEDS_BRACKETS.search(path) else path


class ImagePlacer:
    """Finds local images inside the source tree and names their copies in `<notes>/<note id>/`.

    A reference is looked up under each of `bases` in turn. It is used only when it resolves
    (symlinks followed) to a regular image file inside `root`: absolute paths, `..` escapes and
    symlinks out of the tree are never read. Images not found are reported once, in `warnings()`.
    """

    def __init__(self, note_id: str, root: Path, display: str) -> None:
        self.note_id = note_id
        self.root = root.resolve()
        self.display = display
        self.copies: list[ImageCopy] = []
        """Images to copy, in the order they were first referenced."""
        self._links: dict[Path, str] = {}
        self._names: set[str] = set()
        self._missing: dict[str, int] = {}
        self._outside: dict[str, int] = {}

    def place(self, ref: str, bases: list[Path], line: int) -> str | None:
        """The link (relative to the note) for local image `ref`, or None when it can't be used."""
        found = self._look_up(ref, bases)
        if not isinstance(found, tuple):
            (self._outside if found == "outside" else self._missing).setdefault(ref, line)
            return None
        resolved, name = found
        if resolved not in self._links:
            name = self._free_name(name)
            self._names.add(name)
            self.copies.append(ImageCopy(resolved, f"{self.note_id}/{name}"))
            self._links[resolved] = f"{PurePosixPath(self.note_id).name}/{name}"
        return self._links[resolved]

    def warnings(self) -> list[str]:
        """At most one warning for images not found and one for images outside the tree."""
        return [text for _, text in sorted(self.reports())]

    def reports(self) -> list[tuple[int, str]]:
        """The warnings of `warnings()`, each with the line it is about."""
        found: list[tuple[int, str]] = []
        for refs, what in (
            (self._outside, "outside the source tree, not read"),
            (self._missing, "not found"),
        ):
            if refs:
                first = min(refs.values())
                names = ", ".join(printable(ref) for ref in refs)
                noun, kept = (
                    ("image", "a link") if len(refs) == 1 else (f"{len(refs)} images", "links")
                )
                found.append(
                    (first, f"{self.display}:{first}: {noun} {what}, kept as {kept}: {names}")
                )
        return found

    def _look_up(self, ref: str, bases: list[Path]) -> tuple[Path, str] | str:
        """(file, name) for an image inside the tree, else "outside" or "missing".

        "outside": absolute, or every candidate leaves the tree, or one that exists is outside
        (a symlink out of the tree). Files outside are only ever looked at with `stat`.
        """
        outside, inside = False, False
        for text in dict.fromkeys((ref, unquote(ref))):
            rel = PurePosixPath(text.replace("\\", "/"))
            if not text or rel.is_absolute() or re.match(r"^[a-zA-Z]:", text):
                outside = True
                continue
            for base in bases:
                try:
                    resolved = (base / rel).resolve()
                    if not resolved.is_relative_to(self.root):
                        outside = outside or resolved.exists()
                        continue
                    inside = True
                    if resolved.suffix.lower() in IMAGE_SUFFIXES and resolved.is_file():
                        return resolved, rel.name
                except (OSError, ValueError, RuntimeError):
                    continue
        return "outside" if outside or not inside else "missing"

    def _free_name(self, name: str) -> str:
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        return candidate
