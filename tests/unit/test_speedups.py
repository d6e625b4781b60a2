"""nlu_components.reply_check: Rasa's check of action server replies, with the work done once."""

from __future__ import annotations

import copy
import itertools

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

import nlu_components.red_flags  # noqa: F401 (loading the pipeline's component installs it)
from nlu_components.reply_check import is_valid, validate_action_result

GOOD = {"events": [{"event": "slot", "name": "topic", "value": "facet"}], "responses": []}
BAD = [{"events": "not a list"}, {"responses": [1]}, {"events": [{"no": "event key"}]}]
SCHEMA = RemoteAction.action_response_format_spec()


def replies() -> list:
    """Valid replies of every common kind, and each spoilt in several ways."""
    events = [
        SlotSet("topic", "facet").as_dict(),
        SlotSet("requested_slot", None).as_dict(),
        ActionExecuted("action_listen").as_dict(),
        BotUttered("Hello", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}).as_dict(),
        UserUttered("hi", {"name": "greet", "confidence": 0.9}).as_dict(),
        FollowupAction("appointment_form").as_dict(),
        ActiveLoop("appointment_form").as_dict(),
        SessionStarted().as_dict(),
        Restarted().as_dict(),
    ]
    found = [{"events": list(pair), "responses": [{"text": "ok"}]}
             for pair in itertools.combinations(events, 2)]  # fmt: skip
    for event in events:
        for key, value in list(event.items()):
            for spoilt in (None, 7, "x", [], {}, 1.5):
                if spoilt != value:
                    changed = copy.deepcopy(event)
                    changed[key] = spoilt
                    found.append({"events": [events[0], changed]})
        found.append({"events": [{**event, "event": "no_such_event"}]})
        found.append({"events": [{k: v for k, v in event.items() if k != "name"}]})
    return found + [GOOD, *BAD, {}, {"events": []}, {"events": None}, [], "text", None]


def test_the_same_verdicts_as_jsonschema():
    verdicts = []
    for reply in replies():
        theirs = jsonschema.Draft202012Validator(SCHEMA).is_valid(reply)
        assert is_valid(reply) == theirs, reply
        verdicts.append(theirs)
    assert len(verdicts) > 200 and any(verdicts) and not all(verdicts)


def test_installed_when_the_pipeline_loads():
    assert RemoteAction._validate_action_result is validate_action_result


def test_the_same_errors_as_jsonschema_validate():
    action = RemoteAction("action_answer", None)
    jsonschema.validate(GOOD, SCHEMA)
    assert action._validate_action_result(GOOD) is True
    for reply in BAD:
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(reply, SCHEMA)
        with pytest.raises(jsonschema.ValidationError) as ours:
            action._validate_action_result(reply)
        assert ours.value.message.startswith(theirs.value.message)
        assert "Failed to validate Action server response" in ours.value.message
