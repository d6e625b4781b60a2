"""End to end: canary patient details never reach the logs, even at DEBUG.

./run logs at DEBUG for the whole end-to-end run (conftest). A patient with made-up
details books over REST and starts a booking by SMS; then every line that either server
wrote is searched for those details in the forms they could take.
"""

from __future__ import annotations

from tests.e2e.conftest import Patient
from tests.e2e.test_sms import send, texts

FIRST, LAST = "Zyxquor", "Canarywell"
CANARIES = [
    FIRST, LAST, "4695550142", "469-555-0142", "5550142", "555-0142", "07/19/1948",
    "1948-07-19", "7/19/1948", "19480719", "zyx.canary", "example-canary.org",
    "5550198", "555-0198", "2145550198",
]  # fmt: skip
SMS_SENDER = "+12145550198"  # a number no other test draws (they use 469)


def test_canary_details_never_reach_the_logs(server):
    patient = Patient()
    steps = [
        "I'd like to book an appointment", "low back pain", "new patient",
        "skip", "skip", "skip", "skip",
        f"{FIRST} {LAST}", "07/19/1948", "469-555-0142", "zyx.canary@example-canary.org",
        "next thursday afternoon", "1",
    ]  # fmt: skip
    for message in steps:
        patient.say(message)
    assert "Confirmation code: " in patient.text("yes")
    # By SMS the sender's own number is the conversation's id, and is offered back.
    for message in (
        "book an appointment", "back pain", "returning patient",
        "skip", "skip", "skip", "skip", f"{FIRST} {LAST}",
    ):  # fmt: skip
        assert texts(send(SMS_SENDER, message)), message
    assert any("0198" in text for text in texts(send(SMS_SENDER, "07/19/1948")))
    assert texts(send(SMS_SENDER, "1"))  # "use this number"
    log = server["log"]
    log.flush()
    log.seek(0)
    written = log.read()
    assert "DEBUG" in written and "[redacted]" in written  # the logs are there, and masked
    leaks = {canary for canary in CANARIES if canary.lower() in written.lower()}
    assert not leaks, f"patient details in the logs: {sorted(leaks)}"
