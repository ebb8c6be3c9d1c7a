"""Markdown notes from other collections → notes: front matter derived when missing, images copied."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import yaml

from indexer.errors import ImportFailed, NoteError
from indexer.frontmatter import yaml_error_line, yaml_error_message
from indexer.html import rewrite_image_sources
from indexer.importers.byline import byline_authors
from indexer.importers.converted import (
    ConvertedNote,
    ImagePlacer,
    SkipSource,
    is_remote,
    link_target,
    render_note,
)
from indexer.importers.selection import NOT_A_NOTE, is_template, without_placeholder
from indexer.notes import METADATA_KEYS, decode_note

logger = logging.getLogger(__name__)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IMAGE = re.compile(r"(!\[(?:[^\[\]\\\n]|\\.)*\]\(\s*)(<[^<>\n]*>|[^\s()<>]+)")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_ATX_SUBHEADING = re.compile(r"^ {0,3}#{2,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
TITLE_MIN_WORDS = 3
"""A note that opens with a `##` heading instead of a `#` title: the heading is its title when it has at
least this many words and more than the file name. Paper titles run to several words ("Bootstrap Your
Own Latent: A New Approach to Self-Supervised Learning", 10 in papers_we_read's BYOL.md); the section
names notes open with do not ("Summary", "TL;DR", "Abstract": one or two)."""
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_META_ITEM = re.compile(
    r"^ {0,3}[-*+][ \t]+\*\*(?P<key>[^*\n]+?)\s*(?::\s*\*\*|\*\*\s*:)\s*[-–—]?\s*(?P<value>.*?)\s*$"
)
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_URL = re.compile(r"<(https?://[^>\s]+)>|(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")
_ARXIV_ID = re.compile(r"(?:arxiv:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def convert_note(
    path: Path, root: Path | None = None, display: str | None = None, *, keep_all: bool = True
) -> ConvertedNote:
    """Turn the Markdown note at `path` into a papernotes note.

    Front matter is kept as it is; without it, one is made from the first `# heading` and a
    `* **Title**: ...` metadata list at the top. Local images inside `root` (default: the note's
    folder) are copied to `<note id>/`, with `?raw=true` dropped. The id is the note's path under
    `root` without `.md`. Raises ImportFailed for unreadable files or broken front matter, and
    SkipSource for an empty one.
    """
    root = root or path.parent
    display = display or path.name
    try:
        note_id = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).with_suffix("").as_posix()
    except ValueError:
        note_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{display}: cannot read ({error.strerror or error})") from None
    try:
        text = decode_note(data, display)
    except NoteError as error:
        raise ImportFailed(error.message, error.hint) from None
    if not text.strip():
        raise SkipSource("empty note")
    placer = ImagePlacer(note_id, root, display)
    front, front_title = _front_matter(text, display)
    if front is not None:
        if not keep_all and is_template(display, front_title, text[len(front) :]):
            raise SkipSource(NOT_A_NOTE)
        body = _rewrite_images(text[len(front) :], front.count("\n") + 1, placer, path.parent)
        markdown = front + body
    else:
        title, meta, body = _derive(_rewrite_images(text, 1, placer, path.parent), path.stem)
        if not keep_all and is_template(display, title, body):
            raise SkipSource(NOT_A_NOTE)
        markdown = render_note(without_placeholder(title), meta, body)
    return ConvertedNote(
        id=note_id, source=path, markdown=markdown, warnings=placer.warnings(), images=placer.copies
    )


def _front_matter(text: str, display: str) -> tuple[str | None, str]:
    """The front matter block (with its `---` lines; None when there is none) and its title.

    ImportFailed if it is broken, naming the line where the problem starts.
    """
    if not text.startswith("---\n"):
        return None, ""
    lines = text.split("\n")
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            break
    else:
        return None, ""
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        line = yaml_error_line(error, 2)
        raise ImportFailed(
            f"{display}:{line}: invalid front matter ({yaml_error_message(error)})"
        ) from None
    except RecursionError:
        raise ImportFailed(f"{display}:2: invalid front matter (too deeply nested)") from None
    if data is not None and not isinstance(data, dict):
        raise ImportFailed(f"{display}:2: front matter is not `key: value` pairs")
    title = data.get("title") if isinstance(data, dict) else None
    return "\n".join(lines[: end + 1]) + "\n", title if isinstance(title, str) else ""


def _derive(text: str, stem: str) -> tuple[str, dict[str, Any], str]:
    """Title, front matter and body of a note without front matter."""
    lines = text.split("\n")
    start = _skip_blank(lines, 0)
    title: str | None = None
    file_alias: str | None = None
    if start < len(lines) and (match := _ATX_H1.match(lines[start])):
        title = match[1].strip()
        del lines[start]
    elif (
        start + 1 < len(lines)
        and not _LIST_ITEM.match(lines[start])
        and _SETEXT_H1.match(lines[start + 1])
    ):
        title = lines[start].strip()
        del lines[start : start + 2]
    elif start < len(lines) and (match := _ATX_SUBHEADING.match(lines[start])):
        if _names_the_paper(match[1], stem):
            title = match[1].strip()
            del lines[start]
            named = stem.replace("_", " ").strip()
            if named.casefold() != title.casefold():
                file_alias = named
    found: dict[str, Any] = {}
    i = _skip_blank(lines, start)
    while i < len(lines) and _LIST_ITEM.match(lines[i]):
        match = _META_ITEM.match(lines[i])
        key = METADATA_KEYS.get(" ".join(match["key"].lower().split())) if match else None
        value = _field(key, match["value"]) if match and key else None
        if key and value not in (None, "", []) and key not in found:
            found[key] = value
            del lines[i]
        else:
            i += 1
        following = _skip_blank(lines, i)
        if following < len(lines) and _LIST_ITEM.match(lines[following]):
            i = following  # a loose list: items apart by blank lines
    listed_title = found.pop("title", None)
    aliases = (
        [listed_title]
        if title and listed_title and listed_title.casefold() != title.casefold()
        else []
    )
    meta = {key: found.get(key) for key in ("authors", "year", "paper", "code", "source", "tags")}
    if not meta["authors"]:  # "Ashish Vaswani, Noam Shazeer, …, NIPS 2017" under the title
        meta["authors"] = byline_authors(lines, start) or None
    meta["aliases"] = [*aliases, file_alias] if file_alias else aliases
    body = "\n".join(lines).strip("\n")
    return title or listed_title or stem, meta, body


def _names_the_paper(heading: str, stem: str) -> bool:
    """Whether a `##` heading opening a note is its title (see TITLE_MIN_WORDS), not a first section."""
    words = len(heading.split())
    return words >= TITLE_MIN_WORDS and words > len(re.split(r"[\s_-]+", stem.strip("_- ")))


def _field(key: str, value: str) -> Any:
    """A metadata list value as a front matter field (links → URLs, lists split, year as int)."""
    if key in ("paper", "code"):
        link = _LINK.search(value)
        url = _URL.search(value)
        if link:
            return link[2]
        if url:
            return url[1] or url[2]
        arxiv = _ARXIV_ID.fullmatch(value.strip())
        if key == "paper" and arxiv:
            return f"https://arxiv.org/abs/{arxiv[1]}"
        return _plain(value) or None
    if key == "year":
        year = _YEAR.search(value)
        return int(year[0]) if year else None
    if key == "authors":
        return [a for a in re.split(r"\s*(?:,|;|&|\band\b)\s*", _plain(value)) if a]
    if key == "tags":
        parts = value.split(",") if "," in value else value.split()
        return [tag for tag in (_plain(p).strip("#` ") for p in parts) if tag]
    return _plain(value) or None


def _plain(value: str) -> str:
    """Inline Markdown reduced to text: links to their labels, emphasis and code marks dropped."""
    text = _LINK.sub(lambda m: m[1], value)
    return " ".join(re.sub(r"(\*\*|__|`)", "", text).split()).strip("*_ ")


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _rewrite_images(text: str, first_line: int, placer: ImagePlacer, folder: Path) -> str:
    """Point local images at their copies; code blocks and remote images are left alone.

    Markdown images are rewritten line by line; `<img>` tags over each stretch between code
    blocks, since a tag's attributes may continue on the next lines.
    """
    out: list[str] = []
    stretch: list[str] = []
    start = first_line

    def flush() -> None:
        if not stretch:
            return
        joined = "\n".join(stretch)

        def html_source(src: str, offset: int) -> str:
            line = start + joined.count("\n", 0, offset)
            return _destination(src, line, placer, folder, html=True)

        out.append(rewrite_image_sources(joined, html_source))
        stretch.clear()

    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=first_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                if not line.strip()[len(opening[1]) :].strip():
                    fence = None
            out.append(line)
        elif opening:
            flush()
            fence = opening[1]
            out.append(line)
        else:
            if not stretch:
                start = number
            stretch.append(
                _IMAGE.sub(lambda m, n=number: m[1] + _destination(m[2], n, placer, folder), line)
            )
    flush()
    return "\n".join(out)


def _destination(raw: str, line: int, placer: ImagePlacer, folder: Path, html: bool = False) -> str:
    """The new link for image destination `raw`, or `raw` itself when it stays as it is."""
    ref = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    local = re.split(r"[?#]", ref, maxsplit=1)[0]
    if not local or is_remote(ref):
        return raw
    link = placer.place(local, [folder], line)
    if link is None:
        return raw
    return link if html else link_target(link)
