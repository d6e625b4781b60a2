"""Patients' details kept out of the logs (clinic/redaction.py), with canary values."""

from __future__ import annotations

import json
import logging

import pytest

from clinic import redaction

NAME = "Zyxquor Canarywell"
CANARIES = [
    NAME, "Zyxquor", "Canarywell", "469-555-0142", "4695550142", "+14695550142",
    "(469) 555 0142", "07/19/1948", "1948-07-19", "July 19, 1948", "19 Jul 1948",
    "zyx.canary@example.org",
]  # fmt: skip
# Lines as Rasa 3.6 and rasa_sdk write them at DEBUG, with the canaries in them.
RASA_LINES = [
    f"Received user message '{NAME}' with intent '{{'name': 'nlu_fallback'}}' and entities '[]'",
    json.dumps({"parse_data_text": NAME, "event": "processor.message.parse"}),
    json.dumps({"rasa_events": [f"SlotSet(key: full_name, value: {NAME})"], "event": "x"}),
    json.dumps({"slot_values": f"\tfull_name: {NAME}\n\tphone: +14695550142", "event": "x"}),
    json.dumps({"current_states": f"[state 4] user text: {NAME} | previous action name: x"}),
    f"Current slot values: \n\tfull_name: {NAME}\n\tdate_of_birth: 1948-07-19",
    f"BotUttered('Please check: {NAME}, born July 19, 1948', {{}})",
    f"UserUttered(\"my name is {NAME}\", {{'name': 'inform'}})",
    json.dumps({"text": f"my email is zyx.canary@example.org and I'm {NAME}"}),
    "Starting a new session for conversation ID '+14695550142'.",
    "dob 19 Jul 1948, phone (469) 555 0142 or 4695550142",
    json.dumps(
        {
            "tracker": {
                "sender_id": "+14695550142",
                "slots": {
                    "full_name": NAME,
                    "callback_name": NAME,
                    "email": "zyx.canary@example.org",
                },
            }
        }
    ),  # a 500's body
]


@pytest.mark.parametrize("line", RASA_LINES)
def test_rasa_debug_lines_lose_every_canary(line):
    redacted = redaction.redact(line)
    assert redaction.MASK in redacted
    for canary in CANARIES:
        assert canary not in redacted, (canary, redacted)


def test_what_is_not_personal_stays_readable():
    line = "Predicted next action 'action_answer' with confidence 0.98; intent ask_treatment."
    assert redaction.redact(line) == line


@pytest.fixture
def captured():
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(logging.Formatter("%(message)s").format(record))

    original = logging.getLogRecordFactory()
    logger = logging.getLogger("tests.redaction")
    handler = Keep()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    redaction.install()
    redaction.install()  # twice is once
    yield logger, records
    logger.removeHandler(handler)
    logging.setLogRecordFactory(original)


def test_installed_every_record_and_traceback_is_redacted(captured):
    """A name is known by where it stands; the project's own code never logs one bare."""
    logger, records = captured
    logger.debug("SlotSet(key: %s, value: %s)", "full_name", NAME)
    logger.info("Received user message '%s' with intent 'inform'", f"{NAME} 469-555-0142")
    try:
        raise ValueError(f"bad date of birth 07/19/1948 for text='{NAME}'")
    except ValueError:
        logger.exception("validation failed for text='%s'", NAME)
    assert len(records) == 3
    joined = "\n".join(records)
    assert "Traceback" in joined and "ValueError" in joined
    for canary in CANARIES:
        assert canary not in joined, canary
