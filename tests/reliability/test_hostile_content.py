"""Hostile content: markup and terminal escapes are shown literally by the CLI; no pickle; no remote code."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import indexer
from indexer.embedding import ModelSpec
from indexer.store import index_dir
from tests.reliability.support import run_cli, write_corpus

MARKUP = ["[bold red]ALERT[/bold red]", "[link=file:///etc/passwd]click here[/link]", "[@click=app.quit]quit[/]"]
ESCAPES = {
    "bell": "\x07",
    "clear screen": "\x1b[2J",
    "window title": "\x1b]0;pwned\x07",
    "clipboard": "\x1b]52;c;cHdubmVk\x07",
    "red": "\x1b[31m",
    "C1 CSI": "\x9b31m",
    "C1 OSC": "\x9d0;pwned\x9c",
}
RAW_CONTROLS = [b"\x1b", b"\x07", "\x9b".encode(), "\x9c".encode(), "\x9d".encode()]
"""Bytes that must never reach the terminal (the C1 characters as UTF-8)."""
SOURCE_ROOTS = [Path(indexer.__file__).parent, Path(indexer.__file__).parent.parent / "tui"]


def _hostile_note() -> str:
    escapes = " ".join(f"The hostile note {name} escape {code} is here." for name, code in ESCAPES.items())
    return (
        "---\n"
        'title: "Hostile [bold red]markup[/bold red] note \\e[31mred\\e[0m"\n'
        "aliases: [hostile]\n"
        "---\n\n"
        "# Hostile [bold red]markup[/bold red] note\n\n"
        "## What the hostile note says\n\n"
        f"The hostile note says {MARKUP[0]} and {MARKUP[1]} and {MARKUP[2]} to the reader.\n\n"
        "## Escapes\n\n"
        f"{escapes}\n"
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, build_index) -> Path:
    """A notes folder with a hostile note (and one whose file name holds an escape), indexed."""
    notes = tmp_path_factory.mktemp("hostile") / "notes"
    write_corpus(notes, 3, seed=5, filler=0)
    (notes / "hostile.md").write_text(_hostile_note(), encoding="utf-8")
    (notes / "\x1b[31mred-name.md").write_bytes(b"# Red name\n\nbad byte \xff here\n")
    build_index(notes)
    return notes


def _assert_terminal_safe(data: str) -> None:
    raw = data.encode("utf-8", errors="surrogateescape")
    for control in RAW_CONTROLS:
        assert control not in raw, f"{control!r} reached the terminal"


def test_show_prints_markup_literally_and_no_escapes(hostile: Path) -> None:
    shown = run_cli("show", "hostile", notes=hostile)
    assert shown.returncode == 0, shown.stderr
    for markup in MARKUP:
        assert markup in shown.stdout
    assert "Hostile [bold red]markup[/bold red] note" in shown.stdout
    _assert_terminal_safe(shown.stdout)
    _assert_terminal_safe(shown.stderr)


def test_list_and_warnings_are_terminal_safe(hostile: Path) -> None:
    listed = run_cli("list", notes=hostile)
    assert listed.returncode == 0, listed.stderr
    assert "Hostile [bold red]markup[/bold red] note" in listed.stdout
    assert "red-name.md:3: not valid UTF-8" in listed.stderr
    _assert_terminal_safe(listed.stdout)
    _assert_terminal_safe(listed.stderr)
    as_json = run_cli("list", "--json", notes=hostile)
    _assert_terminal_safe(as_json.stdout)
    titles = [row["title"] for row in json.loads(as_json.stdout)]
    assert "Hostile [bold red]markup[/bold red] note \x1b[31mred\x1b[0m" in titles, "JSON must keep the exact text"


def test_ask_prints_cited_markup_literally_in_text_and_json(hostile: Path) -> None:
    question = "What does the hostile note say to the reader?\nWhat escapes does the hostile note contain?\n"
    plain = run_cli("ask", "-", "--show-sources", notes=hostile, stdin=question)
    assert plain.returncode == 0 and "Traceback" not in plain.stderr, plain.stderr
    assert all(markup in plain.stdout for markup in MARKUP), plain.stdout
    _assert_terminal_safe(plain.stdout)
    _assert_terminal_safe(plain.stderr)

    as_json = run_cli("ask", "-", "--json", notes=hostile, stdin=question)
    assert as_json.returncode == 0, as_json.stderr
    _assert_terminal_safe(as_json.stdout)
    answers = [json.loads(line) for line in as_json.stdout.splitlines()]
    passages = " ".join(c["passage"] for answer in answers for c in answer["citations"])
    assert all(markup in passages for markup in MARKUP)
    assert any(code in passages for code in ESCAPES.values()), "JSON passages must keep the exact text"


def test_error_messages_are_one_terminal_safe_line(hostile: Path) -> None:
    missing = run_cli("show", "\x1b]0;pwned\x07nothing\nsecond line", notes=hostile)
    assert missing.returncode != 0
    lines = missing.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("papernotes: no note called"), lines
    _assert_terminal_safe(missing.stderr)


def _python_files() -> list[Path]:
    return [path for root in SOURCE_ROOTS if root.is_dir() for path in sorted(root.rglob("*.py"))]


def test_no_pickle_anywhere_in_the_code() -> None:
    banned_modules = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal"}
    problems = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            else:
                names = []
            problems += [f"{path}:{node.lineno}: imports {n}" for n in names if n in banned_modules]
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "allow_pickle" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                    ):
                        problems.append(f"{path}:{node.lineno}: allow_pickle is not False")
                function = ast.unparse(node.func)
                if function.endswith(("torch.load", "read_pickle")):
                    problems.append(f"{path}:{node.lineno}: calls {function}")
    assert _python_files() and not problems, problems


def test_index_files_hold_no_pickle(hostile: Path) -> None:
    files = [p for p in index_dir(hostile).rglob("*") if p.is_file()]
    assert any(p.suffix == ".npy" for p in files) and any(p.suffix == ".faiss" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not (data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")), f"{path} is a pickle"
        if path.suffix == ".npy":
            assert np.load(path, allow_pickle=False).dtype != object
        elif path.suffix == ".json":
            json.loads(data)


def _is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def test_trust_remote_code_is_never_set() -> None:
    """Every `trust_remote_code` in the code (keyword, dict key or item assignment) is the constant False."""
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        checked: set[int] = set()
        for node in ast.walk(tree):
            pairs: list[tuple[ast.AST, ast.AST]] = []
            if isinstance(node, ast.keyword) and node.arg == "trust_remote_code":
                pairs.append((node, node.value))
            elif isinstance(node, ast.Dict):
                pairs += [(k, v) for k, v in zip(node.keys, node.values, strict=True) if k is not None]
            elif isinstance(node, ast.Assign):
                pairs += [(t.slice, node.value) for t in node.targets if isinstance(t, ast.Subscript)]
            for key, value in pairs:
                if isinstance(key, ast.Constant) and key.value == "trust_remote_code" or key is node:
                    checked.add(id(key))
                    if not _is_false(value):
                        found.append(f"{path}:{value.lineno}: trust_remote_code={ast.unparse(value)}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "trust_remote_code" and id(node) not in checked:
                found.append(f"{path}:{node.lineno}: trust_remote_code used by name")
    assert not found, found


@pytest.mark.slow
def test_model_folder_with_custom_code_never_runs_it(tmp_path: Path, spec: ModelSpec) -> None:
    """A model folder whose config and modules point at Python files: they are never imported."""
    model = tmp_path / "model"
    shutil.copytree(spec.path, model)
    marker = tmp_path / "CUSTOM-CODE-RAN"
    side_effect = f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"
    config = json.loads((model / "config.json").read_text())
    config["auto_map"] = {"AutoConfig": "custom.CustomConfig", "AutoModel": "custom.CustomModel"}
    (model / "config.json").write_text(json.dumps(config))
    (model / "custom.py").write_text(
        side_effect + "from transformers import BertConfig as CustomConfig, BertModel as CustomModel\n"
    )
    modules = json.loads((model / "modules.json").read_text())
    modules[1]["type"] = "custom_pooling.CustomPooling"
    (model / "modules.json").write_text(json.dumps(modules))
    for folder in (model, model / modules[1]["path"]):
        (folder / "custom_pooling.py").write_text(
            side_effect + "from sentence_transformers.models import Pooling as CustomPooling\n"
        )
    notes = tmp_path / "notes"
    write_corpus(notes, 2, seed=3, filler=0)
    result = run_cli("index", "--model", model, notes=notes)
    assert not marker.exists(), "custom code from the model folder was executed"
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        last = result.stderr.splitlines()[-1]
        assert last.startswith("papernotes: cannot load model"), result.stderr
