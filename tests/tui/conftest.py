"""Fixtures for the app's tests: a small notes folder indexed once with the real packaged model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.knowledge import KnowledgeBase

ALPHA = """\
---
title: "AlphaNet: Fast Object Detection"
authors: [Ada Lovelace, Alan Turing]
year: 2020
paper: https://arxiv.org/abs/2001.00001
code: https://github.com/example/alphanet
source: "Workshop notes (2020)"
tags: [detection, real-time]
aliases: [AlphaNet]
order: 1
---

# AlphaNet: Fast Object Detection

## The idea

AlphaNet is a one-stage object detector that predicts boxes directly from a convolutional feature map.
It replaces region proposals with a dense grid of anchor points.

## How it works

- A ResNet backbone produces features at three scales.
- A light head predicts class scores and box offsets for every anchor point.
- Non-maximum suppression removes duplicate boxes.

## Results

### Speed

AlphaNet runs at 142 frames per second on a single V100 GPU.
AlphaNet is four times faster than two-stage detectors of the same accuracy.

### Accuracy

AlphaNet reaches 41.2 box AP on COCO test-dev.

## My take

A simple design that is easy to deploy on edge devices.
"""

BETA = """\
---
title: "BetaFormer: Masked Transformers for Segmentation"
authors: [Grace Hopper]
year: 2022
paper: https://arxiv.org/abs/2202.00002
tags: [segmentation, transformer]
aliases: [BetaFormer]
order: 2
---

# BetaFormer: Masked Transformers for Segmentation

## The idea

BetaFormer segments images with a transformer decoder whose queries each predict one mask.
Masked attention restricts every query to the region of its current mask.

## Training

BetaFormer is trained on COCO panoptic with 64 GPUs for three days.

## Results

BetaFormer reaches 57.8 PQ on COCO panoptic segmentation.
BetaFormer runs at 12 frames per second on a V100 GPU, too slow for video.

## Links

See [AlphaNet](alpha.md) and [the paper](https://arxiv.org/abs/2202.00002).
"""

GAMMA = """\
---
title: "GammaDepth: Depth from [b]Unlabeled[/b] Video"
authors: [Emmy Noether]
year: 2023
tags: [depth, "[i]odd[/i]"]
order: 3
---

# GammaDepth

## Method

GammaDepth learns monocular depth estimation from unlabeled video by predicting the next frame.

![Depth map example](images/depth.png)

![Missing figure](images/missing.png)

## Odd text

The loss is written [bold red]L = a + b[/bold red] in the paper, and [@click=app.quit]this is not a link[/].
Colour codes like \x1b[31mred\x1b[0m must not leak, nor [link=https://example.com]fake links[/link].
"""

DELTA = """\
---
title: "Delta: broken front matter
tags: [a, b
---

# Delta Notes

## Summary

Delta studies optical flow estimation with recurrent refinement of a correlation volume.
"""

BROKEN = b"# Broken\n\nfine line\nbad byte \xff here\n"


def write_notes(folder: Path) -> Path:
    """The test notes: three good ones, one with warnings, one unreadable file, one image."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "alpha.md").write_text(ALPHA, encoding="utf-8")
    (folder / "beta.md").write_text(BETA, encoding="utf-8")
    (folder / "gamma.md").write_text(GAMMA, encoding="utf-8")
    (folder / "delta.md").write_text(DELTA, encoding="utf-8")
    (folder / "broken.md").write_bytes(BROKEN)
    images = folder / "images"
    images.mkdir(exist_ok=True)
    from PIL import Image

    Image.new("RGB", (8, 6), (200, 40, 40)).save(images / "depth.png")
    return folder


@pytest.fixture(scope="session")
def indexed_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A notes folder with an up-to-date index (built once: loading the model takes seconds)."""
    folder = write_notes(tmp_path_factory.mktemp("indexed") / "notes")
    KnowledgeBase(folder).build()
    return folder


@pytest.fixture(scope="session")
def kb(indexed_notes: Path) -> KnowledgeBase:
    """A KnowledgeBase over the indexed notes, its model loaded once for the session."""
    knowledge = KnowledgeBase(indexed_notes)
    knowledge.encoder()
    return knowledge


@pytest.fixture
def fresh_notes(tmp_path: Path) -> Path:
    """The test notes without any index."""
    return write_notes(tmp_path / "fresh")


@pytest.fixture
def notes_copy(indexed_notes: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed notes (with their index) that a test may change."""
    copy = tmp_path / "notes"
    shutil.copytree(indexed_notes, copy)
    return copy


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep the app's remembered state inside the test's temporary folder."""
    folder = tmp_path / "config"
    monkeypatch.setenv("PAPERNOTES_CONFIG_DIR", str(folder))
    yield folder
