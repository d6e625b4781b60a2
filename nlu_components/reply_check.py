"""Rasa 3.6's check of the action server's replies, the same verdicts in a fraction of the time.

Rasa checks every reply with `jsonschema.validate(reply, schema)`. That first checks the
(constant) schema against JSON Schema's 2020-12 metaschema, on every call: over half of
the Rasa server's CPU time under load (bench/tuning.md). The validator is made once here.

The schema's events are a `oneOf` of 23 event kinds, each fixed by a different constant
`event` name, so jsonschema tries all 23 for every event. An event can only satisfy the kind
its name names: a reply is valid exactly when it satisfies the schema without the `oneOf`
and each event satisfies the kind of its own name. That is checked first; a reply that fails
it goes through jsonschema's full check, so errors and their messages are jsonschema's own.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def _make(schema: dict) -> Any:
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@lru_cache(maxsize=1)
def _validator() -> Any:
    return _make(RemoteAction.action_response_format_spec())


@lru_cache(maxsize=1)
def _by_kind() -> tuple[Any, dict[str, Any]] | None:
    """The schema without the events' oneOf, and a validator for each kind by its name.

    None if the kinds are not each fixed by a name of their own (another Rasa version).
    """
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    kinds = schema["properties"]["events"]["items"].pop("oneOf", [])
    names = [kind.get("properties", {}).get("event", {}).get("const") for kind in kinds]
    if not kinds or None in names or len(set(names)) != len(kinds):
        return None
    return _make(schema), {name: _make(kind) for name, kind in zip(names, kinds, strict=True)}


def is_valid(result: Any) -> bool:
    """Whether the reply satisfies Rasa's schema, checking each event against its own kind.

    False also when it cannot tell: the full check then decides.
    """
    if _by_kind() is None:
        return False
    outer, kinds = _by_kind()
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        kind = kinds.get(event["event"])
        if kind is None or not kind.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, as in Rasa, with the work done once."""
    if is_valid(result):
        return True
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True
