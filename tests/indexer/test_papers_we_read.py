"""The outside development set: questions over papers_we_read, a collection nobody here wrote."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.evaluation import EvalResult, evaluate, evaluate_baseline, load_questions
from indexer.knowledge import KnowledgeBase
from indexer.notes import load_notes
from tests.conftest import papers_we_read_or_skip

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "papers_we_read.jsonl"


def _kinds() -> Counter[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return Counter(json.loads(line)["kind"] for line in lines if line.strip())


def test_question_file_shape() -> None:
    questions = load_questions(QUESTIONS)
    kinds = _kinds()
    assert len(questions) >= 60
    assert len({q.id for q in questions}) == len(questions)
    assert kinds["named"] + kinds["metadata"] >= 20 and kinds["described"] >= 20 and kinds["number"] >= 10
    assert kinds["absent-paper"] == 5 and kinds["absent-detail"] == 5
    assert all(q.keys for q in questions if q.note) and not any(q.keys for q in questions if q.note is None)
    assert len({q.note for q in questions if q.note}) >= 40


def test_every_note_and_key_is_in_the_imported_collection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = papers_we_read_or_skip()
    assert main(["--notes", str(tmp_path), "import", str(source)]) == 0
    notes = {note.id: note for note in load_notes(tmp_path).notes}
    missing = []
    for question in load_questions(QUESTIONS):
        if question.note is None:
            continue
        note = notes.get(question.note)
        if note is None:
            missing.append((question.id, question.note, "no such note"))
            continue
        missing += [(question.id, question.note, key) for key in question.keys if key not in note.text]
    assert not missing
    assert not list(source.rglob(".papernotes"))  # nothing was written into the read-only collection


def test_imported_notes_have_the_year_of_the_venue_line_under_their_title(tmp_path: Path) -> None:
    from indexer.catalog import scan

    source = papers_we_read_or_skip()
    assert main(["--notes", str(tmp_path), "import", str(source)]) == 0
    years = {note.id: note.meta.year for note in load_notes(tmp_path).notes}
    expected = {"summaries/CLIP": 2021, "summaries/BYOL": 2020, "summaries/densenet": 2017, "summaries/DIRE": 2023}
    expected |= {"summaries/NMT_Gap": 2019, "summaries/ecpe": 2019}  # "… best paper award at ACL 2019" under the byline
    expected |= {"summaries/cycle_dehaze": 2018, "summaries/Universal_Transferable_Adversial_Attacks": 2023}  # "Paper: arxiv.org/…"
    assert {key: years.get(key) for key in expected} == expected
    assert sum(1 for year in years.values() if year) >= 66  # of 73 notes; the rest name no year (56 from bylines)
    assert {note.id: note.meta.year for note in scan(tmp_path).notes} == years  # the list shows the same


def test_imported_notes_lead_with_the_names_their_files_give(tmp_path: Path) -> None:
    from indexer.catalog import scan
    from indexer.names import short_name

    source = papers_we_read_or_skip()
    assert main(["--notes", str(tmp_path), "import", str(source)]) == 0
    names = {note.id.removeprefix("summaries/"): short_name(note) for note in load_notes(tmp_path).notes}
    expected = {
        "CICERO": "CICERO", "SiamMAE": "SiamMAE", "GameGAN": "GameGAN", "DIRE": "DIRE", "ICAL": "ICAL", "URIAL": "URIAL",
        "imagen": "Imagen", "cyclegan": "CycleGAN", "srn": "SRN", "style_GAN": "StyleGAN", "Vision_Transformer": "ViT",
        "VQAscore": "VQAScore", "DoodlerGAN summary": "DoodlerGAN", "infomax": "InfoMax",
        # file names that are words of the title or describe the paper leave the title's own name
        "siamese": "Siamese Recurrent Architectures for Learning Sentence Similarity",
        "Pause_Tokens": "THINK BEFORE YOU SPEAK", "Segment_Anything": "Segment Anything",
    }
    assert {key: names[key] for key in expected} == expected
    assert names["NMT_Gap"].startswith("Bridging the Gap") and names["florence"].startswith("Do you know that Florence")
    assert {n.id.removeprefix("summaries/"): short_name(n) for n in scan(tmp_path).notes} == names  # the first frame's list too


@pytest.fixture(scope="module")
def hybrid_result(papers_we_read_kb: KnowledgeBase) -> EvalResult:
    """The hybrid pipeline's scores on the set, computed once for the tests below."""
    return evaluate(papers_we_read_kb, load_questions(QUESTIONS), mode="hybrid")


def test_hybrid_retrieval_holds_the_bar_on_papers_we_read(hybrid_result: EvalResult) -> None:
    misses = [(r.id, r.expected, r.ranked_notes[:3]) for r in hybrid_result.results if r.expected and r.ranked_notes[:1] != [r.expected]]
    assert hybrid_result.hit_at_1 >= 0.97, misses


def test_hybrid_retrieval_is_no_worse_than_the_plain_baseline(papers_we_read_kb: KnowledgeBase, hybrid_result: EvalResult) -> None:
    baseline = evaluate_baseline(papers_we_read_kb, load_questions(QUESTIONS))
    assert baseline.retrieval_only and baseline.answerable == hybrid_result.answerable
    assert hybrid_result.hit_at_1 >= baseline.hit_at_1 and hybrid_result.mrr >= baseline.mrr
