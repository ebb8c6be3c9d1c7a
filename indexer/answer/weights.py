"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 90 questions, 3131 candidate sentences, 141 hold a key; 87 questions have one in the shortlist
papers_we_read: 70 questions, 2146 candidate sentences, 192 hold a key; 62 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.771
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.560
fitted on both: best sentence holds a key on content 0.770, papers_we_read 0.581
fitted on only content: best sentence holds a key on content 0.816, papers_we_read 0.323
fitted on only papers_we_read: best sentence holds a key on content 0.667, papers_we_read 0.532
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link"],
    "mean": [0.327887, -0.345202, 0.135466, 0.211597, 0.460154, 0.324758, 0.876634, 0.523782, 0.244647, 0.042259, 0.027478, 0.085276, 0.066515, 0.610336, 0.501421, 0.060262, 0.01156, 0.018382, 0.002653, 0.086981, 0.319072, 0.114269, 0.267955, 0.051529, 0.000569, 0.0],
    "scale": [0.171958, 0.175509, 0.143005, 0.16444, 0.137633, 0.381185, 0.328856, 0.499434, 0.429877, 0.201179, 0.163471, 0.279292, 0.24918, 0.253586, 0.499998, 0.237971, 0.106892, 0.134327, 0.051439, 0.281808, 0.242959, 0.318138, 0.442894, 0.194887, 0.023837, 1.0],
    "coef": [-0.19916, 0.754001, 0.535718, 0.01061, 0.183242, 0.302436, 0.66902, -0.029104, -0.206674, 0.277829, 0.092244, -0.263367, 0.100936, -0.06127, -0.274529, 0.484809, 0.135438, 0.176794, -0.059167, -0.098554, -0.076301, -0.220257, 0.463371, 0.197503, 0.115519, 0.0],
    "intercept": -1.534428,
}
