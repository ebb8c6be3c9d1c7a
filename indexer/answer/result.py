"""What an answer is: its text, the cited passages behind it, and the closest passages of a refusal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

REFUSAL = "Not in your notes."


@dataclass
class Citation:
    """A cited passage: where it is, how well it matched, and the exact text behind the answer."""

    number: int
    note: str
    title: str
    section: str
    path: str
    lines: tuple[int, int]
    score: float
    quote: str
    passage: str

    @property
    def where(self) -> str:
        """`Title › Section (path:start-end)` for display."""
        trail = f"{self.title} › {self.section}" if self.section else self.title
        return f"{trail} ({self.path}:{self.lines[0]}-{self.lines[1]})"

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the CLI's `--json` output."""
        data = asdict(self)
        data["lines"] = list(self.lines)
        data["score"] = round(self.score, 4)
        return data


@dataclass(frozen=True)
class NoteRef:
    """A note an answer points at without quoting it: the note a question asked of another note names."""

    id: str
    name: str
    """Its short name ("DETR")."""
    title: str
    path: str


@dataclass
class Answer:
    """An answer with citations; `text` is None when the notes don't answer the question."""

    question: str
    text: str | None
    citations: list[Citation]
    closest: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.0
    kind: str = "explanation"
    """The question's type (see `questions.KINDS`)."""
    reason: str = REFUSAL
    """Why a refusal refused: "No note covers YOLOv8." or "Your note on CLIP doesn't give an ImageNet accuracy."."""
    read_as: str | None = None
    """The question as it was answered when that differs from `question` as typed: a follow-up with its
    pronoun read as the previous answer's paper ("how fast is it?" → "how fast is DETR?")."""
    outside_scope: list[NoteRef] = field(default_factory=list)
    """The notes a question asked of one note names instead of it ("who wrote DETR?" asked of MobileSAM's note):
    where to ask instead. On a refusal for that reason, `closest` are that note's passages."""

    @property
    def refused(self) -> bool:
        """True when the notes don't answer the question."""
        return self.text is None

    def to_json(self) -> dict[str, Any]:
        """`{"question", "answer", "citations": [...]}` (plus closest passages on a refusal)."""
        return {
            "question": self.question,
            "answer": self.text,
            "citations": [c.to_json() for c in (self.citations or self.closest)],
            "confidence": round(self.confidence, 4),
            "kind": self.kind,
            **({"refusal": self.reason} if self.refused else {}),
            **({"read_as": self.read_as} if self.read_as else {}),
            **({"outside_scope": [asdict(n) for n in self.outside_scope]} if self.outside_scope else {}),
        }
