"""Property-based tests: arbitrary and broken pages and notes never raise, and failures write nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.importers import import_sources
from indexer.importers.streamlit import page_id

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)

PAGE_LINES = st.sampled_from(
    [
        "import streamlit as st",
        "from streamlit_extras.switch_page_button import switch_page",
        'st.title("A Title")',
        'st.header("Section")',
        "X = 'constant'",
        "st.markdown(X)",
        'st.markdown(f"{X} and {y}")',
        "col1, col2 = st.columns(2)",
        "with col1:",
        "    st.markdown('in a column')",
        'st.image("img.png", caption="A figure")',
        'st.image("../outside.png")',
        'st.image(["img.png", "missing.jpg"], caption=["a", "b"])',
        'st.code("x = 1", language="python")',
        'if st.button("Next paper"):',
        '    switch_page("Other Page")',
        'st.info("[Paper](https://arxiv.org/abs/1234.5678) by A, B and C (2020) [GitHub](https://github.com/a/b)")',
        'st.success("[Original tweet](https://twitter.com/a/status/1) (May 1, 2024)")',
        "import os",
        'os.system("touch marker")',
        "for i in range(2):",
        "def f(:",
        '"""',
        "st.write(",
        "\tst.markdown('tab')",
    ]
)
NOTE_LINES = st.sampled_from(
    [
        "---",
        "title: From Front Matter",
        "title: [broken",
        "# A Heading",
        "=====",
        "* **Title**: Listed Title",
        "* **Authors**: A, B and C",
        "- **Year:** 2021",
        "* **Paper**: [arXiv](https://arxiv.org/abs/2101.00001)",
        "* **Tags**: a, b",
        "![figure](img.png?raw=true)",
        "![outside](../outside.png)",
        '<img src="img.png?raw=true">',
        "```",
        "",
    ]
)


def _lines(snippets: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(snippets, snippets, TEXT), max_size=14).map("\n".join)


PAGES = st.one_of(
    TEXT, _lines(PAGE_LINES), _lines(PAGE_LINES).map(lambda t: "import streamlit as st\n" + t)
)
NOTES = st.one_of(TEXT, _lines(NOTE_LINES))
CONTENT = st.one_of(
    PAGES.map(lambda t: (".py", t.encode("utf-8"))),
    NOTES.map(lambda t: (".md", t.encode("utf-8"))),
    st.tuples(st.sampled_from([".py", ".md"]), st.binary(max_size=200)),
)


def _import(files: list[tuple[str, bytes]]):
    """Write `files` as p0.py / n1.md ... into a fresh source tree and import it."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "app" / "src"
        source.mkdir(parents=True)
        (source / "img.png").write_bytes(b"\x89PNG fixture")
        (Path(tmp) / "app" / "outside.png").write_bytes(b"outside")
        paths = []
        for i, (suffix, data) in enumerate(files):
            path = source / f"{'p' if suffix == '.py' else 'n'}{i}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        notes = Path(tmp) / "notes"
        report = import_sources([source], notes)
        written = {
            p.relative_to(notes).as_posix(): p.read_bytes() for p in notes.rglob("*") if p.is_file()
        }
        again = import_sources([source], notes)
        return paths, report, written, again


def _note_id(path: Path) -> str:
    return page_id(path.stem) if path.suffix == ".py" else path.stem


@SETTINGS
@given(st.lists(CONTENT, min_size=1, max_size=3))
def test_any_input_imports_or_fails_cleanly(files):
    paths, report, written, again = _import(files)

    accounted = [*report.imported, *report.unchanged]
    assert len(accounted) + len(report.skipped) + len(report.failed) == len(paths)
    for source, message in report.failed:
        assert message.startswith(f"{source.name}:") or message.startswith(f"src/{source.name}:")
        assert "could not convert" not in message  # that would be a bug in a converter
        note_id = _note_id(source)
        assert f"{note_id}.md" not in written
        assert not any(name.startswith(f"{note_id}/") for name in written)
    for source, _ in report.skipped:
        assert f"{_note_id(source)}.md" not in written
    assert "outside.png" not in {name.rsplit("/", 1)[-1] for name in written}
    for note in report.imported:
        text = written[note.name].decode("utf-8")
        assert text.startswith("---\n")
        rest = text[4:]
        head = "" if rest.startswith("---") else rest.split("\n---", 1)[0]
        assert isinstance(yaml.safe_load(head) or {}, dict)
    # Importing the same sources again changes nothing.
    assert again.imported == [] and sorted(again.unchanged) == sorted(accounted)


@SETTINGS
@given(_lines(PAGE_LINES))
def test_pages_become_notes_with_front_matter_then_title(body):
    paths, report, written, _ = _import(
        [(".py", ("import streamlit as st\n" + body).encode("utf-8"))]
    )

    if report.imported:
        text = written["p0.md"].decode("utf-8")
        head, rest = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(head)
        assert rest.startswith(f"\n# {meta['title']}\n")
        assert meta.get("next") in (None, "other-page")
