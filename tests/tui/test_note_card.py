"""The header card's author line: cut only when that hides at least two names."""

from __future__ import annotations

from tui.widgets.note_card import MAX_AUTHORS, authors_line


def test_one_name_more_than_the_limit_is_shown_not_hidden() -> None:
    names = [f"Author {i}" for i in range(MAX_AUTHORS + 1)]
    assert authors_line(names) == ", ".join(names) and "more" not in authors_line(names)


def test_longer_lists_are_cut_with_the_count() -> None:
    names = [f"Author {i}" for i in range(MAX_AUTHORS + 3)]
    assert authors_line(names).endswith(f"Author {MAX_AUTHORS - 1} and 3 more")
