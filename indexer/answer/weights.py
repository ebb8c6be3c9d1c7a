"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 90 questions, 3115 candidate sentences, 141 hold a key; 87 questions have one in the shortlist
papers_we_read: 89 questions, 2602 candidate sentences, 244 hold a key; 78 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.781
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.590
fitted on both: best sentence holds a key on content 0.770, papers_we_read 0.603
fitted on only content: best sentence holds a key on content 0.793, papers_we_read 0.321
fitted on only papers_we_read: best sentence holds a key on content 0.632, papers_we_read 0.590
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link"],
    "mean": [0.330039, -0.341839, 0.135612, 0.21735, 0.466661, 0.331992, 0.885429, 0.504985, 0.219696, 0.049851, 0.027987, 0.079237, 0.066818, 0.61274, 0.481896, 0.067518, 0.012594, 0.016092, 0.001924, 0.099178, 0.316779, 0.118769, 0.266923, 0.054122, 0.000525, 0.0],
    "scale": [0.172241, 0.175655, 0.142316, 0.165564, 0.136832, 0.381772, 0.318503, 0.499975, 0.41404, 0.217638, 0.164935, 0.270109, 0.249707, 0.255192, 0.499672, 0.250917, 0.111514, 0.125831, 0.043822, 0.298901, 0.239241, 0.323516, 0.442352, 0.201373, 0.022901, 1.0],
    "coef": [-0.281171, 0.719891, 0.543841, -0.005527, 0.20278, 0.31959, 0.713017, -0.030601, -0.409622, 0.438507, 0.156107, -0.203466, 0.052011, -0.062323, -0.247603, 0.454219, 0.153192, 0.159046, -0.047744, -0.144673, -0.141754, -0.17537, 0.501755, 0.178491, 0.110861, 0.0],
    "intercept": -1.462622,
}
