"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 91 questions, 2587 candidate sentences, 141 hold a key; 89 questions have one in the shortlist
papers_we_read: 89 questions, 2324 candidate sentences, 226 hold a key; 78 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.798
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.604
fitted on both: best sentence holds a key on content 0.798, papers_we_read 0.615
fitted on only content: best sentence holds a key on content 0.809, papers_we_read 0.333
fitted on only papers_we_read: best sentence holds a key on content 0.607, papers_we_read 0.641
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link", "asked_outcome", "other_work", "asked_reason", "asked_coined"],
    "mean": [0.351634, -0.319776, 0.152811, 0.230733, 0.485396, 0.389279, 0.877418, 0.502953, 0.2191, 0.054368, 0.030544, 0.066382, 0.054164, 0.624248, 0.497047, 0.0674, 0.012828, 0.022195, 0.002647, 0.107106, 0.31279, 0.127469, 0.274079, 0.063514, 0.000814, 0.0, 0.019548, 0.003665, 0.005091, 0.068621],
    "scale": [0.170848, 0.171156, 0.146112, 0.165726, 0.130787, 0.385476, 0.327957, 0.499991, 0.413637, 0.226742, 0.172078, 0.248948, 0.226341, 0.252241, 0.499991, 0.250713, 0.112533, 0.147318, 0.051382, 0.309249, 0.227708, 0.333498, 0.446049, 0.218771, 0.028528, 1.0, 0.138441, 0.06043, 0.071167, 0.252809],
    "coef": [-0.316122, 0.862863, 0.478656, -0.082259, 0.299978, 0.244535, 0.780351, 0.019954, -0.393778, 0.478768, 0.078954, -0.382339, 0.096267, -0.085116, -0.23372, 0.486921, 0.141385, 0.190556, -0.023738, -0.132859, 0.037654, -0.240569, 0.438937, 0.209732, 0.149091, 0.0, 0.154551, -0.055476, 0.129561, 0.048894],
    "intercept": -1.372471,
}
