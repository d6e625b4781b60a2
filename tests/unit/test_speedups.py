"""nlu_components.speedups: Rasa's check of action server replies, with the schema checked once."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import nlu_components.red_flags  # noqa: F401 (loading the pipeline's component installs it)
from nlu_components.speedups import validate_action_result

GOOD = {"events": [{"event": "slot", "name": "topic", "value": "facet"}], "responses": []}
BAD = [{"events": "not a list"}, {"responses": [1]}, {"events": [{"no": "event key"}]}]


def test_installed_when_the_pipeline_loads():
    assert RemoteAction._validate_action_result is validate_action_result


def test_the_same_verdicts_as_jsonschema_validate():
    action = RemoteAction("action_answer", None)
    schema = RemoteAction.action_response_format_spec()
    jsonschema.validate(GOOD, schema)
    assert action._validate_action_result(GOOD) is True
    for reply in BAD:
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(reply, schema)
        with pytest.raises(jsonschema.ValidationError) as ours:
            action._validate_action_result(reply)
        assert ours.value.message.startswith(theirs.value.message)
        assert "Failed to validate Action server response" in ours.value.message
