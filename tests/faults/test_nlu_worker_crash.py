"""`kill -9` of the Rasa server's NLU worker (channels.nlu_worker) in the middle of a booking.

The server reads the messages itself while the worker is gone, so the booking goes on with
no message lost or misread, and it starts the worker again, which then reads the messages.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from channels.nlu_client import READING
from tests.faults.conftest import FaultPatient, booking_steps, code_in, text_of, walk

pytestmark = pytest.mark.faults

COMPARE = "what's the difference between facet and trigger point injections?"


def workers_of(pid: int) -> list[int]:
    """The NLU worker processes the Rasa server has started (children of any of its threads:
    a worker started again is started by the thread that watches it)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    children = [child for task in tasks for child in (task / "children").read_text().split()]
    return [
        int(child) for child in children
        if b"channels.nlu_worker" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]  # fmt: skip


def until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.5)
    return result


def test_a_killed_nlu_worker_loses_no_message_and_is_started_again(servers, database):
    rasa = servers.processes["rasa"]
    asking, patient = FaultPatient(), FaultPatient()
    assert "Facet injections deliver" in text_of(asking.say(COMPARE))
    # The worker loads the model beside the server; ask until it reads the messages.
    # (A new sender each time: the per-sender rate limit would answer a fast one.)
    until(lambda: FaultPatient().say("hello") and READING in servers.log("rasa"), 240,
          "the NLU worker reading the messages")  # fmt: skip
    [first] = workers_of(rasa.pid)

    steps = booking_steps(
        "Nia Worker", "02/14/1969", "469-555-0169", "dec 16 at 2pm", "2) Wed Dec 16, 2:00 PM"
    )
    walk(patient, steps[:5])
    os.kill(first, signal.SIGKILL)
    walk(patient, steps[5:])  # read by the server itself: every answer lands where it should
    replies = patient.say("yes")
    assert code_in(replies), replies
    log = servers.log("rasa")
    assert "did not answer" in log or "stopped (exit code -9)" in log
    assert "Facet injections deliver" in text_of(asking.say(COMPARE))

    [second] = until(lambda: [p for p in workers_of(rasa.pid) if p != first], 60,
                     "a new NLU worker")  # fmt: skip
    readings = servers.log("rasa").count(READING)
    until(lambda: FaultPatient().say("hello") and servers.log("rasa").count(READING) > readings,
          240, "the new NLU worker reading the messages")  # fmt: skip
    assert workers_of(rasa.pid) == [second]
    assert "Trigger point injections" in text_of(asking.say("and trigger point injections?"))
