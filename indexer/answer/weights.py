"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 90 questions, 2557 candidate sentences, 141 hold a key; 87 questions have one in the shortlist
papers_we_read: 89 questions, 2313 candidate sentences, 226 hold a key; 78 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.769
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.577
fitted on both: best sentence holds a key on content 0.782, papers_we_read 0.590
fitted on only content: best sentence holds a key on content 0.770, papers_we_read 0.321
fitted on only papers_we_read: best sentence holds a key on content 0.632, papers_we_read 0.628
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link"],
    "mean": [0.351327, -0.319824, 0.151613, 0.228955, 0.485983, 0.389733, 0.872074, 0.503491, 0.227105, 0.055852, 0.028953, 0.065914, 0.055852, 0.625326, 0.495072, 0.070226, 0.013347, 0.018891, 0.002259, 0.107803, 0.313282, 0.127926, 0.271253, 0.062337, 0.000616, 0.0],
    "scale": [0.171121, 0.17161, 0.144846, 0.165915, 0.129798, 0.385481, 0.334007, 0.499988, 0.418961, 0.229636, 0.167674, 0.248131, 0.229636, 0.25235, 0.499976, 0.255527, 0.114756, 0.136141, 0.047472, 0.310131, 0.226831, 0.334007, 0.444606, 0.215759, 0.024812, 1.0],
    "coef": [-0.354255, 0.839176, 0.533737, -0.053318, 0.245252, 0.291217, 0.744265, 0.008021, -0.404018, 0.452312, 0.158811, -0.349035, 0.081638, -0.079005, -0.200172, 0.452394, 0.136867, 0.174771, -0.056112, -0.150316, 0.024382, -0.218696, 0.445511, 0.208865, 0.117196, 0.0],
    "intercept": -1.303882,
}
