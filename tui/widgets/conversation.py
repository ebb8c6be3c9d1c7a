"""Provides one turn of the conversation: the question, its answer (or refusal) and numbered citations."""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from indexer.answer import REFUSAL, Answer, Citation
from tui.messages import AskQuestion, CitationChosen, OpenNote
from tui.text import one_line, with_citation_marks


def citation_prompt(citation: Citation, name: str | None = None, numbered: bool = True) -> Content:
    """`[n] Name › Section  path:lines` (name: the note's short name, else its title)."""
    trail = name or one_line(citation.title)
    if citation.section:
        trail += " › " + one_line(citation.section)
    return Content.assemble(
        (f"[{citation.number}] " if numbered else "· ", "bold $accent"),
        trail,
        (f"  {citation_place(citation)}", "dim"),
    )


def citation_place(citation: Citation) -> str:
    """`path:line` or `path:first-last`."""
    first, last = citation.lines
    lines = f"{first}" if first == last else f"{first}-{last}"
    return f"{one_line(citation.path)}:{lines}"


class CitationList(OptionList):
    """The citations of one answer; choosing one opens the note at the cited passage."""

    def __init__(
        self, citations: list[Citation], names: Mapping[str, str], numbered: bool = True
    ) -> None:
        super().__init__(
            *[
                Option(citation_prompt(c, names.get(c.note), numbered), id=str(i))
                for i, c in enumerate(citations)
            ]
        )
        self.citations = citations
        """The passages listed, in order."""

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(CitationChosen(self.citations[event.option_index]))


class ElsewhereList(OptionList):
    """For a question asked of one note that names another: ask all notes instead, or open the note it names."""

    def __init__(self, answer: Answer) -> None:
        options = [Option(Content.assemble(("· ", "bold $accent"), "Ask all notes instead"), id="all")]
        options += [
            Option(
                Content.assemble(("· ", "bold $accent"), f"Open your note on {one_line(n.name)}", (f"  {one_line(n.path)}", "dim")),
                id=f"open:{n.id}",
            )
            for n in answer.outside_scope[:3]
        ]
        super().__init__(*options, classes="elsewhere")
        self.question = answer.question
        """The question as asked (asked again of all notes)."""

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id or ""
        if choice.startswith("open:"):
            self.post_message(OpenNote(choice.removeprefix("open:"), jump=True, from_ask=True))
        elif getattr(getattr(self.app, "main", None), "ask_pane", None) is not None and self.app.main.ask_pane.answering:  # type: ignore[attr-defined]
            self.notify("Still answering the previous question (esc cancels it).", severity="warning")
        else:
            self.post_message(AskQuestion(self.question, None))


class Turn(Vertical):
    """A question and what came back for it."""

    def __init__(self, number: int, question: str, scope_title: str | None) -> None:
        super().__init__(classes="turn -pending")
        self.number = number
        """Position in the conversation (1-based)."""
        self.question = question
        """The question as asked."""
        self.scope_title = scope_title
        """Title of the note the question was limited to, if any."""
        self.answer: Answer | None = None
        """The answer, once it came."""
        self.open_note: str | None = None
        """Id of the note being read when the question was asked (what "it" means when nothing came before)."""

    def compose(self) -> ComposeResult:
        parts: list[str | tuple[str, str]] = [
            ("› ", "bold $accent"),
            (one_line(self.question), "bold"),
        ]
        if self.scope_title:
            parts.append((f"  (in {one_line(self.scope_title)})", "dim italic"))
        yield Static(Content.assemble(*parts), classes="question")

    @property
    def pending(self) -> bool:
        """Whether the turn is still waiting for its answer."""
        return self.has_class("-pending")

    def show_answer(self, answer: Answer, names: Mapping[str, str]) -> None:
        """Show the answer with its citations, or the refusal with the closest passages (`names`: short note names)."""
        self.answer = answer
        self.remove_class("-pending")
        if answer.read_as:  # a follow-up, read with the previous answer's paper in it
            self.mount(Static(Content.assemble(("read as: ", "dim"), (one_line(answer.read_as), "dim italic")), classes="read-as"))
        if answer.refused:
            self.add_class("-refused")
            detail = answer.reason if answer.reason != REFUSAL else "Nothing in them answers this question."
            heading = "Not in this note. " if answer.outside_scope else "Not in your notes. "
            self.mount(Static(Content.assemble((heading, "bold"), (detail, "italic")), classes="answer"))
            if answer.outside_scope:
                self.mount(ElsewhereList(answer))
            if answer.closest:
                other = answer.outside_scope[0] if answer.outside_scope else None
                elsewhere = other is not None and answer.closest[0].note == other.id
                label = f"In your note on {one_line(other.name)}:" if other is not None and elsewhere else "Closest passages:"
                self.mount(Static(Content(label), classes="closest-label"))
                self.mount(CitationList(answer.closest, names, numbered=False))
        else:
            self.add_class("-answered")
            self.mount(
                Static(
                    Content.from_rich_text(with_citation_marks(answer.text or "")), classes="answer"
                )
            )
            self.mount(CitationList(answer.citations, names))
            if answer.outside_scope:  # answered from what the scoped note says about the paper named
                self.mount(ElsewhereList(answer))

    def show_problem(
        self, message: str, hint: str | None = None, *, cancelled: bool = False
    ) -> None:
        """Show why there is no answer (an error, or the user cancelled)."""
        self.remove_class("-pending")
        self.add_class("-cancelled" if cancelled else "-error")
        parts: list[str | tuple[str, str]] = [one_line(message)]
        if hint:
            parts += ["\n", (one_line(hint), "dim")]
        self.mount(Static(Content.assemble(*parts), classes="answer"))
