"""clinic.red_flag_model: the learned backstop behind the red-flag patterns."""

from __future__ import annotations

import numpy as np
import pytest

from clinic import red_flag_model
from clinic.safety import RedFlagDetector
from tests.conftest import ROOT
from tests.nlu.examples import read_examples


class Chances:
    """A stand-in for the backstop's model: as sure as it is told."""

    def __init__(self, **chances: float):
        self.kinds = ["breathing", "none", "suicide"]
        self.chances = np.array([chances.get(k, 0.0) for k in self.kinds])


def backstop(threshold: float = 0.8, **chances: float) -> red_flag_model.Backstop:
    stand_in = Chances(**chances)
    made = red_flag_model.Backstop.__new__(red_flag_model.Backstop)
    made._kinds, made._none, made._threshold = stand_in.kinds, 1, threshold
    made.chances = lambda text: stand_in.chances
    return made


def test_the_backstop_names_the_likeliest_kind_only_when_sure_enough():
    assert backstop(none=0.1, suicide=0.7, breathing=0.2).kind("x") == "suicide"
    assert backstop(none=0.3, suicide=0.7).kind("x") is None


def test_its_chances_are_the_model_s_own():
    model = red_flag_model.load()
    texts = ["what are your hours", "half my face has gone to sleep", "yes", "", "💀 ok",
             "help help help, my chest my chest", "the the the " * 400, "zzqxj"]  # fmt: skip
    ours = [red_flag_model.Backstop(model, 0.8).chances(t) for t in texts]
    theirs = model.predict_proba([red_flag_model.normalise(t) for t in texts])
    assert np.allclose(ours, theirs, atol=1e-9)


def test_the_patterns_come_first_and_the_backstop_gives_its_flag_s_reply():
    config = {
        "flags": {
            "overdose": {"reply": "emergency", "patterns": ["took too many"]},
            "suicide": {"reply": "crisis", "patterns": []},
        },
        "learned": {"flags": {"suicide": "suicide"}},
    }
    detector = RedFlagDetector(config, backstop(none=0.0, suicide=1.0))
    assert detector.detect("I took too many").name == "overdose"
    assert detector.detect("anything else").reply == "crisis"
    assert RedFlagDetector(config, backstop(none=1.0)).detect("anything else") is None
    with pytest.raises(ValueError, match="names no flag"):
        RedFlagDetector({**config, "learned": {"flags": {"stroke": "stroke"}}})


def test_the_backstop_reads_only_what_no_look_alike_explains():
    read = []
    stand_in = backstop(none=1.0)
    stand_in.chances = lambda text: read.append(text) or np.array([0.0, 1.0, 0.0])
    config = {"flags": {}, "look_alikes": ["numb since the dentist"]}
    RedFlagDetector(config, stand_in).detect("Face numb since the dentist, arm weak")
    RedFlagDetector(config, stand_in).detect("My arm is weak")
    assert read == ["face                       , arm weak", "My arm is weak"]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("my face is numb since the dentist", None),
        ("my face is numb since the dentist, now i cant lift my arm", "stroke"),
    ],
)
def test_an_explained_symptom_raises_no_alarm_but_what_else_is_said_still_can(
    content, detector, text, flag
):
    assert RedFlagDetector(content.red_flags).detect(text) is None  # the patterns alone
    found = detector.detect(text)
    assert (found.name if found else None) == flag


def test_it_never_learns_from_the_held_out_set():
    names = [p.name for p in red_flag_model.training_files()]
    assert "red_flags_dev.yml" in names and "nlu.yml" in names
    assert not [n for n in names if "test" in n]


def test_red_flag_training_examples_are_left_out_and_annotations_read_as_text():
    texts, labels = red_flag_model.examples()
    assert set(labels) >= {"none", "stroke", "suicide", "cauda_equina"}
    assert not [t for t in texts if "](" in t]
    red_flag_intent = {
        t.lower() for t, i in read_examples(ROOT / "data" / "nlu.yml") if i == "red_flag"
    }
    assert not red_flag_intent & {
        t for t, label in zip(texts, labels, strict=False) if label == "none"
    }


@pytest.fixture(scope="module")
def detector(content) -> RedFlagDetector:
    return red_flag_model.detector(content.red_flags)


@pytest.mark.parametrize(
    "text, flag",
    [
        ("i feel like i'm slipping away and nobody would notice", "suicide"),
        (
            "I can't stop thinking about the pills in the cupboard and how easy it would be",
            "suicide",
        ),
        ("half my face has gone to sleep and my arm won't lift", "stroke"),
        ("my throat feels like it's shrinking since the dye", "breathing"),
    ],
)
def test_the_backstop_finds_emergencies_in_wording_no_pattern_knows(content, detector, text, flag):
    assert RedFlagDetector(content.red_flags).detect(text) is None  # the patterns alone miss it
    found = detector.detect(text)
    assert found is not None and found.name == flag


def test_no_question_of_the_answer_dev_set_raises_an_alarm(detector):
    """Everyday questions the backstop never trained on, many naming symptoms and pills."""
    questions = [t for t, _ in read_examples(ROOT / "bench" / "data" / "answers_dev.yml")]
    assert len(questions) > 300
    assert [q for q in questions if detector.detect(q)] == []


def test_build_writes_once_and_then_finds_it_up_to_date(tmp_path):
    path = tmp_path / "red_flags.joblib"
    assert red_flag_model.build(path) is True
    assert red_flag_model.build(path) is False
    assert red_flag_model.load(path).predict_proba(["hello"]).shape == (1, 8)
