"""Property-based tests of the Markdown parser and the chunker: no exception, token limit, line ranges, coverage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.chunking import Chunk, about_text, chunk_note
from indexer.embedding import ModelSpec, TokenCounter
from indexer.errors import NoteError
from indexer.notes import Note, read_note


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )

# Words by role: body words (q…) must all reach the chunks; heading (z…) and front matter (f…) words
# go to titles and contexts instead.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
BODY_WORD = re.compile(r"\bq[a-z]{2,12}\b")
body_words = st.text(_LETTERS, min_size=2, max_size=12).map(lambda w: f"q{w}")
heading_words = st.text(_LETTERS, min_size=2, max_size=12).map(lambda w: f"z{w}")
front_words = st.text(_LETTERS, min_size=2, max_size=12).map(lambda w: f"f{w}")
punctuation = st.sampled_from([",", ";", ":", "(e.g.", "et al.", "3.5", "1.2x", "—", "&", "*", "`code`"])
sentence = st.builds(
    lambda words, end, close: " ".join(words) + end + close,
    st.lists(st.one_of(body_words, body_words, body_words, punctuation), min_size=1, max_size=18),
    st.sampled_from([".", "!", "?", "…", ""]),
    st.sampled_from(["", ")", '"', "'", "]", '")']),
)
paragraph = st.lists(sentence, min_size=1, max_size=40).map(" ".join)
long_word = st.text(_LETTERS, min_size=150, max_size=3000).map(lambda w: f"q{w}")
cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=600)
emphasis = st.builds(lambda a, b: f"**{a}** and _{b}_", body_words, body_words)


@st.composite
def bullet_list(draw: st.DrawFn) -> str:
    items, depth = [], 0
    for _ in range(draw(st.integers(1, 8))):
        depth = draw(st.integers(0, min(depth + 1, 3)))
        marker = draw(st.sampled_from(["-", "*", "+", "1."]))
        items.append("  " * depth * (2 if marker == "1." else 1) + f"{marker} {draw(sentence)}")
    return "\n".join(items)


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 4))
    row = st.lists(st.lists(body_words, min_size=1, max_size=3).map(" ".join), min_size=columns, max_size=columns)
    rows = [draw(row) for _ in range(draw(st.integers(1, 5)))]
    lines = ["| " + " | ".join(draw(row)) + " |", "|" + "---|" * columns]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


code = st.lists(st.lists(body_words, max_size=8).map(" ".join), min_size=1, max_size=10).map(
    lambda lines: "```\n" + "\n".join(lines) + "\n```"
)
heading = st.builds(
    lambda level, words: "#" * level + " " + " ".join(words),
    st.integers(1, 6),
    st.lists(heading_words, min_size=1, max_size=30),
)
image = st.builds(
    lambda alt, src: f"![{' '.join(alt)}]({src})",
    st.lists(body_words, min_size=1, max_size=4),
    st.sampled_from(["images/fig.png", "../outside.png", "/etc/passwd", "https://example.org/x.png", "fig.png?raw=true"]),
)
html = st.lists(body_words, min_size=1, max_size=10).map(lambda w: "<div>\n" + " ".join(w) + "\n</div>")
quote = sentence.map(lambda s: f"> {s}")
block = st.one_of(paragraph, paragraph, bullet_list(), table(), code, heading, heading, image, html, quote, long_word, cjk, emphasis)
front_matter = st.one_of(
    st.just(""),
    st.builds(
        lambda title, tags, year: f'---\ntitle: "{" ".join(title)}"\ntags: [{", ".join(tags)}]\nyear: {year}\n---\n',
        st.lists(front_words, min_size=1, max_size=40),
        st.lists(front_words, max_size=5),
        st.integers(1900, 2100),
    ),
    st.just("---\ntitle: [unclosed\n---\n"),
    st.just("---\n- a\n- list\n---\n"),
    st.just("---\ntitle: not closed\n"),
)


@st.composite
def markdown_notes(draw: st.DrawFn) -> str:
    """A Markdown note assembled from realistic blocks, with a line-ending style and optional front matter."""
    blocks = draw(st.lists(block, max_size=14))
    text = draw(front_matter) + "\n\n".join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))
    return text.replace("\n", draw(st.sampled_from(["\n", "\n", "\r\n"])))


any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000)


@pytest.fixture(scope="module")
def counter(spec: ModelSpec) -> TokenCounter:
    """The packaged model's own tokenizer."""
    return TokenCounter(spec)


def _parse(tmp_path: Path, data: bytes) -> Note | None:
    """The note read from a real file holding `data`, or None when it is rejected with a NoteError."""
    path = tmp_path / "note.md"
    path.write_bytes(data)
    try:
        return read_note(path, tmp_path)
    except NoteError:
        return None


def _squash(text: str) -> str:
    return "".join(text.split())


def _block_text(kind: str, text: str, depth: int) -> str:
    return ("  " * depth + "- " + text) if kind == "list_item" else text


def _about_chunks(note: Note, chunks: list[Chunk]) -> int:
    """How many leading chunks hold the About passage (title and metadata, not tied to body lines)."""
    target, held, count = _squash(about_text(note)), "", 0
    while held != target and count < len(chunks):
        held += _squash(chunks[count].text)
        count += 1
    return count if held == target else 0


def _check(note: Note, chunks: list[Chunk], counter: TokenCounter) -> None:
    lines = note.text.count("\n") + 1
    for chunk in chunks:
        assert counter.count(chunk.embed_text) <= counter.max_tokens, chunk
        assert 1 <= chunk.start_line <= chunk.end_line <= lines, (chunk, lines)
        assert chunk.text.strip(), chunk
    assert len({c.id for c in chunks}) == len(chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for section in note.sections:
        for block in section.blocks:
            assert 1 <= block.start_line <= block.end_line <= lines, (block, lines)
    # Together, the chunks hold every character of the note's text (About passage, then every block).
    expected = _squash(about_text(note)) + "".join(
        _squash(_block_text(b.kind, b.text, b.depth)) for s in note.sections for b in s.blocks
    )
    assert _squash("".join(c.text for c in chunks)) == expected


@_settings(200)
@given(text=markdown_notes())
def test_markdown_notes_chunk_within_limits_and_cover_every_body_word(tmp_path: Path, counter: TokenCounter, text: str) -> None:
    note = _parse(tmp_path, text.encode("utf-8"))
    assert note is not None
    chunks = chunk_note(note, counter)
    _check(note, chunks, counter)
    source = note.text.split("\n")
    missing = set(BODY_WORD.findall(note.text)) - set(BODY_WORD.findall(" ".join(c.text for c in chunks)))
    assert not missing, f"body words missing from every chunk: {sorted(missing)[:10]}"
    for chunk in chunks[_about_chunks(note, chunks) :]:  # each passage's words are on the lines it claims
        span = "\n".join(source[chunk.start_line - 1 : chunk.end_line])
        for word in set(BODY_WORD.findall(chunk.text)):
            assert word in span, (word, chunk.start_line, chunk.end_line)


@_settings(300)
@given(text=any_text)
def test_any_text_parses_and_chunks_without_error(tmp_path: Path, counter: TokenCounter, text: str) -> None:
    note = _parse(tmp_path, text.encode("utf-8"))
    if note is None:
        assert "\x00" in text, "only binary-looking text may be rejected"
        return
    _check(note, chunk_note(note, counter), counter)


@_settings(60)
@given(data=st.binary(max_size=4000))
def test_any_bytes_give_a_note_or_a_note_error(tmp_path: Path, counter: TokenCounter, data: bytes) -> None:
    note = _parse(tmp_path, data)
    if note is not None:
        _check(note, chunk_note(note, counter), counter)
