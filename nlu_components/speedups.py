"""Two pieces of work Rasa 3.6 repeats on every message, done once (bench/tuning.md).

1. The action server's replies are checked against Rasa's schema with the work done once
(nlu_components/reply_check.py): the same verdicts and error messages.

2. RulePolicy keeps its rules as JSON text and, on every prediction (several per message),
parses all of them (about 600 here) and compares each with the conversation. The parsed
rules are kept (the rules are fixed once the model is loaded, and RulePolicy only reads
what it parses), and the rules are narrowed first: a rule whose last step names another
previous action or intent than the conversation's latest state can never match
(RulePolicy's own check would reject it at its first comparison). The remaining rules go
through RulePolicy's own check, so the rules found are the same.

Installed when the model's pipeline loads (nlu_components/red_flags.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from nlu_components.reply_check import validate_action_result

_parse_rule = RulePolicy.__dict__["_rule_key_to_state"].__func__


@lru_cache(maxsize=8192)
def rule_key_to_state(rule_key: str) -> list:
    """RulePolicy._rule_key_to_state, parsed once per rule."""
    return _parse_rule(rule_key)


def _wanted(value: Any) -> Any:
    """A rule's value that the conversation must equal (None: the rule asks for nothing)."""
    return value if value and value != SHOULD_NOT_BE_SET else None


def _last_step(state: dict) -> tuple[str | None, str | None]:
    """The previous action and the intent of a state, as a rule's last step asks for them."""
    action = _wanted(state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME))
    return action, _wanted(state.get(USER, {}).get(INTENT))


_original_possible_keys = RulePolicy._get_possible_keys
_indexes: dict[int, tuple[dict, dict[tuple, list[str]]]] = {}


def _index(lookup: dict[str, str]) -> dict[tuple, list[str]]:
    entry = _indexes.get(id(lookup))
    if entry is None or entry[0] is not lookup or entry[1]["size"] != len(lookup):
        index: dict = {"size": len(lookup)}
        for key in lookup:
            index.setdefault(_last_step(rule_key_to_state(key)[-1]), []).append(key)
        entry = _indexes[id(lookup)] = (lookup, index)
    return entry[1]


def get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list) -> set[str]:
    """RulePolicy._get_possible_keys over the rules whose last step can match the state.

    A rule whose last step names another previous action or another intent than the
    conversation's latest state is rejected by RulePolicy at its first comparison; only the
    others are compared, by RulePolicy's own code.
    """
    if not states:
        return _original_possible_keys(self, lookup, states)
    index = _index(lookup)
    action, intent = _last_step(states[-1])
    candidates = []
    for step in {(None, None), (action, None), (None, intent), (action, intent)}:
        candidates += index.get(step, [])
    return _original_possible_keys(self, dict.fromkeys(candidates), states)


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
    RulePolicy._rule_key_to_state = staticmethod(rule_key_to_state)
    RulePolicy._get_possible_keys = get_possible_keys
