"""`papernotes info` (where the notes and the index are, what the index holds) and `papernotes init`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.textsafe import single_line

if TYPE_CHECKING:
    from indexer.knowledge import KnowledgeBase

_said: set[str] = set()


def say_location(kb: KnowledgeBase) -> None:
    """Say once per process, on stderr, where the index is when it is not in the notes folder."""
    line = kb.location.note
    if line and line not in _said:
        _said.add(line)
        print(single_line(line), file=sys.stderr)


def index_folder_for(root: Path, explicit: Path | None) -> Path:
    """The index folder of `root` as a KnowledgeBase would choose it (for commands that need no KnowledgeBase)."""
    from indexer.shipped import is_installed_copy
    from indexer.store.location import locate

    return locate(root, explicit, read_only=is_installed_copy(root)).folder


def info(kb: KnowledgeBase) -> dict[str, object]:
    """What `papernotes info` reports: notes folder, index folder, model, precision, counts, last build."""
    from indexer.store.status import manifest_of

    collection = kb.notes()
    status = kb.status(collection)
    manifest = manifest_of(kb.index_folder) or {}
    if not status.exists:
        state = "no index yet (run: papernotes index)"
    elif status.problem:
        state = status.problem
    elif status.changed:
        state = f"{status.changed} note{'' if status.changed == 1 else 's'} changed since the index was built"
    else:
        state = "up to date"

    def number(key: str) -> int | None:
        value = manifest.get(key, "")
        return int(value) if value.isdigit() else None

    return {
        "notes_folder": str(kb.root),
        "notes": len(collection.notes),
        "index_folder": str(kb.index_folder),
        "index_location": kb.location.why,
        "model": kb.spec.name,
        "precision": kb.spec.precision,
        "index_model": manifest.get("model_name"),
        "indexed_notes": number("notes"),
        "chunks": number("chunks"),
        "sentences": number("sentences"),
        "generation": number("generation"),
        "vector_backend": manifest.get("vector_backend"),
        "last_build": manifest.get("built_at"),
        "state": state,
    }


def cmd_info(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes info`: one line per fact, or JSON."""
    facts = info(kb)
    if args.json:
        print(json.dumps(facts, indent=2, ensure_ascii=False))
        return 0
    shown = {
        "notes folder": f"{facts['notes_folder']} ({facts['notes']} notes)",
        "index folder": f"{facts['index_folder']} ({facts['index_location']})",
        "model": facts["model"],
        "precision": facts["precision"],
        "index": (
            f"{facts['indexed_notes']} notes, {facts['chunks']} chunks, {facts['sentences'] or 0} answer sentences"
            f" (generation {facts['generation']}, {facts['vector_backend']})"
            if facts["chunks"] is not None
            else "none"
        ),
        "last build": facts["last_build"] or "never",
        "state": facts["state"],
    }
    for key, value in shown.items():
        print(single_line(f"{key + ':':<14}{value}"))
    return 0


def cmd_init(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes init [DIR]`: copy the shipped notes into DIR, keeping any file already there."""
    from indexer.shipped import copy_shipped

    report = copy_shipped(args.folder)
    kept = f"; kept {len(report.kept)} existing file{'' if len(report.kept) == 1 else 's'} as they were" if report.kept else ""
    print(single_line(f"copied {len(report.copied)} file{'' if len(report.copied) == 1 else 's'} into {report.folder}{kept}"))
    print(single_line(f"use them with: papernotes --notes {report.folder} (or set PAPERNOTES_NOTES={report.folder})"), file=sys.stderr)
    return 0
