"""Generated notes for the app benchmarks: one long note with figures, one huge paragraph, and a library of 1,000 notes."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "model encoder decoder attention mask token image patch feature scale loss training "
    "dataset segmentation detection depth prompt query backbone distillation accuracy speed "
    "latency memory batch gradient layer head anchor box point label teacher student"
).split()


def _sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _png(path: Path, seed: int) -> None:
    from PIL import Image  # deferred: only the benchmarks that draw figures need it

    rng = random.Random(seed)
    colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    Image.new("RGB", (320, 200), colour).save(path)


def long_note(folder: Path, *, lines: int = 400, images: int = 10, name: str = "long") -> Path:
    """Write a note of about `lines` lines (nested bullets, code, a table, links) with `images` PNG figures."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figures").mkdir(exist_ok=True)
    out = [
        "---",
        f'title: "Long Note: {lines} Lines with {images} Figures"',
        "authors: [Ada Lovelace, Alan Turing, Grace Hopper]",
        "year: 2024",
        "tags: [benchmark, long]",
        "aliases: [LongNote]",
        "---",
        "",
        f"# Long Note: {lines} Lines with {images} Figures",
        "",
    ]
    section = 0
    figure = 0
    every = max(1, lines // (images + 1))
    while len(out) < lines:
        section += 1
        out += [f"## Section {section}", "", _sentence(rng, 30), ""]
        for item in range(6):
            out.append(f"- {_sentence(rng)}")
            for _ in range(2):
                out.append(
                    f"  - {_sentence(rng, 10)} See [the paper](https://example.com/{section}/{item})."
                )
        out.append("")
        if section % 3 == 0:
            out += ["```python", "def step(x):", "    return x * 2", "```", ""]
        if section % 4 == 0:
            out += ["| metric | value |", "| --- | --- |", "| AP | 41.2 |", "| FPS | 142 |", ""]
        if figure < images and len(out) >= every * (figure + 1):
            figure += 1
            _png(folder / "figures" / f"figure{figure}.png", figure)
            out += [f"![Figure {figure}: {_sentence(rng, 5)}](figures/figure{figure}.png)", ""]
    while figure < images:
        figure += 1
        _png(folder / "figures" / f"figure{figure}.png", figure)
        out += [f"![Figure {figure}](figures/figure{figure}.png)", ""]
    path = folder / f"{name}.md"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def huge_paragraph(folder: Path, *, words: int = 30_000, name: str = "huge", wrap: int = 0) -> Path:
    """Write a note whose body is one paragraph of `words` words (links, emphasis and inline code in it),
    on one source line (or on lines of `wrap` words); it starts with "First" and ends with "Last"."""
    rng = random.Random(5)
    out = ["First"]
    while len(out) < words - 1:
        word, roll = rng.choice(WORDS), rng.random()
        if roll < 0.02:
            word = f"[{word}](https://example.com/{len(out)})"
        elif roll < 0.04:
            word = f"*{word}*"
        elif roll < 0.05:
            word = f"`{word}_{rng.choice(WORDS)}`"
        out.append(word + ("." if rng.random() < 0.07 else ""))
    out.append("Last.")
    body = "\n".join(" ".join(out[i : i + wrap]) for i in range(0, len(out), wrap)) if wrap else " ".join(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    text = f'---\ntitle: "Huge Paragraph: {words} Words"\n---\n\n# Huge Paragraph\n\n{body}\n'
    path.write_text(text, encoding="utf-8")
    return path


def many_notes(folder: Path, count: int = 1000) -> Path:
    """Write `count` short notes (title, year, tags, three sections) into `folder`."""
    rng = random.Random(11)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        body = [
            "---",
            f'title: "Paper {number:04d}: {_sentence(rng, 6)[:-1]}"',
            f"year: {2000 + number % 25}",
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
            "---",
            "",
            f"# Paper {number:04d}",
            "",
        ]
        for part in ("Idea", "Method", "Results"):
            body += [f"## {part}", "", _sentence(rng, 25), ""]
        (folder / f"paper{number:04d}.md").write_text("\n".join(body), encoding="utf-8")
    return folder


def huge_table(
    folder: Path, *, rows: int = 2000, columns: int = 31, name: str = "table", long_cell: int = 0
) -> Path:
    """Write a note of one sentence and a `rows` × `columns` Markdown table (cells `m{r}`, `{r*i}`: 2000 × 31 is
    ~460 KB); with `long_cell`, the middle row's last cell holds that many words."""
    rng = random.Random(3)
    header = "| " + " | ".join(["model", *(f"c{i}" for i in range(1, columns))]) + " |"
    out = [header, "|" + " --- |" * columns]
    for r in range(rows):
        cells = [f"m{r}", *(str(r * i) for i in range(1, columns))]
        if long_cell and r == rows // 2:
            cells[-1] = " ".join(rng.choice(WORDS) for _ in range(long_cell))
        out.append("| " + " | ".join(cells) + " |")
    title = f"Huge Table Note: {rows} × {columns}"
    text = f'---\ntitle: "{title}"\n---\n\nA table of {rows} rows and {columns} columns follows.\n\n' + "\n".join(out) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path
