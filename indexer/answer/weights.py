"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 91 questions, 2588 candidate sentences, 142 hold a key; 88 questions have one in the shortlist
papers_we_read: 89 questions, 2324 candidate sentences, 226 hold a key; 78 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.796
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.604
fitted on both: best sentence holds a key on content 0.795, papers_we_read 0.628
fitted on only content: best sentence holds a key on content 0.818, papers_we_read 0.308
fitted on only papers_we_read: best sentence holds a key on content 0.591, papers_we_read 0.641
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link", "asked_outcome", "other_work", "asked_reason", "asked_coined"],
    "mean": [0.351621, -0.319655, 0.153064, 0.230603, 0.485603, 0.388131, 0.873168, 0.503461, 0.217834, 0.052524, 0.030537, 0.065554, 0.054153, 0.624865, 0.496336, 0.067386, 0.012826, 0.022191, 0.002647, 0.107085, 0.312331, 0.127239, 0.273616, 0.064451, 0.000611, 0.0, 0.019544, 0.003664, 0.00509, 0.0682],
    "scale": [0.170501, 0.171257, 0.146253, 0.166061, 0.129895, 0.385679, 0.332785, 0.499988, 0.412774, 0.223082, 0.172061, 0.2475, 0.22632, 0.252401, 0.499987, 0.250689, 0.112522, 0.147303, 0.051377, 0.309221, 0.226814, 0.333241, 0.445814, 0.220225, 0.024706, 1.0, 0.138427, 0.060424, 0.071159, 0.252089],
    "coef": [-0.31797, 0.870342, 0.459998, -0.083803, 0.282539, 0.253035, 0.745412, 0.007866, -0.330355, 0.446811, 0.069296, -0.379591, 0.103514, -0.077527, -0.227204, 0.478548, 0.137633, 0.187518, -0.023125, -0.137569, 0.032516, -0.217946, 0.456181, 0.216876, 0.122006, 0.0, 0.156191, -0.062624, 0.128358, 0.047881],
    "intercept": -1.337768,
}
