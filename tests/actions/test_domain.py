"""The domain and the code agree: every intent has a reply, every action exists."""

from __future__ import annotations

import yaml
from rasa_sdk import Action

import actions.answers  # noqa: F401 - registers the actions
import actions.booking  # noqa: F401
import actions.booking_validation  # noqa: F401
import actions.handoff  # noqa: F401
import actions.manage  # noqa: F401
import actions.safety  # noqa: F401
import actions.session  # noqa: F401
from tests.conftest import ROOT

# Intents that start a flow rather than get a reply from clinic.knowledge.
FLOW_INTENTS = {
    "request_appointment", "cancel_appointment", "reschedule_appointment", "red_flag",
    "human_handoff", "request_callback",
}  # fmt: skip


def _domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def _all_actions(cls=Action) -> set[str]:
    names = set()
    for sub in cls.__subclasses__():
        # ours only, and not AskAction itself, which asks for no slot
        if sub.__module__.startswith("actions.") and sub.__dict__.get("slot", True):
            names.add(sub().name())
        names |= _all_actions(sub)
    return names


def test_every_intent_gets_a_reply(knowledge):
    intents = set(_domain()["intents"])
    assert intents - FLOW_INTENTS <= set(knowledge.intents())
    assert set(knowledge.intents()) - {"nlu_fallback"} <= intents


def test_every_domain_action_is_implemented():
    assert set(_domain()["actions"]) <= _all_actions()
