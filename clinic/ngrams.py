"""Linear models over a message's letters and words: the features and the fast scoring that
the red-flag backstop (clinic/red_flag_model.py) and the intent blend (clinic/intent_model.py)
share.

The features are TF-IDF weights of the letter 2-5-grams within words (those seen in one
training message only are left out) and of the word 1-2-grams, each part l2-normed. Scoring
one message goes straight from the n-grams it has to the learner's weights: the same
numbers as scikit-learn's transform and predict_proba, without building sparse matrices,
in a fraction of the time, as both models run on every message.
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
        self._parts, start = [], 0  # per vectoriser: its analyzer, vocabulary, idf, weights
        for vectoriser in fitted:
            if not (vectoriser.use_idf and vectoriser.sublinear_tf and vectoriser.norm == "l2"):
                raise ValueError("only sublinear, l2-normed TF-IDF is read here")
            end = start + len(vectoriser.vocabulary_)
            self._parts.append((
                vectoriser.build_analyzer(), vectoriser.vocabulary_, vectoriser.idf_,
                np.ascontiguousarray(weights[start:end], dtype=float),
            ))  # fmt: skip
            start = end
        self.weights = np.asarray(weights, dtype=float)

    @classmethod
    def of_pipeline(cls, model: Any) -> LinearScorer:
        """From a fitted scikit-learn pipeline: a union of vectorisers, then a logistic
        regression of more than two classes."""
        features, learner = model.steps[0][1], model.steps[-1][1]
        fitted = [vectoriser for _, vectoriser in features.transformer_list]
        labels = [str(c) for c in learner.classes_]
        return cls(fitted, learner.coef_.T, learner.intercept_, labels)

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
