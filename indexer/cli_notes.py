"""`papernotes list` and `papernotes show`: the notes as the index (or the notes cache) knows them, with no model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer.cli_info import index_folder_for
from indexer.cli_output import json_text, report_problems
from indexer.errors import PapernotesError
from indexer.textsafe import printable, single_line


def cmd_list(args: argparse.Namespace, root: Path) -> int:
    """`papernotes list`: notes in reading order, from what the index (or the notes cache) knows."""
    from indexer.catalog import scan

    collection = scan(root, index_folder_for(root, args.index))
    report_problems(collection)
    if args.json:
        from indexer.views import note_row

        print(json_text([note_row(n) for n in collection.notes], indent=2))
        return 0
    width = len(str(len(collection.notes)))
    lines = []
    for position, note in enumerate(collection.notes, start=1):
        year = f" ({note.meta.year})" if note.meta.year else ""
        tags = f"  [{', '.join(note.meta.tags)}]" if note.meta.tags else ""
        lines.append(single_line(f"{position:>{width}}. {note.title}{year}{tags}  — {note.id}") + "\n")
    sys.stdout.write("".join(lines))  # one write: 10k print calls cost ~0.1 s
    return 0


def cmd_show(args: argparse.Namespace, root: Path) -> int:
    """`papernotes show NOTE`: print one note (found by what the index or the notes cache knows)."""
    from indexer.catalog import scan
    from indexer.notefiles import decode_note

    collection = scan(root, index_folder_for(root, args.index))
    note = collection.find(args.note)
    if note is None:
        from indexer.views import UnknownNoteError, closest_notes

        raise UnknownNoteError(args.note, closest_notes(collection, args.note))
    try:
        data = (collection.root / note.rel_path).read_bytes()
    except OSError as error:
        raise PapernotesError(f"{note.rel_path}: cannot read ({error.strerror or error})") from error
    print(printable(decode_note(data, note.rel_path)))
    return 0
