"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).

content: 91 questions, 2587 candidate sentences, 141 hold a key; 89 questions have one in the shortlist
papers_we_read: 89 questions, 2326 candidate sentences, 226 hold a key; 78 questions have one in the shortlist
held apart (5 folds by question), best sentence holds a key: content 0.798
held apart (5 folds by question), best sentence holds a key: papers_we_read 0.604
fitted on both: best sentence holds a key on content 0.798, papers_we_read 0.603
fitted on only content: best sentence holds a key on content 0.809, papers_we_read 0.333
fitted on only papers_we_read: best sentence holds a key on content 0.607, papers_we_read 0.641
"""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ["meaning", "meaning_gap", "words", "context_words", "passage_meaning", "passage_rank", "best_note", "number", "asked_number", "asked_metric", "asked_comparison", "reference", "short", "length", "names_note", "asked_name", "asked_naming", "asked_list", "asked_count", "pronoun", "early", "overview", "new_name", "thing_words", "expansion", "link", "asked_outcome", "other_work", "asked_reason", "asked_coined"],
    "mean": [0.351685, -0.319801, 0.152933, 0.230921, 0.484613, 0.388765, 0.877468, 0.502951, 0.219011, 0.054346, 0.030531, 0.067372, 0.054753, 0.623685, 0.498677, 0.067372, 0.012823, 0.022186, 0.002646, 0.107266, 0.31228, 0.127417, 0.273967, 0.063488, 0.000814, 0.0, 0.01954, 0.003664, 0.005089, 0.068594],
    "scale": [0.17078, 0.171168, 0.146057, 0.16593, 0.131045, 0.384995, 0.327899, 0.499991, 0.413576, 0.226698, 0.172044, 0.250666, 0.227497, 0.252521, 0.499998, 0.250666, 0.112511, 0.147288, 0.051372, 0.309452, 0.22836, 0.33344, 0.445992, 0.21873, 0.028522, 1.0, 0.138413, 0.060418, 0.071152, 0.252762],
    "coef": [-0.319365, 0.865098, 0.482249, -0.087119, 0.305293, 0.237452, 0.781705, 0.021303, -0.395545, 0.478471, 0.079252, -0.380301, 0.094148, -0.087025, -0.237626, 0.486142, 0.140801, 0.190819, -0.023733, -0.13255, 0.027089, -0.235227, 0.435842, 0.20886, 0.148905, 0.0, 0.154201, -0.055181, 0.129171, 0.048922],
    "intercept": -1.373295,
}
