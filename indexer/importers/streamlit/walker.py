"""A Streamlit page's statements walked in reading order: expressions, assignments, with and if blocks; code that would run is skipped with a warning."""

from __future__ import annotations

import ast

from indexer.importers.streamlit.bindings import CONTAINERS, LABELLED, argument, snippet
from indexer.importers.streamlit.calls import PageCalls

_STATEMENT_KINDS = {
    "For": "for loop", "AsyncFor": "for loop", "While": "while loop", "Try": "try block",
    "TryStar": "try block", "Match": "match block",
}  # fmt: skip


class Page(PageCalls):
    """Walks a page's syntax tree in reading order, collecting blocks, metadata and links."""

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
            self.warn(node, f"skipped dynamic expression {snippet(value)}")

    def assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, button: str | None) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if isinstance(value, ast.Call):
            method = self.method(value.func)
            self.call(value, button)
            if method in CONTAINERS:
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

    def with_block(self, node: ast.With | ast.AsyncWith, button: str | None) -> None:
        contexts = [item.context_expr for item in node.items]
        if not all(self.is_streamlit(ctx) for ctx in contexts):
            self.warn(node, f"skipped with block {snippet(contexts[0])}: not Streamlit")
            return
        for item in node.items:
            ctx = item.context_expr
            label: str | None = None
            if isinstance(ctx, ast.Call):
                method = self.method(ctx.func)
                self.call(ctx, button)
                if method in LABELLED:
                    label = self.resolve(argument(ctx, 0, "label"))
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
            button = self.resolve(argument(test, 0, "label")) or button
        before = len(self.blocks)
        self.statements(node.body, button)
        self.statements(node.orelse, None)
        if len(self.blocks) > before:
            self.warn(node, "content under an if statement included as if it were shown")
