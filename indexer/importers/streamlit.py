"""Streamlit pages → notes, read with `ast` only: nothing in a page is ever imported or run."""

from __future__ import annotations

import ast
import io
import logging
import re
import textwrap
import tokenize
import warnings
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from indexer.errors import ImportFailed
from indexer.importers.converted import (
    ConvertedNote,
    ImagePlacer,
    SkipSource,
    is_remote,
    link_target,
    render_note,
)
from indexer.notes import slugify
from indexer.textsafe import printable

logger = logging.getLogger(__name__)

HOME_ID = "home"
"""The page id of a Streamlit app's home page: the library itself, never a note."""

_HEADINGS = {"title": 1, "header": 2, "subheader": 3}
_TEXT = {"markdown", "write", "text", "caption"}
_CALLOUTS = {"success", "info", "warning", "error"}
_CONTAINERS = {
    "columns",
    "tabs",
    "container",
    "expander",
    "popover",
    "status",
    "sidebar",
    "form",
    "empty",
}
_LABELLED = {"expander", "popover", "status"}
_QUIET = _CONTAINERS | {
    "set_page_config", "button", "form_submit_button", "spinner", "balloons", "snow", "rerun",
    "experimental_rerun", "stop", "cache_data", "cache_resource", "cache",
}  # fmt: skip
"""Streamlit calls that show no text of their own: dropped without a warning."""

_SPACER = re.compile(
    r"(?:\s|&nbsp;|&#160;|<br\s*/?>|<p>\s*</p>|<div[^<>]*>\s*</div>)*", re.IGNORECASE
)
_LINK = re.compile(r"\[(?P<label>[^\]\n]+)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CITATION = re.compile(
    r"\[(?P<title>[^\]\n]+)\]\(\s*<?(?P<url>[^)\s>]+)>?\s*\)[\s,.:;-]*by\s+(?P<authors>[^()\n]+?)\s*"
    r"\([^)]*?\b(?P<year>(?:19|20)\d\d)\b[^)]*\)",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{4}-\d\d-\d\d\b",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(
    r"\b(?:tweet|post|thread|toot|original|source|blog|article)\b", re.IGNORECASE
)
_SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "linkedin.com",
    "threads.net",
    "bsky.app",
    "mastodon.social",
)
_STATEMENT_KINDS = {
    "For": "for loop", "AsyncFor": "for loop", "While": "while loop", "Try": "try block",
    "TryStar": "try block", "Match": "match block",
}  # fmt: skip


def page_name(stem: str) -> str:
    """Streamlit's name for a page file: "02_Mobile_SAM" → "Mobile SAM"."""
    name = re.sub(r"^\d+[_ -]*", "", stem).replace("_", " ").strip()
    return name or stem


def page_id(stem: str) -> str:
    """The note id of the page whose file stem is `stem` ("MobileSAM" → "mobilesam")."""
    return slugify(page_name(stem))


def convert_page(path: Path, root: Path | None = None, display: str | None = None) -> ConvertedNote:
    """Read the Streamlit page at `path` (never running it) and turn it into a note.

    `root` is the source tree images may come from (default: the page's folder); `display` is how
    messages name the page (default: its file name). Raises ImportFailed for a file that can't be
    read or parsed and SkipSource for one that is not a page or has nothing to import.
    """
    display = display or path.name
    root = root or path.parent
    note_id = page_id(path.stem)
    tree = _parse(_read(path, display), display)
    page = _Page(display, note_id, path.parent, root)
    try:
        page.read(tree)
    except RecursionError:
        raise ImportFailed(f"{display}: too deeply nested to read") from None
    if not page.is_page:
        raise SkipSource("not a Streamlit page")
    if note_id == HOME_ID:
        raise SkipSource("home page: the library")
    if page.title is None and not page.blocks:
        raise SkipSource("no text to import")
    title = page.title or page_name(path.stem)
    meta = {key: page.meta.get(key) for key in ("authors", "year", "paper", "code", "source")}
    paper_title = page.meta.get("paper_title")
    if paper_title and paper_title.casefold() != title.casefold():
        meta["aliases"] = [paper_title]
    meta.update(prev=page.nav.get("prev"), next=page.nav.get("next"))
    return ConvertedNote(
        id=note_id,
        source=path,
        markdown=render_note(title, meta, "\n\n".join(page.blocks)),
        warnings=[text for _, text in sorted(page.warnings + page.images.reports())],
        images=page.images.copies,
    )


def parse_callout(text: str) -> dict[str, Any]:
    """Front matter found in an `st.info`-style box: a paper's resources, the source post."""
    found: dict[str, Any] = {}
    links = [(m["label"].strip(), m["url"]) for m in _LINK.finditer(text)]
    citation = _CITATION.search(text)
    arxiv = next((url for _, url in links if _host(url).endswith("arxiv.org")), None)
    if citation:
        found["paper_title"] = " ".join(citation["title"].split())
        found["authors"] = [
            a for a in re.split(r"\s*(?:,|;|&|\band\b)\s*", citation["authors"]) if a
        ]
        found["year"] = int(citation["year"])
    if arxiv or citation:
        found["paper"] = arxiv or (citation["url"] if citation else None)
    code = next((url for _, url in links if _host(url) in ("github.com", "www.github.com")), None)
    if code:
        found["code"] = code
    for label, url in links:
        host = _host(url)
        social = any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS)
        if url not in (found.get("paper"), code) and (social or _SOURCE_LABEL.search(label)):
            date = _DATE.search(text)
            found["source"] = f"{label} ({date[0]}): {url}" if date else f"{label}: {url}"
            break
    return found


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _read(path: Path, display: str) -> str:
    """The page's source text, decoded as Python does (BOM, coding cookie, else UTF-8)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{display}: cannot read ({error.strerror or error})") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ImportFailed(f"{display}:{line}: binary file (NUL byte), not Python")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as error:
        raise ImportFailed(f"{display}:{error.lineno or 1}: {error.msg}") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"{display}:{line}: not valid {error.encoding.upper()} (byte 0x{data[error.start]:02x})"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse(text: str, display: str) -> ast.Module:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are the page's business
            return ast.parse(text, filename=display)
    except SyntaxError as error:
        detail = "" if error.msg == "invalid syntax" else f" ({error.msg})"
        raise ImportFailed(f"{display}:{error.lineno or 1}: invalid syntax{detail}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ImportFailed(f"{display}: cannot parse ({type(error).__name__})") from None


class _Page:
    """Walks a page's syntax tree in reading order, collecting blocks, metadata and links."""

    def __init__(self, display: str, note_id: str, folder: Path, root: Path) -> None:
        self.display = display
        self.note_id = note_id
        self.is_page = False
        self.streamlit: set[str] = set()
        """Names bound to the streamlit module (`st`)."""
        self.functions: dict[str, str] = {}
        """Names bound to streamlit functions → their streamlit name (`switch_page`)."""
        self.containers: dict[str, str | None] = {}
        """Names bound to columns, tabs, expanders… → their label, if any."""
        self.constants: dict[str, str] = {}
        self.title: str | None = None
        self.blocks: list[str] = []
        self.meta: dict[str, Any] = {}
        self.nav: dict[str, str] = {}
        self.warnings: list[tuple[int, str]] = []
        """(line, "file:line: message")."""
        self.images = ImagePlacer(note_id, root, display)
        self.bases = _ancestors(folder, root)
        """Where image paths are looked up: the page's folder, then its parents up to the root."""

    def read(self, tree: ast.Module) -> None:
        self._imports(tree)
        body = tree.body
        first = body[0] if body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            body = body[1:]  # the module docstring, which Streamlit does not show
        self.statements(body, None)

    def _imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "streamlit" or alias.name.startswith("streamlit."):
                        self.is_page = True
                        if alias.name == "streamlit" or alias.asname is None:
                            self.streamlit.add(alias.asname or "streamlit")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.split(".")[0] not in ("streamlit", "streamlit_extras"):
                    continue
                self.is_page = True
                for alias in node.names:
                    if node.module == "streamlit" or alias.name == "switch_page":
                        self.functions[alias.asname or alias.name] = alias.name

    def statements(self, body: list[ast.stmt], button: str | None) -> None:
        """Read `body`; `button` is the label of the button whose `if` encloses it."""
        for node in body:
            if isinstance(node, ast.Expr):
                self.expression(node, button)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                self.assign(node, button)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                self.with_block(node, button)
            elif isinstance(node, ast.If):
                self.if_block(node, button)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                self.warn(node, f"skipped {kind} {node.name!r}: code is never run")
            elif type(node).__name__ in _STATEMENT_KINDS:
                self.warn(node, f"skipped dynamic {_STATEMENT_KINDS[type(node).__name__]}")

    def expression(self, node: ast.Expr, button: str | None) -> None:
        value = node.value
        if isinstance(value, ast.Call):
            self.call(value, button)
        elif (text := self.resolve(value)) is not None:
            self.add_text(text)  # Streamlit "magic": a bare string is shown with st.write
        elif not isinstance(value, ast.Constant):
            self.warn(node, f"skipped dynamic expression {_snippet(value)}")

    def assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, button: str | None) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if isinstance(value, ast.Call):
            method = self.method(value.func)
            self.call(value, button)
            if method in _CONTAINERS:
                self.bind(targets, value, method)
        if isinstance(node, ast.AugAssign):
            old = self.resolve(node.target)
            add = self.resolve(value) if isinstance(node.op, ast.Add) else None
            new = old + add if old is not None and add is not None else None
            self.remember(node.target, new)
            return
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(
                value, (ast.Tuple, ast.List)
            ):
                if len(target.elts) == len(value.elts):
                    for name, item in zip(target.elts, value.elts, strict=True):
                        self.remember(name, self.resolve(item))
                    continue
            self.remember(target, self.resolve(value) if value is not None else None)

    def remember(self, target: ast.expr, text: str | None) -> None:
        """Track module-level string constants; anything else assigned to a name forgets it."""
        if isinstance(target, ast.Name) and text is not None:
            self.constants[target.id] = text
            return
        for name in ast.walk(target):
            if isinstance(name, ast.Name):
                self.constants.pop(name.id, None)

    def bind(self, targets: list[ast.expr], call: ast.Call, method: str) -> None:
        """Remember names bound to columns, tabs or expanders, with tab and expander labels."""
        labels: list[str | None] = []
        first = _argument(call, 0, "tabs" if method == "tabs" else "label")
        if method == "tabs" and isinstance(first, (ast.List, ast.Tuple)):
            labels = [self.resolve(item) for item in first.elts]
        elif method in _LABELLED and first is not None:
            labels = [self.resolve(first)]
        for target in targets:
            names = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            for i, name in enumerate(names):
                if isinstance(name, ast.Name):
                    self.containers[name.id] = labels[i] if i < len(labels) else None

    def with_block(self, node: ast.With | ast.AsyncWith, button: str | None) -> None:
        contexts = [item.context_expr for item in node.items]
        if not all(self.is_streamlit(ctx) for ctx in contexts):
            self.warn(node, f"skipped with block {_snippet(contexts[0])}: not Streamlit")
            return
        for item in node.items:
            ctx = item.context_expr
            label: str | None = None
            if isinstance(ctx, ast.Call):
                method = self.method(ctx.func)
                self.call(ctx, button)
                if method in _LABELLED:
                    label = self.resolve(_argument(ctx, 0, "label"))
                if isinstance(item.optional_vars, ast.Name):
                    self.containers[item.optional_vars.id] = label
            elif isinstance(ctx, ast.Name):
                label = self.containers.get(ctx.id)
            if label and label.strip():
                self.blocks.append(f"**{' '.join(label.split())}**")
        self.statements(node.body, button)

    def if_block(self, node: ast.If, button: str | None) -> None:
        test = node.test
        if isinstance(test, ast.Call) and self.method(test.func) in (
            "button",
            "form_submit_button",
        ):
            button = self.resolve(_argument(test, 0, "label")) or button
        before = len(self.blocks)
        self.statements(node.body, button)
        self.statements(node.orelse, None)
        if len(self.blocks) > before:
            self.warn(node, "content under an if statement included as if it were shown")

    def call(self, node: ast.Call, button: str | None) -> None:
        """One call: Streamlit calls become blocks, metadata or links; other calls are skipped."""
        method = self.method(node.func)
        if method is None:
            self.warn(node, f"skipped {_snippet(node.func)}(...): code is never run")
        elif method in _HEADINGS:
            self.heading(node, _HEADINGS[method])
        elif method == "write":
            self.write(node)
        elif method in _TEXT:
            if (text := self.string(node, _argument(node, 0, "body"))) is not None:
                self.add_text(text)
        elif method == "code":
            self.code(node)
        elif method == "latex":
            if (text := self.string(node, _argument(node, 0, "body"))) and text.strip():
                self.blocks.append(f"$$\n{text.strip()}\n$$")
        elif method == "image":
            self.image(node)
        elif method in _CALLOUTS:
            self.callout(node)
        elif method == "divider":
            self.blocks.append("---")
        elif method == "switch_page":
            self.link(button, self.string(node, _argument(node, 0, "page")))
        elif method == "page_link":
            label = self.resolve(_argument(node, 1, "label"))
            self.link(label or button, self.string(node, _argument(node, 0, "page")))
        elif method not in _QUIET:
            self.warn(node, f"skipped {_snippet(node.func)}(...): not text")

    def heading(self, node: ast.Call, level: int) -> None:
        text = self.string(node, _argument(node, 0, "body"))
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
            self.blocks.append(_tidy(text))

    def code(self, node: ast.Call) -> None:
        text = self.string(node, _argument(node, 0, "body"))
        if text is None:
            return
        language_arg = _argument(node, 1, "language")
        language = "python" if language_arg is None else (self.resolve(language_arg) or "")
        text = textwrap.dedent(text).strip("\n").rstrip()
        longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * (longest + 1)
        self.blocks.append(f"{fence}{language.strip()}\n{text}\n{fence}")

    def image(self, node: ast.Call) -> None:
        arg = _argument(node, 0, "image")
        caption_arg = _argument(node, 1, "caption")
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
        text = self.string(node, _argument(node, 0, "body"))
        if text is None:
            return
        text = textwrap.dedent(text).strip()
        if _SPACER.fullmatch(text):
            return
        for key, value in parse_callout(text).items():
            self.meta.setdefault(key, value)
        self.blocks.append(
            "\n".join(f"> {line}" if line.strip() else ">" for line in _tidy(text).split("\n"))
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

    def method(self, func: ast.expr) -> str | None:
        """The Streamlit function a call's `func` names (`st.markdown` → "markdown"), else None."""
        if isinstance(func, ast.Name):
            return self.functions.get(func.id)
        if isinstance(func, ast.Attribute) and self.is_streamlit(func.value):
            return func.attr
        return None

    def is_streamlit(self, node: ast.expr) -> bool:
        """True for streamlit itself or what it returned: `st`, `st.sidebar`, `col1`, `st.columns(2)[0]`."""
        while True:
            if isinstance(node, ast.Name):
                return (
                    node.id in self.streamlit
                    or node.id in self.containers
                    or node.id in self.functions
                )
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                node = node.value
            elif isinstance(node, ast.Call):
                node = node.func
            else:
                return False

    def string(self, call: ast.Call, arg: ast.expr | None) -> str | None:
        """The text of argument `arg` of `call`, or None (with a warning when it is dynamic)."""
        if arg is None:
            return None
        text = self.resolve(arg)
        if text is None and not (isinstance(arg, ast.Constant) and arg.value is None):
            self.warn(call, f"skipped dynamic {_snippet(call.func)}(...)")
        return text

    def resolve(self, node: ast.expr | None) -> str | None:
        """The value of a string constant, a known constant name, an f-string or a `+` of them."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.conversion not in (-1, ord("s")) or part.format_spec is not None:
                        return None
                    text = self.resolve(part.value)
                else:
                    text = self.resolve(part)
                if text is None:
                    return None
                parts.append(text)
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.resolve(node.left), self.resolve(node.right)
            return left + right if left is not None and right is not None else None
        return None

    def warn(self, node: ast.AST, message: str) -> None:
        line = getattr(node, "lineno", 1)
        self.warnings.append((line, f"{self.display}:{line}: {message}"))


def _tidy(text: str) -> str:
    """Trailing spaces removed where they mean nothing (kept where two or more make a line break)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if len(line) - len(stripped) < 2 or i + 1 == len(lines) or not lines[i + 1].strip():
            lines[i] = stripped
    return "\n".join(lines)


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """Argument `keyword` of `call`, given by name or at `position`."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    args = call.args
    if position < len(args) and not any(isinstance(a, ast.Starred) for a in args[: position + 1]):
        return args[position]
    return None


def _snippet(node: ast.AST) -> str:
    """Short, printable source text for a warning."""
    text = " ".join(printable(ast.unparse(node)).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _ancestors(folder: Path, root: Path) -> list[Path]:
    """`folder`, then each parent up to and including `root` (Streamlit runs from the app root)."""
    current, top = folder.resolve(), root.resolve()
    found = [current]
    while current != top and current.is_relative_to(top) and current.parent != current:
        current = current.parent
        found.append(current)
    return found
