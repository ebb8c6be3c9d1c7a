"""Streamlit pages → notes: the seed page, the fixture app (golden files), hostile and broken pages."""

from __future__ import annotations

import shutil
import sys

import pytest

from indexer.importers import import_sources
from indexer.importers.streamlit import convert_page, page_id, parse_callout
from indexer.notes import load_notes, read_note

SEED_IMAGES = ["image_1.jpeg", "image_2.jpg", "image_3.jpeg", "image_4.jpg", "image_5.jpeg"]
APP_NOTES = ["constants-and-fstrings", "images-and-code", "layout-basics", "malicious"]


def test_seed_page_holds_all_its_facts(streamlit_fixtures, tmp_path, read_front_matter):
    notes = tmp_path / "notes"
    report = import_sources([streamlit_fixtures / "MobileSAM.py"], notes)

    assert report.failed == [] and report.skipped == []
    assert report.imported == [notes / "mobilesam.md"]
    meta = read_front_matter(notes / "mobilesam.md")
    assert meta["title"] == "MobileSAM"
    assert meta["source"] == (
        "Original tweet (December 24, 2023): https://twitter.com/mervenoyann/status/1738959605542076863"
    )
    assert meta["authors"] == [
        "Chaoning Zhang",
        "Dongshen Han",
        "Yu Qiao",
        "Jung Uk Kim",
        "Sung-Ho Bae",
        "Seungkyu Lee",
        "Choong Seon Hong",
    ]
    assert meta["year"] == 2023
    assert meta["paper"] == "https://arxiv.org/abs/2306.14289"
    assert meta["code"] == "https://github.com/ChaoningZhang/MobileSAM"
    assert meta["aliases"] == [
        "Faster Segment Anything: Towards Lightweight SAM for Mobile Applications"
    ]
    assert meta["next"] == "oneformer"
    assert "prev" not in meta  # Previous goes to Home: the library, not a note

    text = (notes / "mobilesam.md").read_text(encoding="utf-8")
    for fact in (
        "distilling the decoder outputs directly",  # set-up 1: coupled
        "The second type of distillation is called semi-coupled",  # set-up 2
        "The last type of distillation, [decoupled distillation]",  # set-up 3
        "https://huggingface.co/spaces/dhkim2810/MobileSAMMobileSAM",
        "https://huggingface.co/dhkim2810/MobileSAM",
        "[timm library](https://huggingface.co/docs/timm/index)",
        "2306.14289",
    ):
        assert fact in text
    assert "Previous paper" not in text and "use_column_width" not in text


def test_seed_note_reads_as_a_valid_note(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    import_sources([streamlit_fixtures / "MobileSAM.py"], notes)

    note = read_note(notes / "mobilesam.md", notes)

    assert note.id == "mobilesam"
    assert note.title == "MobileSAM"
    assert note.meta.next == "oneformer" and note.meta.prev is None
    assert note.meta.year == 2023 and len(note.meta.authors) == 7
    text = note.text.split("\n---\n", 1)[1]
    assert text.startswith("\n# MobileSAM\n")


def test_seed_missing_images_are_kept_as_links_and_reported_once(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    report = import_sources([streamlit_fixtures / "MobileSAM.py"], notes)

    text = (notes / "mobilesam.md").read_text(encoding="utf-8")
    for name in SEED_IMAGES:
        assert f"![](pages/MobileSAM/{name})" in text
    image_warnings = [w for w in report.warnings if "image" in w]
    assert image_warnings == [
        "MobileSAM.py:18: 5 images not found, kept as links: "
        + ", ".join(f"pages/MobileSAM/{name}" for name in SEED_IMAGES)
    ]
    assert not (notes / "mobilesam").exists()


def test_seed_images_are_copied_when_the_app_has_them(streamlit_fixtures, tmp_path):
    app = tmp_path / "app"
    (app / "pages" / "MobileSAM").mkdir(parents=True)
    shutil.copy(streamlit_fixtures / "MobileSAM.py", app / "pages" / "MobileSAM.py")
    for n, name in enumerate(SEED_IMAGES):
        (app / "pages" / "MobileSAM" / name).write_bytes(b"image %d" % n)
    notes = tmp_path / "notes"

    report = import_sources([app / "pages" / "MobileSAM.py"], notes)

    assert report.warnings == []
    text = (notes / "mobilesam.md").read_text(encoding="utf-8")
    for n, name in enumerate(SEED_IMAGES):
        assert f"![](mobilesam/{name})" in text
        assert (notes / "mobilesam" / name).read_bytes() == b"image %d" % n


def test_reading_order_follows_the_pages_links(streamlit_fixtures, tmp_path):
    pages = tmp_path / "app" / "pages"
    pages.mkdir(parents=True)
    shutil.copy(streamlit_fixtures / "MobileSAM.py", pages / "MobileSAM.py")
    (pages / "OneFormer.py").write_text(
        "import streamlit as st\n"
        "from streamlit_extras.switch_page_button import switch_page\n"
        'st.title("OneFormer")\n'
        'st.markdown("One transformer for every segmentation task.")\n'
        'if st.button("Previous paper"):\n'
        '    switch_page("MobileSAM")\n'
        'if st.button("Next paper"):\n'
        '    switch_page("Home")\n',
        encoding="utf-8",
    )
    (pages / "Aardvark.py").write_text(
        'import streamlit as st\nst.title("Aardvark")\nst.markdown("Sorts first by title.")\n',
        encoding="utf-8",
    )
    notes = tmp_path / "notes"

    import_sources([pages], notes)

    ids = [note.id for note in load_notes(notes).notes]
    assert ids.index("mobilesam") + 1 == ids.index("oneformer")


def test_fixture_app_matches_golden_notes(streamlit_fixtures, tmp_path, golden):
    notes = tmp_path / "notes"
    report = import_sources([streamlit_fixtures / "app"], notes)

    assert sorted(path.stem for path in report.imported) == APP_NOTES
    assert sorted((path.name, reason) for path, reason in report.skipped) == [
        ("Home.py", "home page: the library"),
        ("side_effects.py", "not a Streamlit page"),
    ]
    assert report.failed == []
    for note_id in APP_NOTES:
        golden(
            (notes / f"{note_id}.md").read_text(encoding="utf-8"),
            streamlit_fixtures / "golden" / f"{note_id}.md",
        )
    golden("\n".join(report.warnings) + "\n", streamlit_fixtures / "golden" / "warnings.txt")


def test_seed_matches_golden_note(streamlit_fixtures, tmp_path, golden):
    notes = tmp_path / "notes"
    import_sources([streamlit_fixtures / "MobileSAM.py"], notes)
    golden(
        (notes / "mobilesam.md").read_text(encoding="utf-8"),
        streamlit_fixtures / "golden" / "mobilesam.md",
    )


def test_fixture_app_reading_order_and_links(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    import_sources([streamlit_fixtures / "app" / "pages"], notes)

    collection = load_notes(notes)

    assert [note.id for note in collection.notes] == [
        "layout-basics",
        "constants-and-fstrings",
        "images-and-code",
        "malicious",
    ]
    by_id = {note.id: note for note in collection.notes}
    assert by_id["layout-basics"].meta.prev is None  # Previous → Home
    assert by_id["malicious"].meta.next is None  # Next → Home.py
    assert by_id["images-and-code"].meta.prev == "constants-and-fstrings"  # st.page_link
    assert (
        by_id["images-and-code"].meta.next == "malicious"
    )  # st.switch_page("pages/04_Malicious.py")


def test_images_are_copied_once_and_missing_ones_reported_once(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    report = import_sources([streamlit_fixtures / "app" / "pages" / "03_Images_And_Code.py"], notes)

    source = streamlit_fixtures / "app" / "pages" / "Images_And_Code"
    copies = sorted(p.name for p in (notes / "images-and-code").iterdir())
    assert copies == ["diagram.png", "photo one.jpg"]
    for name in copies:
        assert (notes / "images-and-code" / name).read_bytes() == (source / name).read_bytes()
    text = (notes / "images-and-code.md").read_text(encoding="utf-8")
    assert (
        "![The architecture diagram](images-and-code/diagram.png)\n\n*The architecture diagram*"
        in text
    )
    assert "(<images-and-code/photo one.jpg>)" in text
    assert "![A remote image stays a link](https://example.com/figure.png)" in text
    missing = [w for w in report.warnings if "not found" in w]
    assert missing == [
        "pages/03_Images_And_Code.py:11: 2 images not found, kept as links: "
        "pages/Images_And_Code/missing.png, pages/Images_And_Code/also_missing.jpg"
    ]


def test_hostile_page_imports_as_text_and_runs_nothing(
    streamlit_fixtures, tmp_path, monkeypatch, tree_snapshot
):
    markers = tmp_path / "markers"
    cwd = tmp_path / "cwd"
    markers.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("PAPERNOTES_MARKER_DIR", str(markers))
    monkeypatch.chdir(cwd)
    before = tree_snapshot(streamlit_fixtures)
    notes = tmp_path / "notes"

    report = import_sources([streamlit_fixtures / "app" / "pages"], notes)

    assert list(markers.iterdir()) == [] and list(cwd.iterdir()) == []
    assert "side_effects" not in sys.modules
    assert (
        tree_snapshot(streamlit_fixtures) == before
    )  # no __pycache__, nothing written beside the pages
    assert notes / "malicious.md" in report.imported
    text = (notes / "malicious.md").read_text(encoding="utf-8")
    assert "importing it only reads this text." in text
    assert "The last paragraph still arrives." in text
    assert "evaluated" not in text and "Loop item" not in text and "Inside a function" not in text
    assert not (notes / "malicious").exists()  # /etc/passwd and ../../etc/hostname.png not copied
    warnings = [w for w in report.warnings if w.startswith("pages/04_Malicious.py")]
    for expected in (
        "pages/04_Malicious.py:11: skipped os.system(...): code is never run",
        "pages/04_Malicious.py:15: skipped exec(...): code is never run",
        "pages/04_Malicious.py:20: skipped dynamic st.markdown(...)",
        "pages/04_Malicious.py:23: 2 images outside the source tree, not read, kept as links: "
        "/etc/passwd, ../../../../../../etc/hostname.png",
    ):
        assert expected in warnings


def test_images_outside_the_source_tree_are_never_read(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    pages = tmp_path / "app" / "pages"
    pages.mkdir(parents=True)
    (pages / "link.png").symlink_to(secret)
    (pages / "Leak.py").write_text(
        "import streamlit as st\n"
        'st.title("Leak")\n'
        'st.image("../../secret.png")\n'
        f'st.image("{secret}")\n'
        'st.image("link.png")\n'
        'st.image("pages/../../secret.png")\n',
        encoding="utf-8",
    )
    notes = tmp_path / "notes"

    report = import_sources([pages / "Leak.py"], notes)

    assert report.imported == [notes / "leak.md"]
    assert not (notes / "leak").exists()
    assert [w.split(": ", 1)[1].split(",")[0] for w in report.warnings] == [
        "4 images outside the source tree"
    ]


def test_convert_page_returns_the_note_without_writing(streamlit_fixtures, tmp_path):
    page = streamlit_fixtures / "app" / "pages" / "03_Images_And_Code.py"

    note = convert_page(
        page, root=streamlit_fixtures / "app", display="pages/03_Images_And_Code.py"
    )

    assert note.id == "images-and-code"
    assert note.markdown.startswith("---\ntitle: Images and Code\n")
    assert [(image.source.name, image.target) for image in note.images] == [
        ("diagram.png", "images-and-code/diagram.png"),
        ("photo one.jpg", "images-and-code/photo one.jpg"),
    ]
    assert any("not found" in warning for warning in note.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"import streamlit as st\nst.title('x'\n",
            "broken.py:2: invalid syntax ('(' was never closed)",
        ),
        (
            b"import streamlit as st\n\nst.markdown('caf\xe9')\n",
            "broken.py:3: not valid UTF-8 (byte 0xe9)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "broken.py:3: binary file (NUL byte), not Python"),
        (
            b"# -*- coding: klingon -*-\nimport streamlit\n",
            "broken.py:1: unknown encoding: klingon",
        ),
    ],
)
def test_broken_pages_fail_with_file_and_line_and_write_nothing(tmp_path, content, message):
    source = tmp_path / "src"
    source.mkdir()
    (source / "broken.py").write_bytes(content)
    notes = tmp_path / "notes"

    report = import_sources([source], notes)

    assert [(path.name, text) for path, text in report.failed] == [("broken.py", message)]
    assert list(notes.iterdir()) == []


def test_syntax_error_message_names_the_problem(tmp_path):
    page = tmp_path / "pages" / "x.py"
    page.parent.mkdir()
    page.write_text("import streamlit as st\n\nst.markdown('open\n", encoding="utf-8")

    report = import_sources([page.parent], tmp_path / "notes")

    assert report.failed[0][1].startswith(
        "pages/x.py:3: invalid syntax (unterminated string literal"
    )


def test_coding_cookie_is_honoured(tmp_path):
    page = tmp_path / "Latin.py"
    page.write_bytes(b"# -*- coding: latin-1 -*-\nimport streamlit as st\nst.title('Caf\xe9')\n")

    note = convert_page(page)

    assert "# Café\n" in note.markdown


def test_plain_python_and_empty_pages_are_skipped(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "helper.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    (tmp_path / "src" / "Blank.py").write_text(
        "import streamlit as st\nst.markdown(' ')\n", encoding="utf-8"
    )

    report = import_sources([tmp_path / "src"], tmp_path / "notes")

    assert sorted((p.name, r) for p, r in report.skipped) == [
        ("Blank.py", "no text to import"),
        ("helper.py", "not a Streamlit page"),
    ]


def test_page_ids_follow_streamlit_page_names():
    assert page_id("MobileSAM") == "mobilesam"
    assert page_id("02_Mobile_SAM") == "mobile-sam"
    assert page_id("2023") == "2023"


def test_callout_parsing_without_a_citation():
    found = parse_callout(
        "See the [paper](https://arxiv.org/abs/2401.00001) and [code](https://github.com/a/b)."
    )
    assert found == {"paper": "https://arxiv.org/abs/2401.00001", "code": "https://github.com/a/b"}
    assert parse_callout("[Thread](https://x.com/someone/status/1) 2024-01-02") == {
        "source": "Thread (2024-01-02): https://x.com/someone/status/1"
    }
