"""What each Streamlit call on a page becomes: headings, text, code, formulas, images, callouts (with their front matter), Previous/Next links."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import PurePosixPath

from indexer.importers.converted import is_remote, link_target
from indexer.importers.streamlit.bindings import CONTAINERS, PageBindings, argument, snippet
from indexer.importers.streamlit.callouts import parse_callout
from indexer.importers.streamlit.source import HOME_ID, page_id
from indexer.notes import slugify

_HEADINGS = {"title": 1, "header": 2, "subheader": 3}
_TEXT = {"markdown", "write", "text", "caption"}
_CALLOUTS = {"success", "info", "warning", "error"}
_QUIET = CONTAINERS | {
    "set_page_config", "button", "form_submit_button", "spinner", "balloons", "snow", "rerun",
    "experimental_rerun", "stop", "cache_data", "cache_resource", "cache",
}  # fmt: skip
"""Streamlit calls that show no text of their own: dropped without a warning."""
_SPACER = re.compile(
    r"(?:\s|&nbsp;|&#160;|<br\s*/?>|<p>\s*</p>|<div[^<>]*>\s*</div>)*", re.IGNORECASE
)


class PageCalls(PageBindings):
    """Streamlit calls turned into blocks, metadata and links."""

    def call(self, node: ast.Call, button: str | None) -> None:
        """One call: Streamlit calls become blocks, metadata or links; other calls are skipped."""
        method = self.method(node.func)
        if method is None:
            self.warn(node, f"skipped {snippet(node.func)}(...): code is never run")
        elif method in _HEADINGS:
            self.heading(node, _HEADINGS[method])
        elif method == "write":
            self.write(node)
        elif method in _TEXT:
            if (text := self.string(node, argument(node, 0, "body"))) is not None:
                self.add_text(text)
        elif method == "code":
            self.code(node)
        elif method == "latex":
            if (text := self.string(node, argument(node, 0, "body"))) and text.strip():
                self.blocks.append(f"$$\n{text.strip()}\n$$")
        elif method == "image":
            self.image(node)
        elif method in _CALLOUTS:
            self.callout(node)
        elif method == "divider":
            self.blocks.append("---")
        elif method == "switch_page":
            self.link(button, self.string(node, argument(node, 0, "page")))
        elif method == "page_link":
            label = self.resolve(argument(node, 1, "label"))
            self.link(label or button, self.string(node, argument(node, 0, "page")))
        elif method not in _QUIET:
            self.warn(node, f"skipped {snippet(node.func)}(...): not text")

    def heading(self, node: ast.Call, level: int) -> None:
        text = self.string(node, argument(node, 0, "body"))
        text = " ".join(text.split()) if text else ""
        if not text:
            return
        if level == 1 and self.title is None:
            self.title = text
        else:
            self.blocks.append(f"{'#' * level} {text}")

    def write(self, node: ast.Call) -> None:
        """`st.write(a, b, ...)`: like Streamlit, consecutive strings make one block, joined by spaces."""
        run: list[str] = []
        for arg in [*node.args, None]:
            text = self.string(node, arg) if arg is not None else None
            if text is not None:
                run.append(textwrap.dedent(text).strip())
            elif run:
                self.add_text(" ".join(run))
                run = []

    def add_text(self, text: str) -> None:
        """A text block as Streamlit shows it (dedented, stripped); spacer blocks are dropped."""
        text = textwrap.dedent(text).strip()
        if not _SPACER.fullmatch(text):
            self.blocks.append(tidy(text))

    def code(self, node: ast.Call) -> None:
        text = self.string(node, argument(node, 0, "body"))
        if text is None:
            return
        language_arg = argument(node, 1, "language")
        language = "python" if language_arg is None else (self.resolve(language_arg) or "")
        text = textwrap.dedent(text).strip("\n").rstrip()
        longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * (longest + 1)
        self.blocks.append(f"{fence}{language.strip()}\n{text}\n{fence}")

    def image(self, node: ast.Call) -> None:
        arg = argument(node, 0, "image")
        caption_arg = argument(node, 1, "caption")
        items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        if isinstance(caption_arg, (ast.List, ast.Tuple)):
            captions = [self.resolve(item) for item in caption_arg.elts]
        else:
            captions = [self.string(node, caption_arg)] if caption_arg is not None else []
        for i, item in enumerate(items):
            ref = self.string(node, item)
            if ref is None or not ref.strip():
                continue
            ref = ref.strip()
            link = ref if is_remote(ref) else self.images.place(ref, self.bases, node.lineno) or ref
            raw_caption = captions[i] if i < len(captions) else None
            caption = " ".join((raw_caption or "").split())
            alt = re.sub(r"([\[\]\\])", r"\\\1", caption)
            block = f"![{alt}]({link_target(link)})"
            if caption:
                block += "\n\n*" + re.sub(r"([*_\\])", r"\\\1", caption) + "*"
            self.blocks.append(block)

    def callout(self, node: ast.Call) -> None:
        text = self.string(node, argument(node, 0, "body"))
        if text is None:
            return
        text = textwrap.dedent(text).strip()
        if _SPACER.fullmatch(text):
            return
        for key, value in parse_callout(text).items():
            self.meta.setdefault(key, value)
        self.blocks.append(
            "\n".join(f"> {line}" if line.strip() else ">" for line in tidy(text).split("\n"))
        )

    def link(self, label: str | None, target: str | None) -> None:
        """A Previous/Next button's target becomes `prev`/`next`; Home is the library."""
        if not label or not target or not target.strip():
            return
        lowered = label.casefold()
        if re.search(r"prev|back|←|⬅|«", lowered):
            direction = "prev"
        elif re.search(r"next|forward|→|➡|»", lowered):
            direction = "next"
        else:
            return
        target = target.strip()
        if target.endswith(".py") or "/" in target:
            target_id = page_id(PurePosixPath(target).stem)
        else:
            target_id = slugify(target)
        if target_id not in (HOME_ID, self.note_id):
            self.nav.setdefault(direction, target_id)


def tidy(text: str) -> str:
    """Trailing spaces removed where they mean nothing (kept where two or more make a line break)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if len(line) - len(stripped) < 2 or i + 1 == len(lines) or not lines[i + 1].strip():
            lines[i] = stripped
    return "\n".join(lines)
