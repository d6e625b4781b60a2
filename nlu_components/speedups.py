"""Rasa 3.6 with jsonschema 4: check the action server's replies with a validator made once.

Rasa checks every reply of the action server with `jsonschema.validate(reply, schema)`,
which first checks the (constant) schema itself against JSON Schema's 2020-12 metaschema,
on every call. Under load that was over half of the Rasa server's CPU time
(bench/tuning.md). This checks each reply against the same schema, with a validator
built (and the schema checked) once: the same verdicts and error messages, without the
repeated work. Installed when the model's pipeline loads (nlu_components/red_flags.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, as in Rasa, with the validator made once."""
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
