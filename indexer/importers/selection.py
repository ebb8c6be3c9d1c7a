"""Which files of a repository are paper notes: README, CONTRIBUTING, LICENSE and templates are not."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

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
TEMPLATE_WORDS = frozenset({"template", "templates", "tmpl"})
"""A file name starting or ending with one of these words (`paper-template.md`, `Template_Matching.md`),
or a folder of that name, is a template's name; whether the file is one its content decides."""
_PLACEHOLDER_WORDS = frozenset(
    {
        "paper", "papers", "article", "note", "summary", "review", "your", "the", "a", "its",
        "this", "insert", "enter", "add", "write", "put", "full", "here", "goes", "of", "s",
        "title", "name",
    }
)  # fmt: skip
"""The words of a placeholder phrase ("Title of the paper", "Paper title here", "Your paper's title")."""
_GENERIC_WORDS = frozenset(
    {
        "paper", "papers", "summary", "summaries", "note", "notes", "review", "reviews", "reading",
        "template", "templates", "for", "a", "an", "the", "of", "my", "our", "your", "research",
        "article", "md", "markdown", "v", "title", "name", "new", "example", "sample", "blank",
        "default", "untitled",
    }
)  # fmt: skip
"""The words of a title that names no paper ("Paper Summary", "Review Template", "Notes")."""
_SYNTAX_PLACEHOLDER = re.compile(
    r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"  # PAPER_TITLE
    r"|<[^<>]{1,40}>|\{\{[^{}]{1,40}\}\}"  # <paper title>, {{ title }}
)
_SEPARATOR = re.compile(r"\s*:\s*|\s+[-–—]\s+")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
"""The words of a file name, camelCase split: TemplateMatching → Template, Matching."""
_FIELDS = frozenset(
    {
        "title", "name", "author", "authors", "venue", "conference", "journal", "year", "date",
        "publication", "link", "url", "arxiv", "abstract",
    }
)  # fmt: skip
"""What a template's bracketed field asks for: `<CONFERENCE_NAME>`, `{{ authors }}`, `[Paper link]`."""
_BRACKETED = re.compile(r"<([^<>\n=/\"']{2,40})>|\{\{([^{}\n]{1,40})\}\}|\[([^\[\]\n]{2,40})\](?![(\[])")
_TEMPLATE_TEXT = re.compile(
    r"\bauthor\s*[12]\b|\bwrite (?:here|your)\b|\blorem ipsum\b|\b(?:text|summary|notes?) goes here\b",
    re.IGNORECASE,
)
"""Template text in a body besides fields: "Author 1, Author 2", "Write here"."""
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
SKELETON_WORDS = 10
"""A body with fewer words than this outside its headings is a template's empty sections."""


def is_repository_file(path: Path) -> bool:
    """Whether `path` is a README, licence, contributing guide and the like, by its name.

    Templates are told by their name and content together (`is_template`): a note may be about
    template matching.
    """
    return path.stem.strip().lower() in REPOSITORY_FILES


def is_placeholder_title(title: str) -> bool:
    """Whether `title` is a template's placeholder: `PAPER_TITLE`, `<Title>`, `{{ title }}`,
    `[Paper Name]`, "Title of the paper", "Paper title here"."""
    title = title.strip()
    if _SYNTAX_PLACEHOLDER.fullmatch(title):
        return True
    if len(title) > 2 and title[0] == "[" and title[-1] == "]":
        title = title[1:-1]
    return _is_placeholder_phrase(title)


def without_placeholder(title: str) -> str:
    """`title` without a placeholder left in front of it: "PAPER_TITLE: Feature Fusion…" → "Feature Fusion…"."""
    separator = _SEPARATOR.search(title)
    if separator and title[separator.end() :].strip() and is_placeholder_title(title[: separator.start()]):
        return title[separator.end() :]
    return title


def is_template_name(display: str) -> bool:
    """Whether a file's path (under its repository) names a template: its name starts or ends with
    "template" (`template.md`, `paper-template.md`, `Summary_Template2.md`) or it is in a
    `templates/` folder."""
    path = PurePosixPath(display)
    if any(folder.casefold() in TEMPLATE_WORDS for folder in path.parts[:-1]):
        return True
    words = [word.casefold() for word in _WORD.findall(path.stem)]
    while words and (words[-1].isdigit() or words[-1] == "v"):  # Template2, template_v2
        words.pop()
    return bool(words) and (words[0] in TEMPLATE_WORDS or words[-1] in TEMPLATE_WORDS)


def is_template(display: str, title: str, body: str) -> bool:
    """Whether a note is a template rather than a paper note.

    A placeholder title is enough. A template's name (`is_template_name`) is not: a note named so
    is a template only when its content is one too, a title naming no paper ("Paper Summary"),
    template text in its body (`<VENUE>`, "Author 1") or empty sections. So `Template_Matching.md`,
    a real title over real text, is imported.
    """
    if is_placeholder_title(title):
        return True
    if not is_template_name(display):
        return False
    return _is_generic(title) or _has_placeholders(body) or _prose_words(body) < SKELETON_WORDS


def _is_placeholder_phrase(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return bool(words) and set(words) <= _PLACEHOLDER_WORDS and bool({"title", "name"} & set(words))


def _is_generic(title: str) -> bool:
    words = re.findall(r"[^\W\d_]+", title.casefold())
    return set(words) <= _GENERIC_WORDS


def _has_placeholders(body: str) -> bool:
    prose = "\n".join(_prose_lines(body))
    if _TEMPLATE_TEXT.search(prose):
        return True
    for match in _BRACKETED.finditer(prose):
        words = set(re.findall(r"[a-z]+", next(group for group in match.groups() if group).casefold()))
        if words & _FIELDS and words <= _FIELDS | _PLACEHOLDER_WORDS:
            return True
    return False


def _prose_words(body: str) -> int:
    return sum(len(line.split()) for line in _prose_lines(body) if not _HEADING.match(line))


def _prose_lines(body: str) -> list[str]:
    """The body's lines outside fenced code (code may hold `<T>` or `{{ }}` of its own)."""
    lines: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines
