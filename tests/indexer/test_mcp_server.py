"""`papernotes mcp` over stdio, driven by the MCP SDK's own client against a copy of content/."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import LoggingMessageNotificationParams

from indexer.knowledge import KnowledgeBase
from indexer.store import index_dir, write_lock
from tests.indexer.mcp_support import cli, copy_content, data, error_text, note_ids, stdio_session

pytestmark = pytest.mark.slow

QUESTIONS = [
    "What does MobileSAM distil from SAM's image encoder?",
    "Which distillation worked best for MobileSAM?",
    "What learning rate schedule did the SAM authors use for the ViT-22B ablation?",  # not in the notes
]
TOOLS = {"search_notes", "ask", "list_notes", "get_note", "related_notes"}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of content/ with its index built once for the module."""
    notes = copy_content(tmp_path_factory.mktemp("indexed") / "notes")
    KnowledgeBase(notes).build()
    return notes


@pytest.fixture
def notes(indexed: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed notes (index included), for tests that edit or damage them."""
    return Path(shutil.copytree(indexed, tmp_path / "notes"))


async def test_lists_typed_tools_a_resource_per_note_and_the_prompt(indexed: Path) -> None:
    async with stdio_session(indexed) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        resources = (await session.list_resources()).resources
        prompts = (await session.list_prompts()).prompts
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and len(tool.description) > 60, tool.name  # written for a model to read
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
    search = tools["search_notes"].input_schema
    assert search["required"] == ["query"]
    assert search["properties"]["k"]["type"] == "integer" and search["properties"]["k"]["default"] == 8
    assert tools["related_notes"].input_schema["properties"]["k"]["default"] == 4
    listed = json.loads(cli("list", "--notes", str(indexed), "--json").stdout)
    assert [str(r.uri) for r in resources] == [f"note://{row['id']}" for row in listed]
    assert all(r.mime_type == "text/plain" for r in resources)
    [prompt] = prompts
    assert prompt.name == "answer_from_notes" and "cite" in (prompt.title or "").lower()
    assert [(a.name, a.required) for a in prompt.arguments or []] == [("question", True)]


async def test_ask_answers_exactly_as_ask_json_refusals_and_scopes_included(indexed: Path) -> None:
    cases = [(q, None) for q in QUESTIONS] + [("How fast is it?", "mobilesam")]
    async with stdio_session(indexed) as session:
        answers = [data(await session.call_tool("ask", {"question": q, "note": n})) for q, n in cases]
    for (question, note), answer in zip(cases, answers, strict=True):
        args = ["ask", "--notes", str(indexed), "--json", question] + (["--note", note] if note else [])
        run = cli(*args)
        assert run.returncode == 0, run.stderr
        assert answer == json.loads(run.stdout)
    assert answers[0]["answer"] and answers[0]["citations"]
    assert answers[2]["answer"] is None  # a refusal, with the closest passages as citations
    assert {c["note"] for c in answers[3]["citations"]} == {"mobilesam"}


async def test_every_tool_agrees_with_the_notes_and_the_cli(indexed: Path) -> None:
    async with stdio_session(indexed) as session:
        listed = data(await session.call_tool("list_notes", {}))["notes"]
        filtered = data(await session.call_tool("list_notes", {"filter": "segmentation 2023"}))["notes"]
        found = data(await session.call_tool("search_notes", {"query": "decoupled distillation", "k": 3}))
        scoped = data(await session.call_tool("search_notes", {"query": "speed", "note": "MobileSAM"}))
        whole = data(await session.call_tool("get_note", {"note": "mobilesam"}))
        section = data(await session.call_tool("get_note", {"note": "Mobile SAM", "section": "three ways to distil sam"}))
        related = data(await session.call_tool("related_notes", {"note": "mobilesam", "k": 3}))
        resource = await session.read_resource("note://mobilesam")
    rows = json.loads(cli("list", "--notes", str(indexed), "--json").stdout)
    assert note_ids(listed) == note_ids(rows)  # reading order
    for row, cli_row in zip(listed, rows, strict=True):
        assert {k: row[k] for k in cli_row} == cli_row
        assert row["short_name"] and set(row["links"]) == {"paper", "code", "source"}
    mobilesam = next(r for r in listed if r["id"] == "mobilesam")
    assert mobilesam["short_name"] == "MobileSAM"
    assert mobilesam["links"]["code"] == "https://github.com/ChaoningZhang/MobileSAM"
    assert 0 < len(filtered) < len(listed)
    assert all(r["year"] == 2023 and "segmentation" in r["tags"] for r in filtered)

    assert len(found["passages"]) == 3 and found["query"] == "decoupled distillation"
    scores = [p["score"] for p in found["passages"]]
    assert scores == sorted(scores, reverse=True)
    for passage in found["passages"] + scoped["passages"]:
        lines = (indexed / passage["file"]).read_text(encoding="utf-8").splitlines()
        first, last = passage["lines"]
        quoted = "\n".join(lines[first - 1 : last])
        assert passage["text"].split()[-1] in quoted  # the passage is those lines of that file
        assert passage["title"] and passage["short_name"] and passage["section"] is not None
    assert {p["note"] for p in scoped["passages"]} == {"mobilesam"}

    show = cli("show", "--notes", str(indexed), "mobilesam").stdout
    assert whole["text"] == show.rstrip("\n") == resource.contents[0].text.rstrip("\n")
    assert whole["section"] is None and "Three ways to distil SAM › 3. Decoupled distillation" in whole["sections"]
    assert section["section"] == "Three ways to distil SAM"
    assert section["text"].startswith("## Three ways to distil SAM")
    assert "### 3. Decoupled distillation" in section["text"] and "## Result" not in section["text"]
    first, last = section["lines"]
    assert section["text"] == "\n".join(show.splitlines()[first - 1 : last])

    assert related["note"] == "mobilesam" and len(related["related"]) == 3
    assert "mobilesam" not in note_ids(related["related"])
    assert set(note_ids(related["related"])) <= set(note_ids(listed))


async def test_prompt_carries_the_question_and_passages_labelled_file_lines(indexed: Path) -> None:
    async with stdio_session(indexed) as session:
        prompt = await session.get_prompt("answer_from_notes", {"question": "How fast is MobileSAM?"})
    text = prompt.messages[0].content.text
    assert "Question: How fast is MobileSAM?" in text and "cite" in text.lower()
    assert "[mobilesam.md:" in text


async def test_twenty_concurrent_calls_all_answer_as_they_do_one_by_one(indexed: Path) -> None:
    calls = [("ask", {"question": QUESTIONS[i % 3]}) for i in range(10)]
    calls += [("search_notes", {"query": f"{word} results"}) for word in ["segmentation", "distillation"] * 3]
    calls += [("related_notes", {"note": "sam"}), ("list_notes", {}), ("get_note", {"note": "vit"}), ("ask", {"question": "What is DINOv2?"})]
    assert len(calls) == 20
    async with stdio_session(indexed) as session:
        alone = [data(await session.call_tool(name, args)) for name, args in calls]
        together = await asyncio.gather(*(session.call_tool(name, args) for name, args in calls))
    assert [data(result) for result in together] == alone


async def test_an_edit_while_running_shows_up_in_the_next_search(notes: Path) -> None:
    word = "Zorblaxian"
    async with stdio_session(notes) as session:
        before = data(await session.call_tool("search_notes", {"query": f"{word} quantisation", "k": 3}))
        assert all(word not in p["text"] for p in before["passages"])
        path = notes / "mobilesam.md"
        path.write_text(
            path.read_text(encoding="utf-8") + f"\n## Addendum\n\nMobileSAM pairs well with {word} quantisation of its encoder.\n",
            encoding="utf-8",
        )
        after = data(await session.call_tool("search_notes", {"query": f"{word} quantisation", "k": 3}))
        (notes / "newnote.md").write_text(f"# Flurbo Net\n\nFlurbo Net segments {word} images in one pass.\n")
        added = data(await session.call_tool("list_notes", {"filter": "flurbo"}))
        answer = data(await session.call_tool("ask", {"question": "What does Flurbo Net segment?"}))
        (notes / "newnote.md").unlink()
        gone = data(await session.call_tool("list_notes", {"filter": "flurbo"}))
        resources = [str(r.uri) for r in (await session.list_resources()).resources]
    top = after["passages"][0]
    assert top["note"] == "mobilesam" and word in top["text"] and top["section"] == "Addendum"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert word in "\n".join(lines[top["lines"][0] - 1 : top["lines"][1]])
    assert note_ids(added["notes"]) == ["newnote"]
    assert answer["citations"][0]["note"] == "newnote" and word in (answer["answer"] or "")
    assert gone["notes"] == [] and "note://newnote" not in resources


async def test_bad_arguments_and_unknown_notes_are_errors_and_the_server_lives_on(indexed: Path) -> None:
    async with stdio_session(indexed) as session:
        unknown = error_text(await session.call_tool("get_note", {"note": "mobilsam"}))
        unknown_scope = error_text(await session.call_tool("ask", {"question": "speed?", "note": "efficent sam"}))
        unknown_related = error_text(await session.call_tool("related_notes", {"note": "nonesuch-net"}))
        section = error_text(await session.call_tool("get_note", {"note": "mobilesam", "section": "Reslts"}))
        bad_k = error_text(await session.call_tool("search_notes", {"query": "sam", "k": 0}))
        bad_type = error_text(await session.call_tool("search_notes", {"query": "sam", "k": "many"}))
        missing = error_text(await session.call_tool("ask", {}))
        empty = error_text(await session.call_tool("ask", {"question": ""}))
        no_tool = await session.call_tool("delete_notes", {})
        with pytest.raises(MCPError) as no_resource:
            await session.read_resource("note://mobilsam")
        with pytest.raises(MCPError):
            await session.get_prompt("answer_from_notes", {})
        still = data(await session.call_tool("ask", {"question": QUESTIONS[0]}))
    assert "no note called 'mobilsam'" in unknown and "closest: mobilesam" in unknown
    assert "efficientsam" in unknown_scope
    assert "no note called 'nonesuch-net'" in unknown_related
    assert "no section called 'Reslts'" in section and "Result: decoupled beats coupled" in section
    assert "greater than or equal to 1" in bad_k and "k" in bad_k
    assert "valid integer" in bad_type
    assert "question" in missing and "required" in missing.lower()
    assert "at least 1 character" in empty
    assert no_tool.is_error and "delete_notes" in no_tool.content[0].text
    assert "closest: mobilesam" in str(no_resource.value)
    assert still["answer"]


async def test_without_an_index_the_first_call_builds_it_reporting_progress(tmp_path: Path) -> None:
    notes = copy_content(tmp_path / "notes")
    progress: list[tuple[float, float | None, str | None]] = []

    async def heard(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with stdio_session(notes) as session:
        listed = data(await session.call_tool("list_notes", {}))  # needs no index: answered at once
        assert not (notes / ".papernotes" / "index.sqlite").exists()
        answer = data(await session.call_tool("ask", {"question": QUESTIONS[0]}, progress_callback=heard))
    assert len(listed["notes"]) == 14
    assert answer == json.loads(cli("ask", "--notes", str(notes), "--json", QUESTIONS[0]).stdout)
    assert progress, "no progress notifications"
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)  # progress only grows
    assert any("embedding" in (p[2] or "") for p in progress)


async def test_a_damaged_index_says_to_rebuild_and_notes_stay_readable(notes: Path) -> None:
    (notes / ".papernotes" / "index.sqlite").write_bytes(b"this is not a database" * 100)
    for extra in (notes / ".papernotes").glob("index.sqlite-*"):
        extra.unlink()
    async with stdio_session(notes) as session:
        failed = error_text(await session.call_tool("ask", {"question": QUESTIONS[0]}))
        searched = error_text(await session.call_tool("search_notes", {"query": "sam"}))
        listed = data(await session.call_tool("list_notes", {}))
    assert "papernotes index --rebuild" in failed and "damaged" in failed
    assert "papernotes index --rebuild" in searched
    assert len(listed["notes"]) == 14


async def test_while_another_process_updates_the_index_calls_answer_from_the_last_one(notes: Path) -> None:
    word = "Quuxotic"
    path = notes / "sam.md"
    logged: list[str] = []

    async def log(params: LoggingMessageNotificationParams) -> None:
        logged.append(str(params.data))

    async with stdio_session(notes, logging_callback=log) as session:
        with write_lock(index_dir(notes)):  # as `papernotes index` in another process holds it
            path.write_text(path.read_text(encoding="utf-8") + f"\n## Addendum\n\nSAM was once called {word}.\n", encoding="utf-8")
            during = data(await session.call_tool("search_notes", {"query": f"{word} name", "k": 3}))
            answered = data(await session.call_tool("ask", {"question": QUESTIONS[0]}))
        after = data(await session.call_tool("search_notes", {"query": f"{word} name", "k": 3}))
    assert during["passages"] and all(word not in p["text"] for p in during["passages"])
    assert answered["answer"]
    assert logged and all("being updated by" in line and "changed since the index was built" in line for line in logged)
    assert word in after["passages"][0]["text"]


async def test_notes_in_folders_and_with_spaces_are_resources_too(notes: Path) -> None:
    (notes / "papers").mkdir()
    (notes / "papers" / "My Zebra Note.md").write_text("# Zebra Net\n\nZebraNet segments zebra stripes.\n")
    async with stdio_session(notes) as session:
        uris = [str(r.uri) for r in (await session.list_resources()).resources]
        text = (await session.read_resource("note://papers/My%20Zebra%20Note")).contents[0].text
        found = data(await session.call_tool("get_note", {"note": "papers/My Zebra Note"}))
    assert "note://papers/My%20Zebra%20Note" in uris
    assert text.startswith("# Zebra Net") and found["path"] == "papers/My Zebra Note.md"


async def test_the_watcher_updates_the_index_with_no_call_at_all(notes: Path) -> None:
    path = notes / "vit.md"
    async with stdio_session(notes) as session:
        await session.call_tool("list_notes", {})
        path.write_text(path.read_text(encoding="utf-8") + "\n## Addendum\n\nViT likes Blorptastic patches.\n", encoding="utf-8")
        kb = KnowledgeBase(notes)
        for _ in range(600):  # a deadline, not a timing check: the watcher debounces, then updates
            if kb.status().up_to_date:
                break
            await asyncio.sleep(0.1)
        assert kb.status().up_to_date
        after = data(await session.call_tool("search_notes", {"query": "Blorptastic patches", "k": 1}))
    assert "Blorptastic" in after["passages"][0]["text"]
