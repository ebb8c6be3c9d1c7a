"""Heading-aware chunks: each stays in one section, fits the model's token limit, and knows its lines."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.sentences import split_sentences

if TYPE_CHECKING:  # types only: `Chunk` is imported by readers of the index, which parse no notes
    from indexer.embedding import TokenCounter
    from indexer.notes import Note, Section

ABOUT_SECTION = "About"
"""Section label of the chunk made from a note's title and metadata."""
_MIN_BUDGET = 32


@dataclass(frozen=True)
class Chunk:
    """A passage of a note: what is embedded, searched and cited."""

    id: str
    note_id: str
    ordinal: int
    section: str
    start_line: int
    end_line: int
    text: str
    context: str

    @property
    def embed_text(self) -> str:
        """The text given to the encoder: `title › section` context, then the passage."""
        return f"{self.context}\n{self.text}"

    @property
    def content_hash(self) -> str:
        """Hash of what is embedded: equal hashes can share one vector."""
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Unit:
    text: str
    start_line: int
    end_line: int
    tokens: int


def chunk_note(note: Note, counter: TokenCounter) -> list[Chunk]:
    """Split a note into chunks that never cross a section and never exceed the token limit."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}

    def add(section: str, context: str, text: str, start: int, end: int) -> None:
        base = hashlib.sha1(f"{note.id}\x00{section}\x00{text}".encode()).hexdigest()[:12]
        seen[base] = seen.get(base, 0) + 1
        suffix = "" if seen[base] == 1 else f"-{seen[base]}"
        chunks.append(
            Chunk(
                id=f"{note.id}#{base}{suffix}",
                note_id=note.id,
                ordinal=len(chunks),
                section=section,
                start_line=start,
                end_line=end,
                text=text,
                context=context,
            )
        )

    about = about_text(note)
    if about:
        context = _fit_context(f"{note.title} › {ABOUT_SECTION}", counter)
        for unit in _pack(_units_for(about, 1, max(1, note.body_start_line - 1), _budget(context, counter), counter), _budget(context, counter)):
            add(ABOUT_SECTION, context, unit.text, unit.start_line, unit.end_line)
    for section in note.sections:
        if not section.blocks:
            continue
        context = _fit_context(section_context(note, section), counter)
        budget = _budget(context, counter)
        units: list[_Unit] = []
        for block in section.blocks:
            text = ("  " * block.depth + "- " + block.text) if block.kind == "list_item" else block.text
            units.extend(_units_for(text, block.start_line, block.end_line, budget, counter))
        for unit in _pack(units, budget):
            add(section.label, context, unit.text, unit.start_line, unit.end_line)
    return chunks


def section_context(note: Note, section: Section) -> str:
    """`Title › Section › Subsection` for a section (just the title for the intro)."""
    return " › ".join((note.title, *section.path)) if section.path else note.title


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def about_text(note: Note) -> str:
    """One passage stating a note's title, aliases, authors, year, tags and links."""
    meta = note.meta
    lines = [f"{note.title}."]
    if meta.aliases:
        lines.append(_sentence(f"Also known as {', '.join(meta.aliases)}"))
    if meta.authors:
        lines.append(_sentence(f"Authors: {', '.join(meta.authors)}"))  # "…, et al." ends in its own period
    if meta.year and getattr(meta, "year_line", None) is None:  # a byline's year is in the note's own text
        lines.append(f"Year: {meta.year}.")
    if meta.tags:
        lines.append(f"Tags: {', '.join(meta.tags)}.")
    if meta.paper:
        lines.append(f"Paper: {meta.paper}")
    if meta.code:
        lines.append(f"Code: {meta.code}")
    if meta.source:
        lines.append(f"Source: {meta.source}")
    return "\n".join(lines) if len(lines) > 1 else ""


def _budget(context: str, counter: TokenCounter) -> int:
    return max(_MIN_BUDGET, counter.max_tokens - counter.count(context) - 1)


def _fit_context(context: str, counter: TokenCounter) -> str:
    """Shorten a context line that would leave too little room for text."""
    limit = counter.max_tokens // 3
    if counter.count(context) <= limit:
        return context
    words = context.split()
    while words and counter.count(" ".join(words) + " …") > limit:
        words = words[: max(1, len(words) * 3 // 4)] if len(words) > 1 else []
    return (" ".join(words) + " …") if words else "…"


def _units_for(text: str, start: int, end: int, budget: int, counter: TokenCounter) -> list[_Unit]:
    """The block as one unit, or split at sentences (and then words) when it is too long."""
    tokens = counter.count(text)
    if tokens <= budget:
        return [_Unit(text, start, end, tokens)]
    units: list[_Unit] = []
    for sentence in _sentences(text):
        count = counter.count(sentence)
        if count <= budget:
            units.append(_Unit(sentence, start, end, count))
        else:
            units.extend(_Unit(piece, start, end, counter.count(piece)) for piece in _hard_split(sentence, budget, counter))
    return units


def _sentences(text: str) -> list[str]:
    """`text` cut at sentence boundaries, keeping every character (split_sentences drops closing quotes)."""
    starts: list[int] = []
    position = 0
    for sentence in split_sentences(text):
        found = text.find(sentence, position)
        if found < 0:  # not a verbatim piece: cut nowhere rather than lose text
            return [text.strip()]
        starts.append(found)
        position = found + len(sentence)
    ends = [*starts[1:], len(text)]
    return [piece for piece in (text[a:b].strip() for a, b in zip(starts, ends, strict=True)) if piece]


def _hard_split(text: str, budget: int, counter: TokenCounter) -> Iterator[str]:
    """Cut an over-long sentence into pieces of at most `budget` word pieces, at spaces when possible."""
    encoding = counter.tokenizer.encode(text, add_special_tokens=False)
    offsets = encoding.offsets
    begin = 0
    index = 0
    while index < len(offsets):
        stop = min(index + budget, len(offsets))
        cut = offsets[stop][0] if stop < len(offsets) else len(text)
        if stop < len(offsets):
            space = text.rfind(" ", offsets[index][0], cut + 1)
            if space > offsets[index][0]:
                cut = space
        piece = text[begin:cut].strip()
        while piece and counter.count(piece) > budget:
            cut = begin + max(1, (cut - begin) * 9 // 10)
            piece = text[begin:cut].strip()
        if piece:
            yield piece
        begin = cut
        while index < len(offsets) and offsets[index][0] < cut:
            index += 1
        if not piece and index < len(offsets):
            index += 1
    tail = text[begin:].strip()
    if tail:
        yield tail


def _pack(units: list[_Unit], budget: int) -> list[_Unit]:
    """Greedily join consecutive units into passages within the budget."""
    packed: list[_Unit] = []
    current: list[_Unit] = []
    used = 0
    for unit in units:
        if current and used + unit.tokens > budget:
            packed.append(_join(current))
            current, used = [], 0
        current.append(unit)
        used += unit.tokens
    if current:
        packed.append(_join(current))
    return packed


def _join(units: list[_Unit]) -> _Unit:
    return _Unit(
        text="\n".join(u.text for u in units),
        start_line=min(u.start_line for u in units),
        end_line=max(u.end_line for u in units),
        tokens=sum(u.tokens for u in units),
    )
