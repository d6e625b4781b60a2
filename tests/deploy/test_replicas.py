"""Scale-out, end to end: deploy/run's two Rasa replicas share one patient's conversation.

The replicas share nothing but PostgreSQL (conversations, bookings) and Redis (the lock
store, the rate limit), so a conversation whose turns alternate between them only works if
the deployment is wired as it should be. The clock is fixed (tests/e2e's NOW: Tuesday
2026-12-01, 09:00 in Dallas), so the open slots are known.
"""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.deploy.conftest import (
    ACTIONS_PORTS,
    LOCK_STORE_DB,
    PROXY_PORT,
    RASA_PORTS,
    REDIS,
    Deployment,
    port_open,
)
from tests.e2e.test_booking import BOOKING_STEPS

pytestmark = pytest.mark.deploy


def say(url: str, sender: str, message: str) -> list[dict]:
    response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(replies: list[dict]) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def events(deployment: Deployment, sender: str) -> list[tuple[str, dict]]:
    """The conversation's events as the shared tracker store holds them, in order."""
    engine = create_engine(deployment.tracker_url, poolclass=NullPool)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        ).all()
    engine.dispose()
    return [(kind, json.loads(data)) for kind, data in rows]


def user_texts(deployment: Deployment, sender: str) -> list[str]:
    return [data.get("text") for kind, data in events(deployment, sender) if kind == "user"]


def upstreams(deployment: Deployment, method_and_path: str, at_least: int = 0) -> list[str]:
    """Which upstream served each request of this kind, from nginx's access log; waits up to
    5 s for `at_least` of them, as nginx writes a request's line after its response."""
    deadline = time.monotonic() + 5
    while True:
        found = [
            line.split("upstream=")[1].split()[0]
            for line in deployment.log("nginx-access").splitlines()
            if f'"{method_and_path}"' in line
        ]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_one_patient_books_with_turns_alternating_between_the_replicas(deployment):
    sender = f"deploy-{uuid.uuid4().hex[:12]}"
    steps = [*BOOKING_STEPS, ("yes", "Confirmation code: ")]
    said = ""
    for turn, (message, expected) in enumerate(steps):
        replica = RASA_PORTS[turn % 2]
        said = text_of(say(deployment.rest(replica), sender, message))
        assert expected in said, f"replica {replica} after {message!r}: {said!r}"
    code = said.split("Confirmation code: ")[1][:6]
    assert "Wed Dec 2, 8:00 AM (Central time)" in said

    from clinic.booking import find_for_staff
    from clinic.db import session_factory

    stored = find_for_staff(session_factory(deployment.booking_url), code)
    assert (stored.status.value, stored.full_name, stored.phone, stored.reason) == (
        "requested", "Maria Lopez", "+19725550123", "low back pain",
    )  # fmt: skip
    assert stored.date_of_birth.isoformat() == "1956-03-14"
    # Every turn, whichever replica took it, is in the one shared tracker, in order.
    assert user_texts(deployment, sender) == [message for message, _ in steps]


def test_a_conversation_through_nginx_is_spread_over_both_replicas(deployment):
    sender = f"deploy-{uuid.uuid4().hex[:12]}"
    before = len(upstreams(deployment, "POST /webhooks/rest/webhook"))
    questions = [
        ("what's the difference between facet and trigger point injections?", "facet joint"),
        ("how long does an epidural last?", "weeks or even months"),
        ("what is an SI joint injection", "low back and leg pain"),
        ("what is a sympathetic nerve block", "sympathetic nerves"),
    ]
    for message, expected in questions:
        assert expected in text_of(say(deployment.rest(PROXY_PORT), sender, message)), message
    served = upstreams(deployment, "POST /webhooks/rest/webhook", before + len(questions))[before:]
    assert len(served) == len(questions)
    assert set(served) == {f"127.0.0.1:{port}" for port in RASA_PORTS}
    # The replicas reach the action servers through nginx too, round-robin.
    assert set(upstreams(deployment, "POST /webhook")) == {
        f"127.0.0.1:{port}" for port in ACTIONS_PORTS
    }


def test_a_socketio_conversation_through_nginx_stays_on_one_replica(deployment):
    import socketio

    received: list[dict] = []
    arrived = threading.Event()

    def on_reply(message: dict) -> None:
        received.append(message)
        if "low back and leg pain" in (message.get("text") or ""):
            arrived.set()

    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", on_reply)
    session = f"deploy-sio-{uuid.uuid4().hex[:8]}"
    client.connect(
        f"http://127.0.0.1:{PROXY_PORT}", socketio_path="/socket.io", transports=["polling"]
    )
    try:
        client.emit("session_request", {"session_id": session})
        client.emit(
            "user_uttered", {"message": "what is an SI joint injection", "session_id": session}
        )
        assert arrived.wait(60), received
    finally:
        client.disconnect()
    # long-polling only works if every request of the socket reached the same replica
    assert len(set(upstreams(deployment, "GET /socket.io/"))) == 1


class LockWatch:
    """Redis's MONITOR, collecting the lock store's commands on one conversation's key."""

    def __init__(self, key: str):
        self.key = key
        self.commands: list[str] = []
        self._stop = threading.Event()
        self._client = redis.Redis(*REDIS)
        self._monitor = self._client.monitor()
        self._monitor.__enter__()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            seen = self._monitor.next_command()
            if seen["db"] == LOCK_STORE_DB and self.key in seen["command"]:
                self.commands.append(seen["command"].split()[0])

    def stop(self) -> list[str]:
        self._stop.set()
        self._client.ping()  # wakes the watcher, which waits for the next command
        self._thread.join(10)
        self._monitor.__exit__()
        return self.commands


def test_two_messages_at_once_to_both_replicas_take_turns_through_the_redis_lock(deployment):
    sender = f"deploy-{uuid.uuid4().hex[:12]}"
    watch = LockWatch(f"lock:{sender}")
    messages = ["what is a facet injection", "how long does an epidural last?"]
    try:
        with ThreadPoolExecutor(2) as pool:
            answers = list(
                pool.map(
                    lambda port, message: text_of(say(deployment.rest(port), sender, message)),
                    RASA_PORTS, messages,
                )
            )  # fmt: skip
    finally:
        commands = watch.stop()
    assert "facet" in answers[0].lower() and "weeks or even months" in answers[1]
    # The conversation's lock lived in Redis (an in-memory lock store sends it nothing), and
    # was removed once neither message needed it.
    assert "SET" in commands and "DEL" in commands, commands
    assert "WATCH" in commands  # each change one transaction (stores/lock_store.py)
    # One turn after the other: each user message is taken when the assistant is listening,
    # each exactly once, and the conversation ends listening again.
    stored = events(deployment, sender)
    users = [data.get("text") for kind, data in stored if kind == "user"]
    assert sorted(users) == sorted(messages)
    for index, (kind, _) in enumerate(stored):
        if kind == "user":
            kind_before, data_before = stored[index - 1]
            assert (kind_before, data_before.get("name")) == ("action", "action_listen")
    assert (stored[-1][0], stored[-1][1].get("name")) == ("action", "action_listen")


def test_sigterm_stops_every_server(deployment):
    deployment.process.send_signal(signal.SIGTERM)
    assert deployment.process.wait(timeout=90) == 0, deployment.output_tail()
    ports = (*RASA_PORTS, *ACTIONS_PORTS, PROXY_PORT)
    assert not [port for port in ports if port_open(port)]
    assert "Stopping the deployment" in deployment.output_tail()
