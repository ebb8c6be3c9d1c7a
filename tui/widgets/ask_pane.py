"""Provides the ask pane: the conversation, a spinner while answering, the scope toggle and the question box."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Checkbox, Input, OptionList, Static

from indexer.answer import Answer
from tui.messages import AskQuestion
from tui.text import one_line
from tui.widgets.conversation import CitationList, ElsewhereList, Turn
from tui.widgets.text_box import TextBox

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
HINT = (
    "Ask a question about your notes and press Enter.\n"
    "Answers cite the passages they come from: choose a citation to open it.\n"
    "Follow-ups such as “how fast is it?” are read in the light of the previous answer."
)


class Thinking(Static):
    """A spinner with the elapsed time, shown while a question is being answered."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.started = 0.0
        """When answering started (monotonic seconds)."""
        self.waiting_for = ""
        """What the answer is waiting for, if anything (the model)."""
        self.build: str | None = None
        """How far the first index build is, while the answer waits for it (None: it does not)."""
        self.display = False

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._tick, pause=True)

    def start(self) -> None:
        """Show the spinner."""
        self.started = time.monotonic()
        self.build = None
        self.display = True
        self._tick()
        self._timer.resume()

    def stop(self) -> None:
        """Hide the spinner."""
        self._timer.pause()
        self.display = False

    def _tick(self) -> None:
        elapsed = time.monotonic() - self.started
        frame = SPINNER[int(elapsed * 10) % len(SPINNER)]
        if self.build is not None:
            how_far = f" ({self.build})" if self.build else ""
            said = f"The index is being built{how_far}: your question is answered as soon as it is ready · {elapsed:.1f} s"
        else:
            waiting = f" (waiting for {self.waiting_for})" if self.waiting_for else ""
            said = f"Answering{waiting}… {elapsed:.1f} s"
        self.update(Content.assemble((f"{frame} ", "bold $accent"), said, ("  · esc cancels", "dim")))


@dataclass(frozen=True)
class AnswerSpot:
    """Where in the conversation a jump was made from: a turn, which of its lists (choices, citations) and the option."""

    turn: int
    """The turn's number (1-based)."""
    list_index: int
    """Which of the turn's lists, in order (a scoped refusal's choices come before its passages)."""
    option: int
    """The option highlighted in it."""


class ScopeToggle(Checkbox):
    """The "only this note" checkbox: ticked it shows ▐X▌, unticked (or with no note open) an empty ▐ ▌ (Textual's
    dim X looked ticked in a terminal, most of all beside the dimmed label of a disabled toggle)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "X" if self.value and not self.disabled else " "


class QuestionInput(TextBox):
    """The question box; ↑ moves to the latest citations (or, first, a scoped refusal's choices)."""

    BINDINGS = [Binding("up", "citations", "Citations", show=False)]

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps a pasted text's first line only: a question pasted over two lines is one question.
        joined = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        event.prevent_default()  # Input's own handler would paste the first line again
        event.stop()
        if joined:
            if self.selection.is_empty:
                self.insert_text_at_cursor(joined)
            else:
                self.replace(joined, *self.selection)

    def action_citations(self) -> None:
        """Focus the first list of the latest answer that has one: "Ask all notes instead", else its citations."""
        for turn in reversed(list(self.screen.query(Turn))):
            lists = turn.query("CitationList, ElsewhereList")
            if lists:
                self.screen.set_focus(lists.first())  # at once: the Enter typed right after goes there
                return


class AskPane(Vertical):
    """Asks questions of the notes and keeps the conversation."""

    BINDINGS = [Binding("ctrl+t", "toggle_scope", "This note only")]

    scope_title: reactive[str | None] = reactive(None, init=False)
    """Title of the note being read (the scope the toggle offers), None when none is open."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scope_note: str | None = None
        """Id of the note being read."""
        self.turns: list[Turn] = []
        """The conversation so far."""
        self.names: dict[str, str] = {}
        """Short names of notes by id, used in citations."""
        self.following = True
        """Whether the conversation stays scrolled to the latest turn (False once the user scrolls up from it)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="conversation"):
            yield Static(Content(HINT), id="ask-hint")
        yield Thinking(id="thinking")
        yield ScopeToggle(Content("Only this note (open a note first)"), id="scope", disabled=True)
        yield QuestionInput(placeholder="Ask your notes…", id="question")

    def on_mount(self) -> None:
        self.border_title = "Ask"
        self.watch(self.conversation, "scroll_y", self._scrolled, init=False)

    @property
    def conversation(self) -> VerticalScroll:
        """The scrolling list of turns."""
        return self.query_one("#conversation", VerticalScroll)

    def _latest_top(self) -> float:
        """Where the view starts when it shows the latest turn from its top (as after an answer)."""
        conversation = self.conversation
        if not self.turns:
            return 0.0
        return min(conversation.max_scroll_y, self.turns[-1].virtual_region_with_margin.y)

    def _scrolled(self, scroll_y: float) -> None:
        # Only what the user sees counts: a hidden pane (no size) scrolls nowhere on purpose.
        if self.display and self.conversation.size.height and self.turns and not self.turns[-1].pending:
            self.following = scroll_y >= self._latest_top() - 1

    def on_resize(self, event: events.Resize) -> None:
        self.show_latest()

    def show_latest(self) -> None:
        """Once laid out, scroll to the latest turn, unless the user scrolled up from it while the pane was open."""
        if self.following and self.turns:
            self._scroll_to(self.turns[-1])

    def spot(self) -> AnswerSpot | None:
        """The list of an answer the focus is on (None when it is elsewhere)."""
        focused = self.screen.focused
        if not isinstance(focused, (CitationList, ElsewhereList)):
            return None
        turn = next((w for w in focused.ancestors if isinstance(w, Turn)), None)
        if turn is None or turn not in self.turns:
            return None
        lists = list(turn.query("CitationList, ElsewhereList"))
        return AnswerSpot(turn.number, lists.index(focused), focused.highlighted or 0)

    def focus_spot(self, spot: AnswerSpot) -> bool:
        """Focus the list at `spot` with its option highlighted, its turn in view; False when it is gone."""
        if not 1 <= spot.turn <= len(self.turns):
            return False
        turn = self.turns[spot.turn - 1]
        lists = list(turn.query("CitationList, ElsewhereList"))
        if spot.list_index >= len(lists) or not isinstance(lists[spot.list_index], OptionList):
            return False
        chosen = lists[spot.list_index]
        assert isinstance(chosen, OptionList)
        if chosen.option_count:
            chosen.highlighted = min(spot.option, chosen.option_count - 1)
        self.screen.set_focus(chosen, scroll_visible=False)  # at once: the next key read goes there
        self.call_after_refresh(self._show_spot, turn, chosen)
        return True

    def _show_spot(self, turn: Turn, chosen: OptionList) -> None:
        conversation = self.conversation
        conversation.scroll_to_widget(turn, top=True, animate=False, immediate=True)
        conversation.scroll_to_widget(chosen, animate=False, immediate=True)  # the list too, when the turn is taller than the view

    @property
    def answering(self) -> bool:
        """Whether a question is being answered."""
        return bool(self.turns) and self.turns[-1].pending

    @property
    def previous_answer(self) -> Answer | None:
        """The last real (not refused) answer, the context of a follow-up."""
        for turn in reversed(self.turns):
            if turn.answer is not None and not turn.answer.refused:
                return turn.answer
        return None

    @property
    def previous_open_note(self) -> str | None:
        """The note that was open when the previous answer (`previous_answer`) was asked."""
        for turn in reversed(self.turns):
            if turn.answer is not None and not turn.answer.refused:
                return turn.open_note
        return None

    @property
    def question_box(self) -> Input:
        """The question box."""
        return self.query_one("#question", Input)

    @property
    def draft(self) -> str:
        """The question typed but not asked yet ("" when none)."""
        return self.question_box.value.strip()

    def focus_question(self) -> None:
        """Put the cursor in the question box (at once: the next key read goes there)."""
        self.screen.set_focus(self.question_box)

    def set_scope_note(self, note_id: str | None, name: str | None) -> None:
        """The note the scope toggle refers to, by id and short name (None when no note is open)."""
        self.scope_note = note_id
        box = self.query_one("#scope", Checkbox)
        if note_id is None:
            box.value = False
            box.disabled = True
            box.label = Content("Only this note (open a note first)")
        else:
            box.disabled = False
            box.label = Content(f"Only this note: {one_line(name or note_id)}")

    def scope_gone(self, note_id: str) -> bool:
        """The note `note_id` was deleted: the toggle is cleared and disabled; True if it was ticked for it."""
        if self.scope_note != note_id:
            return False
        box = self.query_one("#scope", Checkbox)
        ticked = box.value
        self.scope_note = None
        box.value = False
        box.disabled = True
        box.label = Content("Only this note (the open note was deleted)")
        return ticked

    @property
    def scoped(self) -> bool:
        """Whether the next question is limited to the note being read."""
        return self.scope_note is not None and self.query_one("#scope", Checkbox).value

    def action_toggle_scope(self) -> None:
        """Switch between this note and all notes."""
        box = self.query_one("#scope", Checkbox)
        if not box.disabled:
            box.value = not box.value

    @on(Input.Submitted, "#question")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        if not question:
            return
        if self.answering:
            self.notify(
                "Still answering the previous question (esc cancels it).", severity="warning"
            )
            return
        box = event.input  # keeps what was typed after the Enter (its keys were read after it)
        box.value = box.value[len(event.value) :] if box.value.startswith(event.value) else ""
        box.cursor_position = len(box.value)
        self.post_message(AskQuestion(question, self.scope_note if self.scoped else None))

    async def start_turn(self, question: str, scope_title: str | None) -> Turn:
        """Add a pending turn for `question` and start the spinner."""
        self.query_one("#ask-hint").display = False
        turn = Turn(len(self.turns) + 1, question, scope_title)
        self.turns.append(turn)
        self.following = True  # a new question: back to the latest turn, like a chat
        conversation = self.conversation
        await conversation.mount(turn)
        conversation.scroll_end(animate=False)
        self.query_one(Thinking).start()
        return turn

    def set_waiting_for(self, what: str) -> None:
        """Say what the pending answer waits for ("" when nothing)."""
        self.query_one(Thinking).waiting_for = what

    def wait_for_build(self, progress: str) -> None:
        """The pending answer waits for the first index build, `progress` so far ("" when it has not said)."""
        thinking = self.query_one(Thinking)
        thinking.build = progress
        thinking._tick()  # said at once, not at the next tick

    def build_progressed(self, progress: str) -> None:
        """The build the pending answer waits for (if it waits for one) got to `progress`."""
        thinking = self.query_one(Thinking)
        if thinking.build is not None and self.answering:
            thinking.build = progress

    def finish_turn(self, number: int, answer: Answer, *, note: str | None = None) -> None:
        """Show the answer of turn `number` (ignored if that turn was cancelled), with a one-line `note` above it."""
        turn = self._pending(number)
        if turn is not None:
            self.query_one(Thinking).stop()
            if note:
                turn.mount(Static(Content(note), classes="answer-note"))
            turn.show_answer(answer, self.names)
            self._scroll_to(turn)

    def fail_turn(
        self, number: int, message: str, hint: str | None = None, *, cancelled: bool = False
    ) -> None:
        """Show why turn `number` has no answer."""
        turn = self._pending(number)
        if turn is not None:
            self.query_one(Thinking).stop()
            turn.show_problem(message, hint, cancelled=cancelled)
            self._scroll_to(turn)

    def _pending(self, number: int) -> Turn | None:
        if 1 <= number <= len(self.turns) and self.turns[number - 1].pending:
            return self.turns[number - 1]
        return None

    def _scroll_to(self, turn: Turn) -> None:
        self.call_after_refresh(self._scroll_now, turn)

    def _scroll_now(self, turn: Turn) -> None:
        if self.conversation.size.height:  # hidden: scrolled when shown again (show_latest)
            self.conversation.scroll_to_widget(turn, top=True, animate=False, immediate=True)
