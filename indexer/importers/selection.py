"""Which files of a repository are paper notes: README, CONTRIBUTING, LICENSE and templates are not."""

from __future__ import annotations

import re
from pathlib import Path

NOT_A_NOTE = "not a paper note"
"""Why a README, licence, contributing guide or template is skipped (`--all` imports them)."""
REPOSITORY_FILES = frozenset(
    {
        "readme", "contributing", "contributors", "license", "licence", "copying", "changelog",
        "changes", "history", "code_of_conduct", "code-of-conduct", "security", "authors",
        "notice", "support", "governance", "maintainers", "pull_request_template",
        "issue_template",
    }
)  # fmt: skip
"""File names (without suffix, any case) that describe a repository rather than a paper."""
_PLACEHOLDER = (
    r"(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"  # PAPER_TITLE
    r"|<[^<>]{1,40}>|\{\{[^{}]{1,40}\}\}|\[[A-Z _-]{2,40}\]"  # <TITLE>, {{ title }}, [PAPER NAME]
    r"|(?i:(?:paper|your)[ _-]?(?:title|name)))"  # paper title, Your Title
)
_ONLY_PLACEHOLDER = re.compile(rf"^\s*{_PLACEHOLDER}\s*$")
_PLACEHOLDER_PREFIX = re.compile(rf"^\s*{_PLACEHOLDER}\s*[:\-–—]\s*(?=\S)")


def is_repository_file(path: Path) -> bool:
    """Whether `path` is a README, licence, contributing guide and the like, by its name.

    Templates are told by their placeholder title instead (a note may be about template matching).
    """
    return path.stem.strip().lower() in REPOSITORY_FILES


def is_placeholder_title(title: str) -> bool:
    """Whether `title` is a template's placeholder (`PAPER_TITLE`, `<Title>`, `{{ title }}`)."""
    return bool(_ONLY_PLACEHOLDER.match(title))


def without_placeholder(title: str) -> str:
    """`title` without a placeholder left in front of it: "PAPER_TITLE: Feature Fusion…" → "Feature Fusion…"."""
    return _PLACEHOLDER_PREFIX.sub("", title, count=1)
