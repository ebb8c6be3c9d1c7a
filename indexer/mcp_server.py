"""The `papernotes mcp` server: the notes as MCP tools, resources and a prompt (the SDK's MCPServer, FastMCP's successor)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import anyio
import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp_types import Resource, ToolAnnotations
from pydantic import Field
from typing_extensions import TypedDict

from indexer import __version__, views
from indexer.errors import PapernotesError
from indexer.live import LiveIndex
from indexer.notes import NoteCollection
from indexer.textsafe import printable, single_line

logger = logging.getLogger(__name__)

T = TypeVar("T")

INSTRUCTIONS = (
    "papernotes serves the user's own notes on machine-learning papers (Markdown files, offline). "
    "Use `ask` for a cited extractive answer to a question, `search_notes` for the passages behind "
    "it, `list_notes` / `get_note` to browse and read, `related_notes` for similar papers. Every "
    "passage carries its file and line range: cite claims as file:lines (e.g. mobilesam.md:53-63). "
    "When `ask` refuses (answer is null), the notes do not say: tell the user rather than guess."
)
STAGES = ("loading model", "embedding", "embedding sentences", "writing")
"""The build's progress stages (store.BuildProgress), in order: progress is reported as stage + share done."""
PROGRESS_EVERY = 0.25
"""Seconds between two progress notifications of one stage (a build reports every batch)."""
MAX_K = 50
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
"""Every tool only reads the user's own notes: clients may run them without asking."""
PROMPT_PASSAGES = 6


class Passage(TypedDict):
    """A passage of a note."""

    note: str
    short_name: str
    title: str
    section: str
    file: str
    lines: list[int]
    score: float
    text: str


class SearchResult(TypedDict):
    """The passages found for a query, best first."""

    query: str
    passages: list[Passage]


class Links(TypedDict):
    """A paper's links."""

    paper: str | None
    code: str | None
    source: str | None


class NoteSummary(TypedDict):
    """A note's metadata."""

    id: str
    short_name: str
    title: str
    path: str
    year: int | None
    authors: list[str]
    tags: list[str]
    aliases: list[str]
    links: Links
    prev: str | None
    next: str | None


class NoteList(TypedDict):
    """Notes in reading order."""

    notes: list[NoteSummary]


class NoteDocument(NoteSummary):
    """A note's Markdown (or one section of it) with its metadata."""

    section: str | None
    lines: list[int]
    sections: list[str]
    text: str


class RelatedNote(TypedDict):
    """A note similar to another."""

    id: str
    short_name: str
    title: str
    score: float


class RelatedNotes(TypedDict):
    """The notes most similar to one note."""

    note: str
    related: list[RelatedNote]


class _NotesServer(MCPServer[Any]):
    """MCPServer that lists every note as a `note://ID` resource (read through one template)."""

    def __init__(self, live: LiveIndex, **settings: Any) -> None:
        super().__init__(**settings)
        self.live = live

    async def list_resources(self) -> list[Resource]:
        collection = await anyio.to_thread.run_sync(self.live.notes)
        return [
            Resource(
                uri=note_uri(note.id),
                name=note.id,
                title=note.title,
                description=f"{views.short_name(note)}: the note's Markdown ({note.rel_path})",
                mime_type="text/plain",
            )
            for note in collection.notes
        ] + await super().list_resources()


def note_uri(note_id: str) -> str:
    """The resource URI of a note."""
    return f"note://{quote(note_id, safe='/')}"


class _Progress:
    """Forwards build progress from any thread to one request as MCP progress notifications."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.token = anyio.lowlevel.current_token()
        self.last = -1.0
        self.sent_at = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if stage == self.stage and not finished and now - self.sent_at < PROGRESS_EVERY:
            return
        position = STAGES.index(stage) if stage in STAGES else len(STAGES) - 1
        progress = max(position + (done / total if total else 0.0), self.last + 1e-6)
        self.last, self.sent_at, self.stage = progress, now, stage
        message = f"updating the index: {stage} {done}/{total}"
        anyio.from_thread.run(self.ctx.report_progress, progress, float(len(STAGES)), message, token=self.token)


def create_server(live: LiveIndex, **settings: Any) -> MCPServer[Any]:
    """The MCP server over `live`: five tools, a resource per note and one prompt."""
    server = _NotesServer(live, name="papernotes", version=__version__, instructions=INSTRUCTIONS, **settings)

    async def call(ctx: Context | None, work: Callable[[NoteCollection], T], *, index: bool = True) -> T:
        """Run `work` in a thread on the notes as they are now (and, with `index`, the index in step with them)."""
        progress = _Progress(ctx) if ctx is not None else None

        def run() -> T:
            return work(live.refresh(progress) if index else live.notes())

        try:
            result = await anyio.to_thread.run_sync(run)
        except PapernotesError as error:
            raise ToolError(single_line(str(error))) from error
        if index and ctx is not None and live.warning:  # answered from the last good index: say so, beside the result
            await ctx.warning(f"papernotes: {single_line(live.warning)}")
        return result

    def scope(collection: NoteCollection, note: str | None) -> list[str] | None:
        return None if note is None else [views.find_note(collection, note).id]

    @server.tool(title="Search my notes", annotations=READ_ONLY)
    async def search_notes(
        query: Annotated[str, Field(min_length=1, description="What to look for, in words (a question or key terms).")],
        k: Annotated[int, Field(ge=1, le=MAX_K, description="How many passages to return.")] = 8,
        note: Annotated[str | None, Field(description="Only search this note (id, title or alias).")] = None,
        ctx: Context | None = None,
    ) -> SearchResult:
        """Find the passages of the user's paper notes that best match `query` (semantic + keyword search).

        Returns the passages best first; each has the note id, its short name and title, the section
        path, the file and 1-based line range (cite as file:lines), a relevance score and the exact text.
        """

        def work(collection: NoteCollection) -> SearchResult:
            hits = live.kb.search(query, k=k, scope=scope(collection, note))
            by_id = {n.id: n for n in collection.notes}
            shorts = {h.chunk.note_id: views.short_name(by_id[h.chunk.note_id]) if h.chunk.note_id in by_id else h.chunk.title for h in hits}
            return {"query": query, "passages": [views.passage(h, shorts[h.chunk.note_id]) for h in hits]}  # type: ignore[typeddict-item]

        return await call(ctx, work)

    @server.tool(title="Ask my notes", annotations=READ_ONLY)
    async def ask(
        question: Annotated[str, Field(min_length=1, description="The question, in plain words.")],
        note: Annotated[str | None, Field(description="Only answer from this note (id, title or alias).")] = None,
        ctx: Context | None = None,
    ) -> dict[str, Any]:
        """Answer a question from the user's paper notes, extractively, with a citation for every sentence.

        Returns {"question", "answer", "citations", "confidence"}: `answer` is sentences quoted from
        the notes with [n] markers, each citation gives note, title, section, path, lines, score, the
        quoted sentence and the whole passage. `answer` is null when the notes don't answer the
        question (a refusal); `citations` then lists the closest passages. Same as `papernotes ask --json`.
        """
        return await call(ctx, lambda c: live.kb.ask(question, scope=scope(c, note)).to_json())

    @server.tool(title="List my notes", annotations=READ_ONLY)
    async def list_notes(
        filter: Annotated[
            str | None, Field(description="Keep notes whose id, title, aliases, tags, authors or year contain every word.")
        ] = None,
        ctx: Context | None = None,
    ) -> NoteList:
        """List the user's paper notes in reading order: id, short name, title, year, authors, tags, aliases and links."""
        return await call(
            ctx, lambda c: {"notes": [views.note_summary(n) for n in c.notes if views.matches(n, filter)]}, index=False
        )  # type: ignore[misc]

    @server.tool(title="Read a note", annotations=READ_ONLY)
    async def get_note(
        note: Annotated[str, Field(min_length=1, description="The note: id, title or alias (see list_notes).")],
        section: Annotated[
            str | None, Field(description="Only this section: its heading, or its path like 'Results › Speed'.")
        ] = None,
        ctx: Context | None = None,
    ) -> NoteDocument:
        """Read one note: its Markdown as plain text (or one section with its subsections) and its metadata.

        `lines` is the 1-based line range of `text` in the note's file; `sections` lists every section path.
        """
        return await call(ctx, lambda c: views.note_document(views.find_note(c, note), section), index=False)  # type: ignore[return-value]

    @server.tool(title="Notes related to a note", annotations=READ_ONLY)
    async def related_notes(
        note: Annotated[str, Field(min_length=1, description="The note: id, title or alias.")],
        k: Annotated[int, Field(ge=1, le=MAX_K, description="How many related notes to return.")] = 4,
        ctx: Context | None = None,
    ) -> RelatedNotes:
        """The notes most similar to `note` (by their passages' meaning), most similar first, with a 0-1 score."""

        def work(collection: NoteCollection) -> RelatedNotes:
            found = views.find_note(collection, note)
            by_id = {n.id: n for n in collection.notes}
            rows = [views.related_row(r, by_id.get(r.note_id)) for r in live.kb.related(found.id, k=k)]
            return {"note": found.id, "related": rows}  # type: ignore[typeddict-item]

        return await call(ctx, work)

    @server.resource("note://{+note_id}", name="note", title="A note", mime_type="text/plain")
    async def read_note(note_id: str) -> str:
        """A note's Markdown, as plain text."""
        try:
            collection = await anyio.to_thread.run_sync(live.notes)
            return printable(views.find_note(collection, note_id).text)
        except views.UnknownNoteError as error:
            raise ResourceNotFoundError(single_line(str(error))) from error
        except PapernotesError as error:
            raise ResourceError(single_line(str(error))) from error

    @server.prompt(name="answer_from_notes", title="Answer from my notes, cite file:lines")
    async def answer_from_notes(question: str) -> str:
        """Answer a question from the user's paper notes only, citing file:lines for every claim."""

        def passages(collection: NoteCollection) -> str:
            hits = live.kb.search(question, k=PROMPT_PASSAGES)
            return "\n\n".join(
                f"[{h.chunk.rel_path}:{h.chunk.start_line}-{h.chunk.end_line}] {h.chunk.title} › {h.chunk.section}\n"
                f"{printable(h.chunk.text)}"
                for h in hits
            )

        found = await call(None, passages)
        return (
            "Answer the question below from my paper notes only. Cite every claim as file:lines, "
            "exactly as the passages are labelled (e.g. mobilesam.md:53-63). If the passages do not "
            "answer it, say that my notes don't say, and don't fill the gap from memory; you may use "
            "the papernotes tools (search_notes, get_note) to look further.\n\n"
            f"Question: {question}\n\nPassages from my notes:\n\n{found or '(none found)'}"
        )

    return server


def serve(live: LiveIndex, *, http: bool = False, host: str = "127.0.0.1", port: int = 8765, token: str | None = None) -> None:
    """Serve the notes over stdio (the default) or streamable HTTP, until the client or a signal ends it."""
    from indexer import mcp_http

    settings = mcp_http.auth_settings(host, port, token) if http else {}
    server = create_server(live, log_level="WARNING", **settings)
    if http:
        shown = f"[{host}]" if ":" in host else host
        logger.warning("serving MCP at http://%s:%d/mcp%s", shown, port, " (bearer token required)" if token else "")
        anyio.run(mcp_http.serve, server, host, port)
    else:
        anyio.run(server.run_stdio_async)
