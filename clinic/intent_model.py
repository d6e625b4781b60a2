"""A second reading of what a patient asks: a linear model over a message's letters and words.

DIET (config.yml) reads a message through dense features and is very sure of its guesses;
wording unlike its training examples it sometimes reads wrongly but still surely, and a few
lines of training data move its figures by about a point. A logistic regression over the
TF-IDF letter and word n-grams (clinic/ngrams.py) of the same training messages makes
other mistakes. The intent ranking the assistant acts on is the two models' probabilities
averaged, DIET's counting `DIET_SHARE` (`blend`): on the blind answer dev sets that reads
new wording better than either model alone, and answers fewer off-topic questions
(bench/tuning.md). nlu_components/intent_ensemble.py trains it with the Rasa model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from clinic.ngrams import LinearScorer, vectorisers

# Chosen on the answer dev sets and the off-topic dev set (bench/data), never the test set.
DIET_SHARE = 0.4
REGULARISATION = 1000.0  # LogisticRegression's C: little, as the data are few and clean
RANKING_LENGTH = 10  # as DIET's own ranking
# Rasa reuses a trained component while its config and data are unchanged, whatever its code:
# change FORMAT when what `fit` learns or `save` writes changes, so that it is trained anew.
FORMAT = 2


class IntentModel:
    """Probabilities of each intent for a message, from its letters and words."""

    def __init__(self, scorer: LinearScorer):
        self.scorer = scorer

    @classmethod
    def fit(cls, texts: list[str], labels: list[str]) -> IntentModel:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        learner = LogisticRegression(C=REGULARISATION, max_iter=5000)
        model = make_pipeline(make_union(*vectorisers()), learner).fit(texts, labels)
        return cls(LinearScorer.of_pipeline(model))

    def save(self, directory: Path) -> None:
        """Plain arrays and JSON, no pickle: loading a model runs none of its code."""
        scorer = self.scorer
        vocabularies = [{k: int(i) for k, i in v.vocabulary_.items()} for v in scorer.fitted]
        (directory / "intents.json").write_text(
            json.dumps({"labels": scorer.labels, "vocabularies": vocabularies})
        )
        idf = {f"idf{n}": v.idf_ for n, v in enumerate(scorer.fitted)}
        np.savez(directory / "intents.npz", weights=scorer.weights, bias=scorer.bias, **idf)

    @classmethod
    def load(cls, directory: Path) -> IntentModel:
        meta = json.loads((directory / "intents.json").read_text())
        with np.load(directory / "intents.npz", allow_pickle=False) as arrays:
            fitted = vectorisers()
            for n, vectoriser in enumerate(fitted):
                vectoriser.vocabulary_ = meta["vocabularies"][n]
                vectoriser.idf_ = arrays[f"idf{n}"]
            return cls(LinearScorer(fitted, arrays["weights"], arrays["bias"], meta["labels"]))

    def probabilities(self, text: str) -> dict[str, float]:
        return dict(zip(self.scorer.labels, self.scorer.chances(text).tolist(), strict=True))


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
