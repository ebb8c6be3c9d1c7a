"""Hybrid fusion as a pure function of the candidates' scores, and the plain baseline's windows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.tune_retrieval import BEFORE, REFERENCE, grid
from indexer.baseline import windows_of
from indexer.notes import load_notes
from indexer.retrieval import Fusion, FusionFeatures, fuse


def _features(**overrides: object) -> FusionFeatures:
    values: dict[str, object] = {
        "rows": np.arange(3),
        "note_ids": ["a", "b", "c"],
        "names": (),
        "dense": np.asarray([0.9, 0.5, 0.1], dtype=np.float32),
        "lexical": np.asarray([0.0, 4.0, 2.0], dtype=np.float32),
        "named": np.zeros(3, dtype=bool),
        "title": np.zeros(3, dtype=np.float32),
        "metadata": np.zeros(3, dtype=np.float32),
        "heading": np.zeros(3, dtype=np.float32),
    }
    values.update(overrides)
    return FusionFeatures(**values)  # type: ignore[arg-type]


def test_convex_mix_weighs_normalised_scores() -> None:
    scores = fuse(_features(), Fusion(dense_weight=0.5, name_boost=0.0, metadata_weight=0.0))
    np.testing.assert_allclose(scores, [0.5, 0.5 * 0.5 + 0.5 * 1.0, 0.5 * 0.0 + 0.5 * 0.5], rtol=1e-6)


def test_rrf_uses_ranks_only_and_is_scaled_to_one() -> None:
    fusion = Fusion(method="rrf", rrf_k=60.0, name_boost=0.0, metadata_weight=0.0)
    scores = fuse(_features(), fusion)
    assert scores.max() <= 1.0 and int(np.argmax(scores)) == 1  # ranks 2 and 1: the best sum
    squashed = fuse(_features(lexical=np.asarray([0.0, 400.0, 2.0], dtype=np.float32)), fusion)
    np.testing.assert_allclose(scores, squashed)


def test_name_boost_goes_to_the_named_note_and_field_weights_apply_either_way() -> None:
    plain = Fusion(name_boost=0.0, title_weight=0.0, metadata_weight=0.0)
    marks = {"named": np.asarray([False, False, True]), "metadata": np.asarray([0.0, 1.0, 0.0], dtype=np.float32)}
    named, unnamed = _features(names=("c",), **marks), _features(**marks)
    np.testing.assert_allclose(fuse(named, replace(plain, name_boost=0.3)) - fuse(named, plain), [0, 0, 0.3], atol=1e-6)
    for features in (named, unnamed):
        np.testing.assert_allclose(fuse(features, replace(plain, metadata_weight=0.2)) - fuse(features, plain), [0, 0.2, 0], atol=1e-6)
    before = replace(plain, metadata_weight=0.2, fields_when_named=False)  # the rule the grid compares with
    np.testing.assert_allclose(fuse(named, before), fuse(named, plain))


def test_the_grid_holds_the_defaults_and_the_setting_before_it() -> None:
    settings = grid()
    assert Fusion() in settings and REFERENCE in settings and BEFORE not in settings
    assert {f.method for f in settings} == {"convex", "rrf"}


def test_baseline_windows_cover_every_word_in_order(tmp_path: Path) -> None:
    words = [f"w{i}" for i in range(450)]
    (tmp_path / "long.md").write_text("# Long\n\n" + " ".join(words) + "\n", encoding="utf-8")
    windows = windows_of(load_notes(tmp_path).notes, size=200)
    assert [len(w.text.split()) for w in windows] == [200, 200, 52]
    assert " ".join(w.text for w in windows).split() == ["#", "Long", *words]
    assert {w.note_id for w in windows} == {"long"}
