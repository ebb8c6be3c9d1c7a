"""The reading order of notes: their `order` field, then prev/next links, then title (no Markdown parser: the catalog orders its records with it)."""

from __future__ import annotations

from typing import Any, TypeVar

from indexer.names import resolve_note

N = TypeVar("N", bound=Any)
"""A parsed note or a catalog record: anything with id, title and meta (order, prev, next)."""


def reading_order(notes: list[N]) -> list[N]:
    """Order notes by `order`, then by prev/next links, then by title."""
    base = sorted(
        notes,
        key=lambda n: (n.meta.order is None, n.meta.order or 0.0, n.title.lower(), n.id),
    )
    following: dict[str, str] = {}
    has_prev: set[str] = set()
    for note in base:
        if note.meta.next:
            target = resolve_note(base, note.meta.next)
            if target and target.id != note.id and target.id not in has_prev:
                following.setdefault(note.id, target.id)
                has_prev.add(target.id)
    for note in base:
        if note.meta.prev:
            before = resolve_note(base, note.meta.prev)
            if (
                before
                and before.id != note.id
                and note.id not in has_prev
                and before.id not in following
            ):
                following[before.id] = note.id
                has_prev.add(note.id)
    by_id = {n.id: n for n in base}
    placed: set[str] = set()
    ordered: list[N] = []

    def place_chain(start: N) -> None:
        current: N | None = start
        while current is not None and current.id not in placed:
            placed.add(current.id)
            ordered.append(current)
            nxt = following.get(current.id)
            current = by_id.get(nxt) if nxt else None

    for note in base:
        if note.id not in placed and note.id not in has_prev:
            place_chain(note)
    for note in base:
        if note.id not in placed:
            place_chain(note)
    return ordered
