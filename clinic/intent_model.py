"""A second reading of what a patient asks: a linear model over a message's letters and words.

DIET (config.yml) reads a message through dense features and is very sure of its guesses;
wording unlike its training examples it sometimes reads wrongly but still surely, and a few
lines of training data move its figures by about a point. A logistic regression over the
TF-IDF character 2-5-grams and word 1-2-grams of the same training messages makes other
mistakes. The intent ranking the assistant acts on is the two models' probabilities
averaged, DIET's counting `DIET_SHARE` (`blend`): on the blind answer dev sets that reads
new wording better than either model alone, and answers fewer off-topic questions
(bench/tuning.md). nlu_components/intent_ensemble.py trains it with the Rasa model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# Chosen on the answer dev sets and the off-topic dev set (bench/data), never the test set.
DIET_SHARE = 0.4
REGULARISATION = 1000.0  # LogisticRegression's C: little, as the data are few and clean
MIN_DF = 2  # a letter n-gram seen in one training message only is left out
RANKING_LENGTH = 10  # as DIET's own ranking


class IntentModel:
    """Probabilities of each intent for a message, from its letters and words."""

    def __init__(self, vectorisers: list[TfidfVectorizer], weights, intercept, labels: list[str]):
        self.vectorisers = vectorisers
        self.weights = weights  # features x intents
        self.intercept = intercept
        self.labels = labels

    @classmethod
    def fit(cls, texts: list[str], labels: list[str]) -> IntentModel:
        vectorisers = _vectorisers()
        features = sparse.hstack([v.fit_transform(texts) for v in vectorisers]).tocsr()
        learner = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(features, labels)
        weights = learner.coef_.T.astype(np.float32)
        if len(learner.classes_) == 2:  # scikit-learn keeps one column for two classes
            weights = np.hstack([-weights, weights])
            intercept = np.array([-learner.intercept_[0], learner.intercept_[0]])
        else:
            intercept = learner.intercept_
        return cls(vectorisers, weights, intercept, [str(c) for c in learner.classes_])

    def save(self, directory: Path) -> None:
        """Plain arrays and JSON, no pickle: loading a model runs none of its code."""
        vocabularies = [{k: int(i) for k, i in v.vocabulary_.items()} for v in self.vectorisers]
        (directory / "intents.json").write_text(
            json.dumps({"labels": self.labels, "vocabularies": vocabularies})
        )
        idf = {f"idf{n}": v.idf_ for n, v in enumerate(self.vectorisers)}
        np.savez(directory / "intents.npz", weights=self.weights, intercept=self.intercept, **idf)

    @classmethod
    def load(cls, directory: Path) -> IntentModel:
        meta = json.loads((directory / "intents.json").read_text())
        with np.load(directory / "intents.npz", allow_pickle=False) as arrays:
            vectorisers = _vectorisers()
            for n, (vectoriser, vocabulary) in enumerate(
                zip(vectorisers, meta["vocabularies"], strict=True)
            ):
                vectoriser.vocabulary_ = vocabulary
                vectoriser.idf_ = arrays[f"idf{n}"]
            return cls(vectorisers, arrays["weights"], arrays["intercept"], meta["labels"])

    def probabilities(self, text: str) -> dict[str, float]:
        features = sparse.hstack([v.transform([text]) for v in self.vectorisers]).tocsr()
        scores = np.asarray(features @ self.weights).ravel() + self.intercept
        exp = np.exp(scores - scores.max())
        return dict(zip(self.labels, (exp / exp.sum()).tolist(), strict=True))


def _vectorisers() -> list[TfidfVectorizer]:
    return [
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=MIN_DF, sublinear_tf=True,
            dtype=np.float32,
        ),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32),
    ]  # fmt: skip


def blend(
    ranking: list[dict], lexical: dict[str, float], diet_share: float = DIET_SHARE
) -> list[dict]:
    """DIET's ranking and the lexical model's probabilities averaged, best first.

    DIET's ranking holds its few best guesses (others count as 0); names it gives that the
    lexical model doesn't know (such as a fallback) are left out.
    """
    diet = {r["name"]: r["confidence"] for r in ranking}
    scores = {
        name: diet_share * diet.get(name, 0.0) + (1 - diet_share) * p for name, p in lexical.items()
    }
    best = sorted(scores.items(), key=lambda item: -item[1])[:RANKING_LENGTH]
    return [{"name": name, "confidence": float(score)} for name, score in best]
