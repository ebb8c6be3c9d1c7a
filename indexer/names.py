"""The names of a note: its short name (what people call the paper), slugs, and finding a note by name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from indexer.notemodel import Note

MAX_SHORT_NAME = 30
"""Longest alias or part before a colon used as a short name. In content/ and papers_we_read the
parts before a colon run from 4 ("BART") to 29 ("An Image is Worth 16x16 Words") characters; the
next longer ones are whole phrases (a question, a sentence) rather than names."""
_ACRONYM = re.compile(r"\(([^()\s]{2,15})\)\s*$")
_LEADING_NAME = re.compile(r"^([^\s()]{2,20}) \(.{4,}\)$")


def slugify(text: str) -> str:
    """A lowercase, dash-separated identifier for `text`."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "note"


def short_name(note: Note | Any) -> str:
    """The name people know a paper by: MobileSAM, not "Faster Segment Anything: Towards…".

    The first alias, unless the title starts with the paper's own one-word name ("DINOv2: …",
    "EfficientSAM: …") or with a name the alias only adds to ("Depth Anything: …" and alias
    "Depth Anything V1"). Without aliases: the note's `# Heading` when it is shorter than the
    title, else the title; of that, the part before a colon, or its acronym in brackets
    ("… with Transformers (DETR)", "CLIP (Contrastive Language–Image Pre-training)"); but a name
    the note's file gives its paper (`stem_name`: CICERO.md, imagen.md) comes before those.
    Works on anything with `title`, `meta.aliases` and maybe `heading` and `stem_name` (a catalog record too).
    """
    aliases = [_one_line(a) for a in note.meta.aliases if a.strip()]
    alias = aliases[0] if aliases and len(aliases[0]) <= MAX_SHORT_NAME else None
    title = _one_line(note.title)
    named = _before_colon(title)
    if alias:
        if named and (" " not in named or _squashed(alias).startswith(_squashed(named))):
            return named
        return alias
    heading = _one_line(getattr(note, "heading", None) or "")
    name = heading if heading and len(heading) < len(title) else title
    name = _before_colon(name) or _acronym(name) or name
    by_file = getattr(note, "stem_name", None)
    return by_file if by_file and _squashed(by_file) != _squashed(name) else name


STEM_NAME_RULE = 2
"""The version of `stem_name`'s rule: records that keep a name made by another are read again (`indexer.catalog`)."""


def stem_name(stem: str, title: str, text: str) -> str | None:
    """The paper's name a note's file name gives, as the note writes it; None when the file name is
    not a name (a word of the title, a description, "notes"), or nothing in the note says it is the paper's.

    A file name is a name when it is one word ("CICERO", "SiamMAE", "imagen", "FFA-Net"; a trailing
    "summary" or "notes" dropped) and the note writes that word as a name (with a capital: "Imagen",
    "CycleGAN" in a code link) outside its own image paths, not as a word of the title ("Siamese …",
    "Florence"); or when its letters are the initials of title words in order ("srn": Scene
    Representation Networks → SRN). A file name of words ("style_GAN", "Vision_Transformer") is a
    name only when the note writes them as one word ("stylegan" → StyleGAN), or writes a name
    that shortens them in order ("ViT"); other word file names describe the paper ("feature_denoising",
    "Pause_Tokens", "NMT_Gap") as often as they name it, so the title says it instead.
    """
    words = [w for w in re.split(r"[\s_]+", stem.strip()) if w and not GENERIC_STEMS.fullmatch(w)]
    if not words or not all(re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", w) for w in words):
        return None
    joined = "".join(words)
    if len(_squashed(joined)) < 3 or len(joined) > MAX_SHORT_NAME or GENERIC_STEMS.fullmatch(joined):
        return None
    text = _IMAGE.sub(" ", text)
    if title.isupper():
        text = text.replace(title, " ")  # a title in capitals writes every word as a name ("INDOOR SCENE")
    spellings = _spellings(joined, text)
    if len(words) > 1 and not any(re.search(r"[A-Z].*[A-Z]", w) for w in words):
        spellings = []  # "uniform_convergence": words, although a link may run them together
    named = [s for s in spellings if s != s.lower()]
    if len(words) == 1 and joined.lower() in {w.lower() for w in re.findall(r"[A-Za-z0-9]+", title)}:
        named = [s for s in named if _WRITTEN_AS_NAME.search(s)]  # "DIRE for …", not a title word ("Florence")
        spellings = named
    if named:
        return max(named, key=lambda s: (_WRITTEN_AS_NAME.search(s) is not None, spellings.count(s), s == joined))
    if spellings and len(words) > 1:
        return "".join(w if w != w.lower() else w.capitalize() for w in words)  # "stylegan" in a link → StyleGAN
    if len(words) == 1 and joined.isalpha() and _initials(joined, title):
        return joined.upper()
    return _shortening(words, text) if len(words) > 1 else None


_IMAGE = re.compile(r"<img\b[^>]*>|!\[[^\]]*\]\([^)]*\)", re.IGNORECASE)
"""A note's images: their paths, often named after the note's own file, say nothing of the paper's name."""
_FILE_PATH = re.compile(r"[/\\]|\.[A-Za-z]{2,4}\b")
"""What follows a file or folder name in a path ("srn/", "srn.png")."""


def _spellings(name: str, text: str) -> list[str]:
    """Every way `text` writes `name` as a word of its own (in any case), outside file paths."""
    found = re.finditer(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text, re.IGNORECASE)
    return [m[0] for m in found if not _FILE_PATH.match(text, m.end())]


def _initials(letters: str, title: str) -> bool:
    """Whether `letters` are the initials of consecutive words of `title` ("srn": Scene Representation Networks)."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", title)).lower()
    return len(letters) >= 3 and letters.lower() in initials


def _shortening(words: list[str], text: str) -> str | None:
    """A name `text` writes (twice or more, with a capital inside) that shortens `words` in order: ViT for Vision_Transformer."""
    counts: dict[str, int] = {}
    for word in re.findall(r"(?<![\w/-])[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?![\w/])", text):
        counts[word] = counts.get(word, 0) + 1
    lowered = [w.lower() for w in words]
    found = [w for w, n in counts.items() if n >= 2 and 3 <= len(w) <= 8 and _prefixes(w.lower(), lowered)]
    return max(found, key=lambda w: counts[w]) if found else None


def _prefixes(short: str, words: list[str]) -> bool:
    """Whether `short` is a non-empty prefix of each of `words`, one after another, and nothing else."""
    if not words:
        return not short
    first, rest = words[0], words[1:]
    return any(short[:n] == first[:n] and _prefixes(short[n:], rest) for n in range(1, min(len(first), len(short)) + 1))


def _before_colon(name: str) -> str | None:
    head, colon, _ = name.partition(":")
    head = head.strip()
    return head if colon and 2 <= len(head) <= MAX_SHORT_NAME else None


def _acronym(name: str) -> str | None:
    trailing = _ACRONYM.search(name)
    if trailing and trailing.start() > 0:
        return trailing[1]
    leading = _LEADING_NAME.match(name)
    return leading[1] if leading else None


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def resolve_note(notes: Iterable[Note], key: str) -> Note | None:
    """Find a note by id, relative path, title, alias or slug (case-insensitive)."""
    wanted = key.strip().lower().removesuffix(".md")
    notes = list(notes)
    for getter in (
        lambda n: [n.id.lower()],
        lambda n: [n.rel_path.lower().removesuffix(".md")],
        lambda n: [n.title.lower()],
        lambda n: [a.lower() for a in n.meta.aliases],
        lambda n: [slugify(n.title), n.id.rsplit("/", 1)[-1].lower()],
    ):
        for note in notes:
            if wanted in getter(note):
                return note
    slug = slugify(wanted)
    for note in notes:
        if slug in (slugify(note.title), slugify(note.id.rsplit("/", 1)[-1])):
            return note
    return None


GENERIC_STEMS = re.compile(
    r"(?:notes?|summary|summaries|paper|papers|readme|index|draft|untitled|todo|main|new|doc|file|review|writeup)[\W_]*\d*",
    re.IGNORECASE,
)
"""File names that say what a file is, not which paper: never a name people use ("notes.md", "paper1.md")."""
_WRITTEN_AS_NAME = re.compile(r"^.+[A-Z]|[A-Za-z]\d|\d[A-Za-z]")
"""A word written as a name: a capital after its first letter (CycleGAN, DenseNet, BYOL) or a digit in it (w2v)."""


def exact_names(notes: Iterable[Any]) -> dict[str, str]:
    """Lowercased names that are one note's own, as written whole: aliases, title, the part before a colon,
    and the file name when it is written as a name; each only when no other note has the same one.

    These single out their note although another note's longer name contains them: "SAM" is the
    alias of the Segment Anything note while "HQ-SAM" and "MobileSAM" are others' names, "cyclegan"
    the file name of the CycleGAN note while "Cycle-Dehaze: Enhanced CycleGAN" is another's title.
    A file name counts when it, or the way the notes' titles and aliases write it, is written as a
    name ("CycleGAN", "SiamMAE", "BYOL"), not when it is a word ("attention.md" beside "Stand-Alone
    Self-Attention", "siamese.md") or says what the file is ("notes.md"). Works on anything with
    `id`, `title` and `meta` (a dict with "aliases"), as the index stores notes.
    """
    notes = list(notes)
    spellings: dict[str, set[str]] = {}
    own: dict[str, set[str]] = {}
    stems: dict[str, str] = {}
    for note in notes:
        aliases = [str(a) for a in note.meta.get("aliases", []) or []]
        for name in [note.title, *aliases]:
            for word in re.findall(r"[\w-]+", name):
                spellings.setdefault(word.lower(), set()).add(word)
        names = {note.title, note.title.split(":")[0], *aliases}
        own[note.id] = {_one_line(n).lower() for n in names if len(_one_line(n)) >= 3}
        stems[note.id] = note.id.rsplit("/", 1)[-1]
    for note in notes:
        stem = stems[note.id]
        if len(stem) >= 3 and not GENERIC_STEMS.fullmatch(stem) and re.fullmatch(r"[\w-]+", stem) and "_" not in stem:
            written = {stem, *spellings.get(stem.lower(), ())}
            if any(_WRITTEN_AS_NAME.search(w) for w in written):
                own[note.id].add(stem.lower())
    holders: dict[str, list[str]] = {}
    for note_id, names in own.items():
        for name in names:
            holders.setdefault(name, []).append(note_id)
    return {name: ids[0] for name, ids in holders.items() if len(ids) == 1}


_JOINS_WORDS = re.compile(r"[\w-]")
"""A character that would make a name part of a longer word ("sam" in "mobilesam", "hq-sam")."""


class NameMatcher:
    """Finds names (lowercased, each with its note id) in a text: whole words, the longest name at each place."""

    def __init__(self, ids: dict[str, str]) -> None:
        self.ids = ids
        self._lengths = sorted({len(n) for n in ids}, reverse=True)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, note id) of every name in `text`, left to right."""
        text = text.lower()
        spans: list[tuple[int, int, str]] = []
        position = 0
        while position < len(text) and self._lengths:
            name = self._name_at(text, position)
            if name is None:
                position += 1
                continue
            spans.append((position, position + len(name), self.ids[name]))
            position += len(name)
        return spans

    def _name_at(self, text: str, start: int) -> str | None:
        """The longest name that starts at `start` as a whole word of `text` (letters, digits, _ and - join)."""
        if start and _JOINS_WORDS.match(text, start - 1):
            return None
        for length in self._lengths:
            end = start + length
            if end > len(text):
                continue
            if text[start:end] in self.ids and not _JOINS_WORDS.match(text, end):
                return text[start:end]
        return None
