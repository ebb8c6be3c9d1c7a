"""The wheel as a new user gets it: built, installed into a fresh venv, run from an empty folder.

The fresh venv reuses this environment's packages (the CPU torch among them) through a `.pth` line
instead of downloading them; papernotes itself comes only from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CONTENT, REPO

pytestmark = pytest.mark.install

SOURCES = ("pyproject.toml", "setup.py", "README.md", "indexer", "tui", "content", "bench")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=900, cwd=cwd, env=env,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the repo (the build writes build/ and egg-info; never into the clone).

    The copy holds a content/.papernotes index folder, as a clone that ran the app would.
    """
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns(".papernotes", "__pycache__", "*.egg-info", "build")
    for name in SOURCES:
        item = REPO / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=ignore)
        else:
            shutil.copy2(item, source / name)
    (source / "content" / ".papernotes").mkdir()
    (source / "content" / ".papernotes" / "index.sqlite").write_bytes(b"not for the wheel")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--disable-pip-version-check", "-q", "-w", root / "dist", source, cwd=root,
    )
    assert built.returncode == 0, built.stderr
    (found,) = (root / "dist").glob("papernotes-*.whl")
    return found


def test_wheel_holds_the_notes_and_not_bench(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {"indexer", "tui", "papernotes_content"} <= tops
    assert "bench" not in tops and "tests" not in tops
    shipped = sorted(n.split("/", 1)[1] for n in names if n.startswith("papernotes_content/"))
    assert shipped == sorted(p.name for p in CONTENT.glob("*.md"))
    assert not [n for n in names if ".papernotes" in n]
    assert "tui/styles.tcss" in names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; dependencies come from this environment's site-packages."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", folder, cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    python = folder / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=folder)
    # A plain path line: this environment's packages (torch, faiss, ...) become importable, but its
    # own .pth files (an editable papernotes) are not run, so papernotes comes from the wheel alone.
    (Path(purelib.stdout.strip()) / "_papernotes_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(
        python, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q", wheel,
        cwd=folder,
    )
    assert installed.returncode == 0, installed.stderr
    return folder


def test_installed_wheel_works_from_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    papernotes = venv / "bin" / "papernotes"
    empty = tmp_path / "empty"
    empty.mkdir()
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERNOTES_") and k != "PYTHONPATH"}
    env.update(XDG_CACHE_HOME=str(cache), PAPERNOTES_CACHE_DIR=os.environ["PAPERNOTES_CACHE_DIR"])

    where = _run(python, "-c", "import indexer, papernotes_content; print(indexer.__file__)", cwd=empty, env=env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the wheel's code, not the clone's
    assert _run(python, "-c", "import bench", cwd=empty, env=env).returncode != 0
    requires = _run(
        python, "-c",
        "import importlib.metadata as m, re\n"
        "for r in m.requires('papernotes'):\n"
        "    if 'extra ==' not in r: m.version(re.split(r'[ <>=!~;\\[]', r)[0])",
        cwd=empty, env=env,
    )
    assert requires.returncode == 0, requires.stderr  # every dependency the wheel declares is importable

    shipped = Path(_run(python, "-c", "import indexer.shipped as s; print(s.installed_notes())", cwd=empty, env=env).stdout.strip())
    before = sorted(p.name for p in shipped.rglob("*"))

    listed = _run(papernotes, "list", "--json", cwd=empty, env=env)
    assert listed.returncode == 0, listed.stderr
    assert sorted(n["path"] for n in json.loads(listed.stdout)) == sorted(p.name for p in CONTENT.glob("*.md"))

    asked = _run(papernotes, "ask", "--json", "which distillation worked best for MobileSAM?", cwd=empty, env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["citations"][0]["note"] == "mobilesam"
    assert "decoupled distillation" in answer["answer"].lower()
    said = [line for line in asked.stderr.splitlines() if line.startswith("index: ")]
    assert len(said) == 1 and str(cache) in said[0], asked.stderr
    assert sorted(p.name for p in shipped.rglob("*")) == before  # no index beside the shipped notes
    assert list(empty.iterdir()) == []

    init = _run(papernotes, "init", "mine", cwd=empty, env=env)
    assert init.returncode == 0, init.stderr
    mine = empty / "mine"
    assert sorted(p.name for p in mine.iterdir()) == sorted(p.name for p in CONTENT.glob("*.md"))
    (mine / "sam.md").write_text("my own edits\n", encoding="utf-8")
    (mine / "vit.md").unlink()
    again = _run(papernotes, "init", "mine", cwd=empty, env=env)
    assert again.returncode == 0, again.stderr
    assert (mine / "sam.md").read_text(encoding="utf-8") == "my own edits\n"  # never overwritten
    assert (mine / "vit.md").read_bytes() == (CONTENT / "vit.md").read_bytes()
    assert "copied 1 file into" in again.stdout and "kept 13 existing files" in again.stdout
