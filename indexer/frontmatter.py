"""Front matter and metadata lists → a note's title and fields, each value's type checked (file and line named)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indexer.notemodel import NoteMeta, NoteWarning, Section
from indexer.text_year import YEARS, arxiv_year, byline_year, venue_year

METADATA_KEYS = {
    "title": "title", "paper title": "title", "authors": "authors", "author": "authors",
    "year": "year", "date": "year", "paper": "paper", "link": "paper", "arxiv": "paper",
    "year of publication": "year", "publication year": "year", "url": "paper", "pdf": "paper", "code": "code", "github": "code", "repo": "code",
    "repository": "code", "source": "source", "tags": "tags", "keywords": "tags",
}  # fmt: skip
"""Keys of a `* **Key**: value` / `- Key: value` metadata list → front matter fields (parser and importer)."""
_METADATA_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*:\s*[-–—]?\s*(.+)$")  # "Authors:- …" too
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MAX_FRONT_MATTER_VALUES = 10_000
"""YAML aliases can make a few lines stand for billions of values; such front matter is ignored."""


@dataclass
class FrontMatter:
    """The fields of a note's front matter (keys lowercased) and the line each value starts on."""

    fields: dict[str, Any]
    lines: dict[str, int]


def yaml_error_line(error: yaml.YAMLError, first_line: int) -> int:
    """The note line where a YAML error starts: an unclosed quote or bracket is reported where it
    opens (PyYAML marks the end of the text), other problems where they are found."""
    context = getattr(error, "context_mark", None)
    problem = getattr(error, "problem_mark", None)
    what = getattr(error, "context", None) or ""
    mark = context if context is not None and "block" not in what else problem or context
    return mark.line + first_line if mark is not None else first_line


def yaml_error_message(error: yaml.YAMLError) -> str:
    """A short description of a YAML error ("quoted text not closed", "expected ',' or ']'"…)."""
    context = getattr(error, "context", None) or ""
    problem = getattr(error, "problem", None) or "invalid YAML"
    if "quoted scalar" in context:
        return "a quote is never closed"
    if "flow sequence" in context or "flow mapping" in context:
        return "a bracket is never closed"
    return str(problem)


def load_front_matter(content: str, rel: Path, warnings: list[NoteWarning]) -> FrontMatter:
    """Parse the YAML between the `---` lines (content starts on line 2); problems become warnings."""
    empty = FrontMatter({}, {})
    if not content.strip():
        return empty
    loader = yaml.SafeLoader(content)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        line = yaml_error_line(error, 2)
        warnings.append(
            NoteWarning(
                rel, line, f"front matter ignored: {yaml_error_message(error)}", "front matter"
            )
        )
        return empty
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # the constructors raise these for values like `date: 2023-13-45` or very deep nesting
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        line = _failing_line(loader, node) if not isinstance(error, RecursionError) else 2
        warnings.append(NoteWarning(rel, line, f"front matter ignored: {reason}", "front matter"))
        return empty
    finally:
        loader.dispose()
    if data is None:
        return empty
    if _exceeds(data, MAX_FRONT_MATTER_VALUES):
        message = (
            f"front matter ignored: more than {MAX_FRONT_MATTER_VALUES} values (aliases expanded)"
        )
        warnings.append(NoteWarning(rel, 1, message, "front matter"))
        return empty
    if not isinstance(data, dict):
        message = f"front matter ignored: expected key: value pairs, got {_kind(data)}"
        warnings.append(NoteWarning(rel, 2, message, "front matter"))
        return empty
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value).strip().lower()
            lines.setdefault(key, value_node.start_mark.line + 2)
    return FrontMatter({str(k).strip().lower(): v for k, v in data.items()}, lines)


def _failing_line(loader: yaml.SafeLoader, node: yaml.Node | None) -> int:
    """The line of the first top-level value that cannot be constructed (2 when none is found)."""
    if isinstance(node, yaml.MappingNode):
        for _, value_node in node.value:
            try:
                loader.construct_object(value_node, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return value_node.start_mark.line + 2
    return 2


def _exceeds(data: Any, limit: int) -> bool:
    """Whether `data` holds more than `limit` values once aliases are expanded (stops counting early)."""
    stack = [data]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return False


def _kind(value: Any) -> str:
    """How a YAML value is described in a warning."""
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value})"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


class _Fields:
    """Reads typed fields out of merged front matter and metadata list values, reporting wrong types."""

    def __init__(self, merged: dict[str, Any], lines: dict[str, int], rel: Path) -> None:
        self.merged = merged
        self.lines = lines
        self.rel = rel
        self.warnings: list[NoteWarning] = []

    def _pick(self, *keys: str) -> tuple[str, Any]:
        for key in keys:
            if self.merged.get(key) is not None:
                return key, self.merged[key]
        return keys[0], None

    def _warn(self, key: str, message: str) -> None:
        self.warnings.append(NoteWarning(self.rel, self.lines.get(key), message, key))

    def names(self, *keys: str) -> list[str]:
        """A list of names or tags: a YAML list, or text split at commas, semicolons and "and"."""
        key, value = self._pick(*keys)
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            kept = [
                v for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)
            ]
            if len(kept) < len(value):
                self._warn(
                    key,
                    f"{key}: items that are not text were ignored (a list of names is expected)",
                )
            return [str(v).strip() for v in kept if str(v).strip()]
        if not isinstance(value, str):
            self._warn(key, f"{key} should be a list or text, not {_kind(value)}; ignored")
            return []
        parts = re.split(r",|;|\band\b", value) if re.search(r",|;| and ", value) else [value]
        return [p.strip() for p in parts if p.strip()]

    def text(self, *keys: str) -> str | None:
        """One line of text (numbers are fine: `title: 1984`)."""
        key, value = self._pick(*keys)
        if value is None:
            return None
        if isinstance(value, (dict, list, tuple, bool)):
            self._warn(key, f"{key} should be text, not {_kind(value)}; ignored")
            return None
        return str(value).strip() or None

    def year(self, *keys: str) -> int | None:
        """A year: `2023`, `"CVPR 2023"`, or a date."""
        key, value = self._pick(*keys)
        if value is None:
            return None
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.year
        if isinstance(value, int) and not isinstance(value, bool):
            if value in YEARS:
                return value
        elif isinstance(value, str) and (match := _YEAR.search(value)):
            return int(match.group(1))
        self._warn(
            key,
            f"{key} {_shown(value)} is not a year between {YEARS.start} and {YEARS.stop - 1}; ignored",
        )
        return None

    def number(self, *keys: str) -> float | None:
        key, value = self._pick(*keys)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise TypeError
            return float(value)
        except (TypeError, ValueError):
            self._warn(key, f"{key} {_shown(value)} is not a number; ignored")
            return None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else _kind(value)
    return text if len(text) <= 40 else text[:39] + "…"


def note_metadata(
    front: FrontMatter,
    sections: list[Section],
    rel: Path,
    warnings: list[NoteWarning],
    source_lines: list[str] | None = None,
) -> tuple[NoteMeta, str | None]:
    """NoteMeta and title from front matter, filled in from a metadata list near the top.

    A note that states no year gets the one its text gives (`indexer.text_year`): its byline's, else a
    venue's with its year near the top, else its paper link's arXiv id's (that link found in
    `source_lines`, the note's Markdown, when given).
    """
    listed, listed_lines = metadata_list(sections)
    merged: dict[str, Any] = {**listed, **{k: v for k, v in front.fields.items() if v is not None}}
    lines = {**listed_lines, **{k: v for k, v in front.lines.items() if k in front.fields}}
    stated = merged.get("year") is not None or merged.get("date") is not None
    byline = None if stated else byline_year(sections) or venue_year(sections)
    if byline is not None:
        merged["year"], lines["year"] = byline
    elif not stated:
        paper = next((merged[k] for k in ("paper", "arxiv", "url") if merged.get(k) is not None), None)
        if (posted := arxiv_year(paper, sections, source_lines)) is not None:
            merged["year"] = posted  # stated nowhere in the text: the About passage says it
    fields = _Fields(merged, lines, rel)
    meta = NoteMeta(
        authors=fields.names("authors", "author"),
        year=fields.year("year", "date"),
        paper=fields.text("paper", "arxiv", "url"),
        code=fields.text("code", "github"),
        source=fields.text("source"),
        tags=fields.names("tags", "keywords"),
        aliases=fields.names("aliases", "alias"),
        order=fields.number("order"),
        prev=fields.text("prev", "previous"),
        next=fields.text("next"),
        year_line=byline[1] if byline is not None else None,
    )
    title = fields.text("title")
    warnings.extend(fields.warnings)
    return meta, title


def metadata_list(sections: list[Section]) -> tuple[dict[str, Any], dict[str, int]]:
    """Fields from list items like `* **Title**: ...` in the first lines of a note, and their lines."""
    found: dict[str, Any] = {}
    lines: dict[str, int] = {}
    seen = 0
    for section in sections[:3]:
        for block in section.blocks:
            seen += 1
            if seen > 25:
                return found, lines
            if block.kind != "list_item":
                continue
            match = _METADATA_LINE.match(block.text)
            if not match:
                continue
            key = METADATA_KEYS.get(match.group(1).strip().lower())
            if key and key not in found:
                found[key] = match.group(2).strip()
                lines[key] = block.start_line
    return found, lines
