"""The memory-mapped BM25 index scores exactly as bm25s does, opens without bm25s, and reads the old format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexer.chunking import chunk_note
from indexer.embedding import TokenCounter, resolve_model
from indexer.errors import IndexCorruptError
from indexer.lexical import _BM25S_STOPWORDS_EN, FILES, LexicalIndex, tokenize
from indexer.notes import load_notes

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["question"] for line in (REPO / "tests/eval/questions.jsonl").read_text().splitlines() if line.strip()]
EXTRA = ["attention attention transformer", "SAM SAM 2 SAM", "MobileSAM YOLO9000", "qqqq unknown words", "the of and", ""]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The embed texts of the chunks of the shipped notes, as the store indexes them."""
    counter = TokenCounter(resolve_model())
    return [chunk.embed_text for note in load_notes(REPO / "content").notes for chunk in chunk_note(note, counter)]


def _bm25s_scores(model, query: str, size: int) -> np.ndarray:
    """What the previous LexicalIndex returned: bm25s.get_scores over the query's known terms."""
    terms = [t for t in tokenize(query) if t in model.vocab_dict]
    return np.asarray(model.get_scores(terms), dtype=np.float32) if terms else np.zeros(size, dtype=np.float32)


def test_scores_and_rankings_equal_bm25s_on_real_notes(texts: list[str], tmp_path: Path) -> None:
    import bm25s

    reference = bm25s.BM25(k1=1.2, b=0.5)
    reference.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
    LexicalIndex.build(texts).save(tmp_path / "bm25")
    assert sorted(p.name for p in (tmp_path / "bm25").iterdir()) == sorted(FILES)
    opened = LexicalIndex.load(tmp_path / "bm25", expected_size=len(texts))
    nonzero = 0
    for query in QUESTIONS + EXTRA:
        expected = _bm25s_scores(reference, query, len(texts))
        got = opened.scores(query)
        assert got.dtype == np.float32 and np.array_equal(got, expected), query
        assert list(np.argsort(-got, kind="stable")) == list(np.argsort(-expected, kind="stable"))
        nonzero += bool(expected.any())
    assert nonzero >= len(QUESTIONS) - 2, "the questions should mostly match some passage"


def test_postings_and_prefixes_match_the_vocabulary(texts: list[str], tmp_path: Path) -> None:
    built = LexicalIndex.build(texts)
    built.save(tmp_path / "bm25")
    opened = LexicalIndex.load(tmp_path / "bm25", expected_size=len(texts))
    vocabulary = sorted({t for text in texts for t in (tokenize(text) or ["∅"])})
    for term in vocabulary[:: max(1, len(vocabulary) // 200)]:
        rows = opened.rows_with_all([term])
        assert rows is not None
        assert rows.tolist() == [i for i, text in enumerate(texts) if term in (tokenize(text) or ["∅"])], term
        assert opened.knows(term)
        if len(term) >= 3:
            assert opened.knows(term[:3]), term  # the start of a term counts as known
    assert opened.rows_with_all(["mobilesam", "qqqqzz"]) is None
    assert not opened.knows("qqqqzz") and not opened.knows("qq")
    both = opened.rows_with_all(["mobilesam", "encoder"])
    assert both is not None and all("mobilesam" in tokenize(texts[r]) and "encoder" in tokenize(texts[r]) for r in both)


def test_the_bm25s_format_of_older_indexes_reads_the_same(texts: list[str], tmp_path: Path) -> None:
    import bm25s

    model = bm25s.BM25(k1=1.2, b=0.5)
    model.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
    model.save(str(tmp_path / "old"), show_progress=False)
    (tmp_path / "old" / "size.json").write_text(json.dumps({"size": len(texts)}))
    old = LexicalIndex.load(tmp_path / "old", expected_size=len(texts))
    for query in QUESTIONS[:30]:
        assert np.array_equal(old.scores(query), _bm25s_scores(model, query, len(texts))), query
    assert old.knows("mobilesam") and not old.knows("qqqqzz")


def test_damage_and_size_mismatch_are_index_errors(texts: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    LexicalIndex.build(texts[:20]).save(folder)
    with pytest.raises(IndexCorruptError, match="entries"):
        LexicalIndex.load(folder, expected_size=21)
    (folder / "rows.npy").write_bytes((folder / "rows.npy").read_bytes()[:-8])
    with pytest.raises(IndexCorruptError, match="damaged"):
        LexicalIndex.load(folder, expected_size=20)


def test_an_empty_index_scores_nothing(tmp_path: Path) -> None:
    LexicalIndex.build([]).save(tmp_path / "bm25")
    empty = LexicalIndex.load(tmp_path / "bm25", expected_size=0)
    assert len(empty.scores("anything")) == 0 and empty.rows_with_all(["anything"]) is None


def test_stop_words_are_bm25s_english_ones() -> None:
    from bm25s.stopwords import STOPWORDS_EN

    assert tuple(STOPWORDS_EN) == _BM25S_STOPWORDS_EN


def test_opening_and_scoring_import_neither_bm25s_nor_scipy(texts: list[str], tmp_path: Path) -> None:
    LexicalIndex.build(texts).save(tmp_path / "bm25")
    code = (
        "import sys; from pathlib import Path; from indexer.lexical import LexicalIndex; "
        f"i = LexicalIndex.load(Path({str(tmp_path / 'bm25')!r}), expected_size={len(texts)}); "
        "assert i.scores('MobileSAM encoder').any(); "
        "print(sorted(m for m in ('bm25s', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


class _Bm25sReference:
    """The keyword index as it was before format 2: bm25s in memory, scored with `get_scores`."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self.model = bm25s.BM25(k1=1.2, b=0.5)
        self.model.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
        self.size = len(texts)
        self.vocab = sorted(self.model.vocab_dict)

    def scores(self, query: str) -> np.ndarray:
        return _bm25s_scores(self.model, query, self.size)

    def knows(self, term: str) -> bool:
        import bisect

        if term in self.model.vocab_dict:
            return True
        position = bisect.bisect_left(self.vocab, term)
        return len(term) >= 3 and position < len(self.vocab) and self.vocab[position].startswith(term)

    def rows_with_all(self, terms: list[str]) -> np.ndarray | None:
        ids = [self.model.vocab_dict.get(t) for t in terms]
        if not ids or any(i is None for i in ids):
            return None
        indices, indptr = self.model.scores["indices"], self.model.scores["indptr"]
        rows = None
        for i in ids:
            posting = np.asarray(indices[indptr[i] : indptr[i + 1]])
            rows = posting if rows is None else np.intersect1d(rows, posting, assume_unique=True)
        return rows


def test_answers_and_rankings_equal_the_bm25s_reference_on_the_eval_set(content_kb) -> None:
    from indexer.knowledge import KnowledgeBase

    reference = KnowledgeBase(content_kb.root)
    index = reference.retriever().index
    index.lexical = _Bm25sReference([c.embed_text for c in index.chunks(list(range(index.size)))])
    for question in QUESTIONS:
        assert content_kb.ask(question).to_json() == reference.ask(question).to_json(), question
        for mode in ("lexical", "hybrid"):
            ours = [(h.chunk.row, h.score) for h in content_kb.retriever().search(question, k=20, mode=mode)]
            assert ours == [(h.chunk.row, h.score) for h in reference.retriever().search(question, k=20, mode=mode)]


def test_terms_of_compounds_hyphens_and_stop_words() -> None:
    assert tokenize("MobileSAM beats YOLO9000 and the Hugging-Face demo") == [
        "mobilesam", "mobile", "sam", "beat", "yolo9000", "yolo", "9000", "hugging", "face", "demo", "huggingface",
    ]
    assert tokenize("mobilesam and yolo9000") == ["mobilesam", "yolo9000", "yolo", "9000"]  # lower case: no camel parts
    assert tokenize("MobileSAM MobileSAM") == tokenize("MobileSAM") * 2  # a cached word gives its terms again
