"""Bad notes: each gives one warning naming the file (and line), everything else is indexed, outside images are never read."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.notes import MAX_NOTE_BYTES, load_notes
from indexer.store import StoredIndex
from tests.reliability.support import model_name, notes_on_disk, run_cli, write_corpus

GOOD = 5


@dataclass(frozen=True)
class Bad:
    """A bad note file: where the warning must point and what it must say."""

    name: str
    line: int | None
    says: str
    indexed: bool
    """Whether the note's body is still indexed (bad front matter) or the file is skipped."""


def _yaml_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
        previous = name
    lines += [f"tags: *{previous}", f"authors: *{previous}", f"year: *{previous}"]
    return "---\n" + "\n".join(lines) + "\n---\n# YAML bomb\n\nThe yaml-bomb note body is indexed.\n"


def _write_bad_notes(notes: Path, outside: Path) -> list[Bad]:
    """Write one file per kind of bad note; returns what each must produce."""
    bad: list[Bad] = []

    def add(name: str, data: bytes | str, line: int | None, says: str, indexed: bool) -> None:
        path = notes / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        bad.append(Bad(name, line, says, indexed))

    add("bad-utf8.md", b"# Bad UTF-8\n\nFine line.\ncaf\xe9 on line four\n", 4, "not valid UTF-8", False)
    add("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, None, "binary file", False)
    add("empty.md", b"", None, "no text to index", True)
    add("blank.md", "\n\n   \n\t\n", None, "no text to index", True)
    add("broken-yaml.md", "---\ntitle: Broken\ntags: [a, b\n---\n# Broken YAML\n\nThe broken-yaml note body is indexed.\n", 3, "front matter ignored", True)
    add("list-yaml.md", "---\n- just\n- a list\n---\n# List YAML\n\nThe list-yaml note body is indexed.\n", 2, "got a list", True)
    add("scalar-yaml.md", "---\njust a sentence\n---\n# Scalar YAML\n\nThe scalar-yaml note body is indexed.\n", 2, "got text", True)
    add("bad-date.md", "---\ndate: 2023-13-45\n---\n# Bad date\n\nThe bad-date note body is indexed.\n", 2, "front matter ignored", True)
    add("deep-yaml.md", "---\na: " + "[" * 3000 + "]" * 3000 + "\n---\n# Deep YAML\n\nThe deep-yaml note body is indexed.\n", 2, "nested too deeply", True)
    add("yaml-bomb.md", _yaml_bomb(), 1, "front matter ignored", True)
    marker = outside / "YAML-RAN"
    add("python-tag.md", f"---\ntitle: !!python/object/apply:builtins.open ['{marker}', 'w']\n---\n# Python tag\n\nThe python-tag note body is indexed.\n", 2, "front matter ignored", True)
    add("unclosed.md", "---\ntitle: Unclosed\n\n# Unclosed front matter\n\nThe unclosed note body is indexed.\n", 1, "not closed", True)
    add("dup-a.md", "# Same Title\n\nThe first duplicate note body is indexed.\n", None, "is shared by", True)
    add("dup-b.md", "# Same Title\n\nThe second duplicate note body is indexed.\n", None, "is shared by", True)
    with open(notes / "huge.md", "wb") as handle:  # 20 MB: never read, only its size is looked at
        handle.write(b"# Huge\n\n" + b"word " * (4 * 1024 * 1024))
    bad.append(Bad("huge.md", None, f"over the {MAX_NOTE_BYTES / 1e6:.0f} MB limit", False))
    os.symlink("loop-b.md", notes / "loop-a.md")
    os.symlink("loop-a.md", notes / "loop-b.md")
    bad += [Bad("loop-a.md", None, "cannot read", False), Bad("loop-b.md", None, "cannot read", False)]
    (notes / "sub").mkdir()
    (notes / "sub" / "inner.md").write_text("# Inner\n\nThe inner note sits beside a folder loop.\n")
    os.symlink("..", notes / "sub" / "back")  # a folder loop: sub/back/sub/back/...
    os.mkfifo(notes / "fifo.md")  # opening it would block forever
    bad.append(Bad("fifo.md", None, "not a regular file", False))

    # Images outside the notes folder: FIFOs, so that reading one would hang the indexer.
    os.mkfifo(outside / "secret.png")
    (notes / "images").mkdir()
    os.symlink(outside / "secret.png", notes / "images" / "inside-link.png")
    add(
        "outside-image.md",
        "# Outside images\n\nThe outside-image note body is indexed.\n\n"
        "![relative](../outside/secret.png)\n\n"
        f"![absolute]({outside / 'secret.png'})\n\n"
        "![symlink](images/inside-link.png)\n",
        5,
        "points outside the notes folder",
        True,
    )
    return bad


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Bad], subprocess.CompletedProcess[str]]:
    """Good and bad notes side by side, indexed once by the CLI."""
    base = tmp_path_factory.mktemp("bad-notes")
    notes, outside = base / "notes", base / "outside"
    outside.mkdir()
    write_corpus(notes, GOOD, seed=11, filler=0)
    bad = _write_bad_notes(notes, outside)
    result = run_cli("index", notes=notes, timeout=300)
    return notes, bad, result


def test_index_succeeds_without_traceback(bad_folder) -> None:
    notes, _, result = bad_folder
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("notes: ")


def test_each_bad_note_gets_a_warning_naming_file_and_line(bad_folder) -> None:
    _, bad, result = bad_folder
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len([line for line in result.stderr.splitlines() if line.strip()]), result.stderr
    for item in bad:
        where = f"warning: {item.name}:{item.line}: " if item.line else f"warning: {item.name}: "
        found = [w for w in warnings if w.startswith(where)]
        assert found, f"no warning starting {where!r} in:\n{result.stderr}"
        assert any(item.says in w for w in found), found


def test_everything_else_is_indexed(bad_folder, spec, ask) -> None:
    notes, bad, _ = bad_folder
    index = StoredIndex(notes, spec)
    try:
        stored = {n.id: n.content_hash for n in index.notes.values()}
        expected = notes_on_disk(notes)
        assert stored == expected
        ids = set(stored)
        for item in bad:
            assert (item.name.removesuffix(".md") in ids) == item.indexed, item
        assert {"sub/inner"} <= ids and not any("back" in i for i in ids), ids
        for number in range(GOOD):
            answer = ask(index, f"How many frames per second does {model_name(number)} run at?")
            assert answer.citations[0].note.endswith(f"-{number:03d}")
        for item in bad:
            if item.indexed and item.says not in ("no text to index", "is shared by"):
                note = item.name.removesuffix(".md")
                assert index.rows_of_notes([note]), f"{note} body was not indexed"
    finally:
        index.close()


def test_outside_images_are_never_read_nor_given_a_file(bad_folder) -> None:
    notes, _, _ = bad_folder
    assert not (notes.parent / "outside" / "YAML-RAN").exists()
    collection = load_notes(notes)
    note = collection.find("outside-image")
    assert note is not None and len(note.images) == 3
    assert all(image.file is None for image in note.images)
    lines = sorted(w.line for w in note.warnings if "points outside the notes folder" in w.message)
    assert lines == [5, 7, 9], [str(w) for w in note.warnings]


def test_show_and_list_stay_clean_with_bad_notes(bad_folder) -> None:
    notes, bad, _ = bad_folder
    listed = run_cli("list", notes=notes, timeout=120)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert all(re.match(r"warning: \S", line) for line in listed.stderr.splitlines() if line.strip())
    shown = run_cli("show", "broken-yaml", notes=notes, timeout=120)
    assert shown.returncode == 0 and "The broken-yaml note body is indexed." in shown.stdout
    missing = run_cli("show", "binary", notes=notes, timeout=120)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert missing.stderr.splitlines()[-1].startswith("papernotes: no note called 'binary'")
