"""clinic.ngrams: the fast scoring gives scikit-learn's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from clinic.ngrams import LinearScorer, vectorisers

TEXTS = ["my back hurts", "what does a facet injection cost", "hello there", "hi",
         "trigger point shot", "how much is it", "back pain again", "hello hello"]  # fmt: skip


@pytest.fixture(scope="module")
def scorer() -> LinearScorer:
    fitted = vectorisers()
    for vectoriser in fitted:
        vectoriser.fit(TEXTS)
    width = sum(len(v.vocabulary_) for v in fitted)
    weights = np.random.default_rng(7).normal(size=(width, 3))
    return LinearScorer(fitted, weights, np.array([0.1, -0.2, 0.3]), ["a", "b", "c"])


@pytest.mark.parametrize(
    "text", ["hello", "what does it cost", "Back  PAIN!!", "", "💀", "zzqxj", "hi " * 500]
)
def test_chances_are_the_softmax_of_the_tfidf_features(scorer, text):
    features = sparse.hstack([v.transform([text]) for v in scorer.fitted]).tocsr()
    scores = np.asarray(features @ scorer.weights).ravel() + scorer.bias
    expected = np.exp(scores - scores.max())
    assert scorer.chances(text) == pytest.approx(expected / expected.sum(), abs=1e-12)


def test_only_the_features_it_can_read_are_accepted():
    plain = vectorisers()[1].set_params(sublinear_tf=False).fit(TEXTS)
    with pytest.raises(ValueError):
        LinearScorer([plain], np.zeros((len(plain.vocabulary_), 2)), np.zeros(2), ["a", "b"])
