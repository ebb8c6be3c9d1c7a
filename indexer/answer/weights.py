"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 90 questions, 3196 candidate sentences, 141 hold a key; 87 questions have one in the shortlist
papers_we_read: 70 questions, 2147 candidate sentences, 192 hold a key; 62 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.746
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.529
fitted on both: best sentence holds a key on content 0.770, papers_we_read 0.565
fitted on only content: best sentence holds a key on content 0.782, papers_we_read 0.339
fitted on only papers_we_read: best sentence holds a key on content 0.644, papers_we_read 0.516
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link"],
    "mean": [0.322455, -0.350847, 0.130493, 0.207724, 0.460998, 0.327297, 0.875538, 0.523489, 0.234325, 0.036871, 0.027325, 0.084597, 0.099195, 0.597048, 0.488115, 0.059891, 0.010668, 0.017593, 0.001684, 0.086094, 0.318515, 0.112858, 0.25641, 0.050019, 0.000561, 0.0],
    "scale": [0.17181, 0.17726, 0.141053, 0.163372, 0.137807, 0.382191, 0.330108, 0.499448, 0.423576, 0.188444, 0.16303, 0.278281, 0.298924, 0.266698, 0.499859, 0.237286, 0.102734, 0.131467, 0.041007, 0.280503, 0.241952, 0.316419, 0.436651, 0.192585, 0.023689, 1.0],
    "coef": [-0.214538, 0.759554, 0.52595, -0.022375, 0.231108, 0.292722, 0.633767, -0.020325, -0.20211, 0.312149, 0.087479, -0.245929, 0.008451, -0.104675, -0.32718, 0.482538, 0.104928, 0.164967, -0.010201, -0.076116, -0.098786, -0.197577, 0.481899, 0.187601, 0.117024, 0.0],
    "intercept": -1.536387,
}
