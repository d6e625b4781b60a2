"""nlu_components.speedups: RulePolicy finds the same rules with its rules indexed.

Every rule of the trained model is compared, as the conversation, against every rule set of
the model, also with its latest intent and previous action changed, and at the start of a
conversation: the patched lookup must find exactly the rules RulePolicy's own finds.
"""

from __future__ import annotations

import copy
import json
import tarfile

import pytest
from rasa.core.policies.rule_policy import RulePolicy

from nlu_components import speedups
from tests.rasa.conftest import MODEL


@pytest.fixture(scope="module")
def lookups() -> dict[str, dict[str, str]]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run ./test, which trains the model first")
    with tarfile.open(MODEL) as model:
        name = next(n for n in model.getnames() if n.endswith("RulePolicy0/rule_policy.json"))
        lookup = json.load(model.extractfile(name))["lookup"]
    return {key: lookup[key] for key in ("rules", "rules_for_loop_unhappy_path")}


def conversations(lookup: dict[str, str]) -> list[list[dict]]:
    """Every rule as a conversation, and variants of its latest state."""
    rules = [json.loads(key) for key in lookup]
    intents = sorted({s["user"]["intent"] for r in rules for s in r
                      if "intent" in s.get("user", {})})  # fmt: skip
    actions = sorted({s["prev_action"].get("action_name", "") for r in rules for s in r
                      if "prev_action" in s} - {""})  # fmt: skip
    found = []
    for number, states in enumerate(rules):
        found.append(states)
        latest = states[-1]
        for intent in intents[number % 7 :: 7]:
            changed = copy.deepcopy(states)
            changed[-1].setdefault("user", {})["intent"] = intent
            found.append(changed)
        for action in actions[number % 5 :: 5]:
            changed = copy.deepcopy(states)
            changed[-1]["prev_action"] = {"action_name": action}
            found.append(changed)
        found.append([{k: v for k, v in latest.items() if k != "prev_action"}])
        found.append(rules[(number * 31) % len(rules)] + states)
    return found


def test_the_same_rules_are_found(lookups):
    policy = RulePolicy.__new__(RulePolicy)
    compared = matched = 0
    for name, lookup in lookups.items():
        for states in conversations(lookup):
            theirs = speedups._original_possible_keys(policy, lookup, states)
            assert speedups.get_possible_keys(policy, lookup, states) == theirs, (name, states)
            compared += 1
            matched += bool(theirs)
    assert compared > 1000 and 0 < matched < compared  # both outcomes were compared


def test_installed_when_the_pipeline_loads():
    import nlu_components.red_flags  # noqa: F401 (loading the pipeline's component installs it)

    assert RulePolicy._get_possible_keys is speedups.get_possible_keys
    assert RulePolicy._rule_key_to_state("[{}]") is RulePolicy._rule_key_to_state("[{}]")
