"""Where a citation points: the block of the quoted sentence, else the whole passage."""

from __future__ import annotations

from indexer.notemodel import Block
from tui.citations import quoted_block

BLOCKS = [
    Block("list_item", "A ResNet backbone produces features at three scales.", 5, 5),
    Block("list_item", "A light head predicts class scores\nand box offsets.", 6, 7),
    Block("table", "metric | value\nAP | 41.2\nFPS | 142", 9, 12),
]


def test_the_block_holding_the_quote_whatever_its_line_breaks_and_case() -> None:
    assert quoted_block(BLOCKS, "a light head predicts class scores and box offsets.") is BLOCKS[1]


def test_a_table_row_quoted_as_a_sentence_finds_its_table() -> None:
    assert quoted_block(BLOCKS, "FPS: value 142") is BLOCKS[2]


def test_a_quote_no_block_holds_finds_none() -> None:
    assert quoted_block(BLOCKS, "Masked attention restricts every query.") is None
    assert quoted_block(BLOCKS, "") is None
