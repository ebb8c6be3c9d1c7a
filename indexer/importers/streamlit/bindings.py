"""What the names on a Streamlit page stand for (streamlit itself, its functions, containers and their labels, string constants) and the text an expression has."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from indexer.importers.converted import ImagePlacer
from indexer.textsafe import printable

CONTAINERS = {
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
LABELLED = {"expander", "popover", "status"}


class PageBindings:
    """A page being read: what its names are bound to, and what has been collected so far."""

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
        self.bases = ancestors(folder, root)
        """Where image paths are looked up: the page's folder, then its parents up to the root."""

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
        first = argument(call, 0, "tabs" if method == "tabs" else "label")
        if method == "tabs" and isinstance(first, (ast.List, ast.Tuple)):
            labels = [self.resolve(item) for item in first.elts]
        elif method in LABELLED and first is not None:
            labels = [self.resolve(first)]
        for target in targets:
            names = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            for i, name in enumerate(names):
                if isinstance(name, ast.Name):
                    self.containers[name.id] = labels[i] if i < len(labels) else None

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
            self.warn(call, f"skipped dynamic {snippet(call.func)}(...)")
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


def argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """Argument `keyword` of `call`, given by name or at `position`."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    args = call.args
    if position < len(args) and not any(isinstance(a, ast.Starred) for a in args[: position + 1]):
        return args[position]
    return None


def snippet(node: ast.AST) -> str:
    """Short, printable source text for a warning."""
    text = " ".join(printable(ast.unparse(node)).split())
    return text if len(text) <= 60 else text[:57] + "..."


def ancestors(folder: Path, root: Path) -> list[Path]:
    """`folder`, then each parent up to and including `root` (Streamlit runs from the app root)."""
    current, top = folder.resolve(), root.resolve()
    found = [current]
    while current != top and current.is_relative_to(top) and current.parent != current:
        current = current.parent
        found.append(current)
    return found
