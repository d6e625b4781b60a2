"""A learned backstop for red flags: emergencies in wording no pattern knows yet.

The patterns of content/red_flags.yml (clinic/safety.py) come first, and they alone decide
whenever they find a flag. Only a message they find nothing in is read by this model: a
logistic regression over the character and word n-grams of the message. It is trained on

- the red-flag dev sets (bench/data/red_flags_dev*.yml): emergencies of every kind and their
  look-alikes, written blind to the rules, in many voices;
- everyday patient messages that share their words (bench/data/red_flags_ordinary.yml);
- the assistant's own training messages (data/*.yml), none of them an emergency except those
  of the `red_flag` intent, which are left out;

and never on the held-out set (bench/data/red_flags_test.yml). It speaks only when it is at
least `learned: threshold` sure (content/red_flags.yml) that a message is an emergency.

`python -m clinic.red_flag_model build PATH` trains it ahead of time (./run, ./test and the
Dockerfile build models/red_flags.joblib); a process that finds no up-to-date file trains it
in memory when it starts, which takes a few seconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clinic.ngrams import LinearScorer, vectorisers
from clinic.safety import RedFlagDetector, normalise

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "models" / "red_flags.joblib"
NONE = "none"  # the label of a message that is no emergency
VERSION = "2"  # change to retrain when the features or the learner change
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")  # "[facet](procedure)"
log = logging.getLogger(__name__)


def training_files() -> list[Path]:
    """The files the model learns from; a held-out ("test") set is never one of them."""
    data = ROOT / "bench" / "data"
    sets = sorted(p for p in data.glob("red_flags_*.yml") if "test" not in p.name)
    return [*sets, *sorted((ROOT / "data").glob("*.yml"))]


def nlu_examples(block: str) -> list[str]:
    """The example texts of a Rasa NLU `examples` block as Rasa reads them: the lines that
    start with "-", without it (tests/nlu/examples.py reads the files the same way)."""
    lines = (line.strip() for line in block.splitlines())
    return [text for line in lines if line.startswith("-") and (text := line[1:].strip())]


def examples(leaving_out: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The training texts, normalised as the detector reads them, and their labels; files
    named in `leaving_out` are skipped (bench/red_flag_backstop.py measures on them)."""
    texts, labels = [], []
    for path in training_files():
        if path.name in leaving_out:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for example in data.get("examples", []):  # a red-flag set
            texts.append(example["text"])
            labels.append(example["flag"])
        for block in data.get("nlu", []):  # a Rasa NLU file
            if block.get("intent") in (None, "red_flag"):
                continue
            for example in nlu_examples(block["examples"]):
                if text := _ANNOTATION.sub(r"\1", example).strip():
                    texts.append(text)
                    labels.append(NONE)
    return [normalise(t) for t in texts], labels


def fingerprint() -> str:
    """What a saved model was trained from: the files, the learner's version and ours."""
    import sklearn

    digest = hashlib.sha256(f"{VERSION} {sklearn.__version__}".encode())
    for path in training_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def train(leaving_out: tuple[str, ...] = ()) -> Any:
    """A fitted scikit-learn pipeline: n-gram TF-IDF (clinic/ngrams.py), then a logistic
    regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # C=100 (weak regularisation) caught more of the dev sets' unseen emergencies with fewer
    # false alarms than C=3, 10 or 30 (bench/tuning.md, `make bench-backstop`)
    learner = LogisticRegression(C=100, max_iter=3000, class_weight="balanced")
    return make_pipeline(make_union(*vectorisers()), learner).fit(*examples(leaving_out))


def build(path: Path = DEFAULT_PATH) -> bool:
    """Train and save the model with its fingerprint, unless the saved one is up to date;
    the file is replaced in one step. Whether it was trained."""
    import joblib

    if _saved(path) is not None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    joblib.dump({"fingerprint": fingerprint(), "model": train()}, partial)
    partial.replace(path)
    return True


def _saved(path: Path) -> Any:
    """The model saved at `path` if it was trained from today's data, else None."""
    import joblib

    try:
        saved = joblib.load(path)
        return saved["model"] if saved["fingerprint"] == fingerprint() else None
    except Exception:  # missing, partial or from another scikit-learn: train it anew
        return None


@cache
def load(path: Path = DEFAULT_PATH) -> Any:
    """The saved model when it is up to date, else one trained now (once per process)."""
    model = _saved(path)
    if model is None:
        log.info("Training the red-flag backstop in memory (%s is missing or out of date)", path)
        model = train()
    return model


class Backstop:
    """The kind of emergency a message is, when the model is sure enough; else None.

    The chances are the model's own (softmax of the logistic regression's scores), worked
    out directly from the n-grams the message has and their weights (clinic/ngrams.py): the
    same numbers as the pipeline's predict_proba in a sixth of the time (about 0.14 ms).
    """

    def __init__(self, model: Any, threshold: float):
        self._scorer = LinearScorer.of_pipeline(model)
        self._threshold = threshold
        self._kinds = self._scorer.labels
        self._none = self._kinds.index(NONE)

    def chances(self, text: str) -> Any:
        """The chance of each kind (in the model's order of kinds) for one message."""
        return self._scorer.chances(normalise(text))

    def kind(self, text: str) -> str | None:
        chances = self.chances(text)
        if 1 - chances[self._none] < self._threshold:
            return None
        best = max((i for i in range(len(self._kinds)) if i != self._none), key=chances.__getitem__)
        return self._kinds[best]


def backstop(red_flags: dict[str, Any]) -> Backstop | None:
    """The backstop content/red_flags.yml asks for under `learned`, if any."""
    learned = red_flags.get("learned")
    return Backstop(load(), float(learned["threshold"])) if learned else None


def detector(red_flags: dict[str, Any]) -> RedFlagDetector:
    """The patterns of content/red_flags.yml with the learned backstop behind them."""
    return RedFlagDetector(red_flags, backstop(red_flags))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "build":
        print("usage: python -m clinic.red_flag_model build PATH", file=sys.stderr)
        return 2
    path = Path(argv[1])
    print(f"Red-flag backstop {'trained into' if build(path) else 'is up to date in'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
