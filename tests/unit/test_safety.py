"""clinic.safety: red flags found in plain, paraphrased and misspelt words; look-alikes not."""

from __future__ import annotations

import pytest

from clinic.safety import RedFlagDetector
from tests.conftest import ROOT
from tests.nlu.examples import read_examples


@pytest.fixture(scope="module")
def detector(content) -> RedFlagDetector:
    return RedFlagDetector(content.red_flags)


@pytest.mark.parametrize(
    "text, flag",
    [
        ("I can't control my bladder since this morning", "bladder_bowel"),
        ("i peed myself and didnt even feel it", "bladder_bowel"),
        ("Loss of bowel control after my back pain got worse", "bladder_bowel"),
        ("my groin and inner thighs went numb", "saddle_numbness"),
        ("I have no feeling between my legs", "saddle_numbness"),
        ("my legs keep giving out when I stand", "leg_weakness"),
        ("my legs are getting weaker by the hour", "leg_weakness"),
        ("sciatica down both legs now", "sciatica_both_legs"),
        ("I have chest pain", "chest_pain"),
        ("there's a crushing pressure in my chest", "chest_pain"),
        ("my face is drooping and my words are slurred", "stroke"),
        ("I think I'm having a stroke", "stroke"),
        ("I can't breathe", "breathing"),
        ("my throat feels like it's closing after the injection", "breathing"),
        ("I'm getting hives and my lips are swollen", "breathing"),
        ("I took too many of my pain pills", "overdose"),
        ("I think I overdosed on my meds", "overdose"),
        ("I want to kill myself", "suicide"),
        ("i dont want to be alive anymore", "suicide"),
        (
            "sometimes I think everyone would be better off if I was dead, I'm better off dead",
            "suicide",
        ),
        ("I've been having suicidal thoughts", "suicide"),
        ("I have a fever since my injection on Monday", "infection"),
        ("the shot site is red, hot and swollen", "infection"),
        ("there's pus oozing where I got the shot", "infection"),
        ("my back is killing me and I want to end it all", "suicide"),
        ("I don't know if I'm having a heart attack", "chest_pain"),
        ("I haven't been able to pee since yesterday", "bladder_bowel"),
        ("it's numb down there", "saddle_numbness"),
        ("I can't feel my legs", "leg_weakness"),
        ("feels like an elephant sitting on my chest", "chest_pain"),
        ("I suddenly can't move my arm", "stroke"),
        ("I can't get enough air", "breathing"),
        ("I took double my dose by mistake", "overdose"),
        ("I keep thinking about ending my life", "suicide"),
        ("life isn't worth living anymore", "suicide"),
        ("running a fever after the nerve block", "infection"),
        ("I've had accidents with my bowels since yesterday", "bladder_bowel"),
        ("pain shooting down both legs and numbness", "sciatica_both_legs"),
        ("I have thoughts of killing myself", "suicide"),
        ("I don't see a reason to live", "suicide"),
        ("where they gave me the shot is swollen and warm", "infection"),
        ("I had chest pain an hour ago and it's back", "chest_pain"),
        ("what if I have an allergic reaction? my throat is closing right now", "breathing"),
    ],
)
def test_red_flags_are_found(detector, text, flag):
    found = detector.detect(text)
    assert found is not None and found.name == flag


@pytest.mark.parametrize(
    "text",
    [
        "my back is killing me",
        "I'm dying to know how facet injections work",
        "what is a nerve block?",
        "what is a sympathetic nerve block used for",
        "no chest pain, just my lower back",
        "I don't have a fever",
        "is the shot painful?",
        "does the contrast dye cause allergies?",
        "my neck is stiff",
        "I could die of embarrassment asking this",
        "how long does relief from an epidural last",
        "the pain in my leg is bad today",
        "what if I have an allergic reaction to the dye?",
        "burning pain in both feet",
        "do injections cause allergic reactions",
        "I had chest pain years ago but it's fine now",
        "my heart attack was in 2010, can I still get an ESI",
        "what's the risk of infection from a facet injection",
        "",
        "🙂🙂🙂",
        "x" * 100_000,
    ],
)
def test_look_alikes_are_not_red_flags(detector, text):
    assert detector.detect(text) is None


def test_replies_name_911_988_and_the_clinic(content):
    assert "911" in content.reply("red_flags.emergency")
    assert "988" in content.reply("red_flags.crisis") and "911" in content.reply("red_flags.crisis")
    assert "972-596-1059" in content.reply("red_flags.infection")


def test_every_red_flag_training_example_is_confirmed_by_the_detector(detector):
    """DIET learns red_flag too, but only the detector's confirmation counts."""
    examples = [t for t, i in read_examples(ROOT / "data" / "nlu.yml") if i == "red_flag"]
    assert examples
    assert [t for t in examples if detector.detect(t) is None] == []


def test_no_other_training_example_raises_a_red_flag(detector):
    others = [t for t, i in read_examples(ROOT / "data" / "nlu.yml") if i != "red_flag"]
    assert [t for t in others if detector.detect(t)] == []
