"""Linear models over a message's letters and words: the features and the fast scoring that
the red-flag backstop (clinic/red_flag_model.py) and the intent blend (clinic/intent_model.py)
share.

The features are TF-IDF weights of the letter 2-5-grams within words (those seen in one
training message only are left out) and of the word 1-2-grams, each part l2-normed. Scoring
one message goes straight from the n-grams it has to the learner's weights: the same
numbers as scikit-learn's transform and predict_proba, without building sparse matrices,
in a fraction of the time, as both models run on every message.

A change to the features here changes what both models learn: bump red_flag_model.VERSION
and intent_model.FORMAT with it, so that saved and cached models are trained anew.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def vectorisers() -> list[Any]:
    """Unfitted TfidfVectorizers: letter n-grams within words, then word n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
    ]


class LinearScorer:
    """The chance of each label for one message, from fitted vectorisers and a linear model
    (weights: one row per feature, in the vectorisers' order, one column per label)."""

    def __init__(self, fitted: list[Any], weights: Any, bias: Any, labels: list[str]):
        self.fitted, self.bias, self.labels = fitted, np.asarray(bias, dtype=float), labels
        # Row-major, so each vectoriser's rows are a view, not a copy.
        self.weights = np.ascontiguousarray(weights, dtype=float)
        self._parts, start = [], 0  # per vectoriser: its analyzer, vocabulary, idf, weights
        for vectoriser in fitted:
            if not (vectoriser.use_idf and vectoriser.sublinear_tf and vectoriser.norm == "l2"):
                raise ValueError("only sublinear, l2-normed TF-IDF is read here")
            end = start + len(vectoriser.vocabulary_)
            self._parts.append((
                vectoriser.build_analyzer(), vectoriser.vocabulary_, vectoriser.idf_,
                self.weights[start:end],
            ))  # fmt: skip
            start = end

    @classmethod
    def of_pipeline(cls, model: Any) -> LinearScorer:
        """From a fitted scikit-learn pipeline: a union of vectorisers, then a logistic
        regression (of two classes, too: scikit-learn keeps one column for those)."""
        features, learner = model.steps[0][1], model.steps[-1][1]
        fitted = [vectoriser for _, vectoriser in features.transformer_list]
        weights, bias = learner.coef_.T, learner.intercept_
        if len(learner.classes_) == 2:
            weights, bias = np.hstack([-weights, weights]), np.array([-bias[0], bias[0]])
        return cls(fitted, weights, bias, [str(c) for c in learner.classes_])

    def chances(self, text: str) -> Any:
        """Each label's chance, in `labels` order: each n-gram's count c weighs
        (1 + ln c) * idf, l2-normed per vectoriser, as TF-IDF does; then a softmax."""
        scores = self.bias
        for analyze, vocabulary, idf, weights in self._parts:
            counts: dict[int, int] = {}
            for gram in analyze(text):
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            indices = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = np.log(np.fromiter(counts.values(), dtype=float, count=len(counts))) + 1
            values *= idf[indices]
            scores = scores + (values / np.sqrt(values @ values)) @ weights[indices]
        odds = np.exp(scores - scores.max())
        return odds / odds.sum()
