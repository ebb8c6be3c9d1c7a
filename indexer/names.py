"""The names of a note: its short name (what people call the paper), slugs, and finding a note by name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from indexer.notemodel import Note

MAX_SHORT_NAME = 30
"""Longest alias or part before a colon used as a short name. In content/ and papers_we_read the
parts before a colon run from 4 ("BART") to 29 ("An Image is Worth 16x16 Words") characters; the
next longer ones are whole phrases (a question, a sentence) rather than names."""
_ACRONYM = re.compile(r"\(([^()\s]{2,15})\)\s*$")
_LEADING_NAME = re.compile(r"^([^\s()]{2,20}) \(.{4,}\)$")


def slugify(text: str) -> str:
    """A lowercase, dash-separated identifier for `text`."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "note"


def short_name(note: Note | Any) -> str:
    """The name people know a paper by: MobileSAM, not "Faster Segment Anything: Towards…".

    The first alias, unless the title starts with the paper's own one-word name ("DINOv2: …",
    "EfficientSAM: …") or with a name the alias only adds to ("Depth Anything: …" and alias
    "Depth Anything V1"). Without aliases: the note's `# Heading` when it is shorter than the
    title, else the title; of that, the part before a colon, or its acronym in brackets
    ("… with Transformers (DETR)", "CLIP (Contrastive Language–Image Pre-training)").
    Works on anything with `title` and `meta.aliases` (a catalog record too).
    """
    aliases = [_one_line(a) for a in note.meta.aliases if a.strip()]
    alias = aliases[0] if aliases and len(aliases[0]) <= MAX_SHORT_NAME else None
    title = _one_line(note.title)
    named = _before_colon(title)
    if alias:
        if named and (" " not in named or _squashed(alias).startswith(_squashed(named))):
            return named
        return alias
    heading = _one_line(getattr(note, "heading", None) or "")  # catalog records have no heading
    name = heading if heading and len(heading) < len(title) else title
    return _before_colon(name) or _acronym(name) or name


def _before_colon(name: str) -> str | None:
    head, colon, _ = name.partition(":")
    head = head.strip()
    return head if colon and 2 <= len(head) <= MAX_SHORT_NAME else None


def _acronym(name: str) -> str | None:
    trailing = _ACRONYM.search(name)
    if trailing and trailing.start() > 0:
        return trailing[1]
    leading = _LEADING_NAME.match(name)
    return leading[1] if leading else None


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def resolve_note(notes: Iterable[Note], key: str) -> Note | None:
    """Find a note by id, relative path, title, alias or slug (case-insensitive)."""
    wanted = key.strip().lower().removesuffix(".md")
    notes = list(notes)
    for getter in (
        lambda n: [n.id.lower()],
        lambda n: [n.rel_path.lower().removesuffix(".md")],
        lambda n: [n.title.lower()],
        lambda n: [a.lower() for a in n.meta.aliases],
        lambda n: [slugify(n.title), n.id.rsplit("/", 1)[-1].lower()],
    ):
        for note in notes:
            if wanted in getter(note):
                return note
    slug = slugify(wanted)
    for note in notes:
        if slug in (slugify(note.title), slugify(note.id.rsplit("/", 1)[-1])):
            return note
    return None
