"""End to end: what ./run refuses, and how (channels/rest.py, channels/server.py, guard.py).

Rasa's HTTP API needs the token, its conversation endpoints are closed, CORS answers only
the clinic's pages, malformed requests get a 4xx with a reason, and a sender over the rate
limit gets 429. After each refusal the server still answers a patient.
"""

from __future__ import annotations

import json
import time
import uuid

import requests

from tests.e2e.conftest import API_TOKEN, PHONE, RATE_LIMIT, REST, SITE, Patient

BASE = "http://localhost:5005"


def still_answers() -> None:
    assert "spinal facet joint" in Patient().text("what is a facet injection")


def test_the_http_api_needs_the_token(server):
    for headers, params in (
        ({}, {}),
        ({}, {"token": "wrong"}),
        ({"Authorization": "Bearer x"}, {}),
    ):
        response = requests.get(f"{BASE}/status", headers=headers, params=params, timeout=10)
        assert response.status_code == 401, (headers, params)
    by_query = requests.get(f"{BASE}/status", params={"token": API_TOKEN}, timeout=10)
    by_header = requests.get(
        f"{BASE}/status", headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=10
    )
    assert by_query.status_code == by_header.status_code == 200
    assert by_query.json()["model_file"].endswith(".tar.gz")


def test_the_conversation_endpoints_are_closed_even_with_the_token(server):
    patient = Patient()
    patient.say("hello")
    for method, path in (
        ("GET", f"/conversations/{patient.sender}/tracker"),
        ("POST", f"/conversations/{patient.sender}/messages"),
        ("PUT", f"/conversations/{patient.sender}/tracker/events"),
        ("GET", f"/conversations/{patient.sender}/story"),
    ):
        response = requests.request(
            method, f"{BASE}{path}", params={"token": API_TOKEN}, json={}, timeout=10
        )
        assert response.status_code == 403, (method, path, response.text)
        assert patient.sender not in response.text


def test_cors_answers_only_the_clinic_s_pages(server):
    page = SITE.rstrip("/")
    allowed = requests.options(
        REST, headers={"Origin": page, "Access-Control-Request-Method": "POST"}, timeout=10
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == page
    for origin in ("http://evil.example", "null", "http://localhost:9999"):
        refused = requests.options(
            REST, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}, timeout=10
        )
        assert "Access-Control-Allow-Origin" not in refused.headers, origin
        assert refused.headers.get("Access-Control-Allow-Origin") != "*"


def test_malformed_requests_get_a_4xx_with_a_reason(server):
    json_type = {"Content-Type": "application/json"}
    cases = [
        ({"Content-Type": "text/plain"}, '{"sender": "a", "message": "hi"}', 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "sender=a&message=hi", 415),
        ({}, '{"sender": "a", "message": "hi"}', 415),
        (json_type, '{"sender": "a", "message": ', 400),
        (json_type, "\xff\xfe\x00garbage", 400),
        (json_type, "[1, 2, 3]", 400),
        (json_type, '"just a string"', 400),
        (json_type, '{"message": "hi"}', 400),
        (json_type, '{"sender": "", "message": "hi"}', 400),
        (json_type, '{"sender": {"id": 1}, "message": "hi"}', 400),
        (json_type, '{"sender": "a\\u0000b", "message": "hi"}', 400),
        (json_type, json.dumps({"sender": "a" * 500, "message": "hi"}), 400),
        (json_type, '{"sender": "a"}', 400),
        (json_type, '{"sender": "a", "message": 42}', 400),
        (json_type, '{"sender": "a", "message": null}', 400),
        (json_type, '{"sender": "a", "message": "hi", "metadata": "x"}', 400),
    ]
    for headers, body, status in cases:
        response = requests.post(
            REST, data=body.encode("utf-8", "surrogateescape"), headers=headers, timeout=10
        )
        assert response.status_code == status, (body, response.status_code, response.text)
        assert response.json()["error"], body
    huge = requests.post(REST, data=b"x" * 2_000_000, headers=json_type, timeout=30)
    assert huge.status_code == 413
    still_answers()


def test_empty_and_over_long_messages_get_a_clear_reply(server):
    patient = Patient()
    for empty in ("", "   ", "\n\t\x00\x07"):
        replies = patient.say(empty)
        assert "didn't get a message" in replies[0]["text"] and PHONE in replies[0]["text"]
    long_text = "Tell me about your injections please. " * 2700  # about 100 KB
    assert "too long" in patient.text(long_text)
    emergency = "I had a back problem for years. " * 150 + "Now I can't control my bladder."
    assert "911" in patient.text(emergency)
    still_answers()


def test_a_sender_over_the_rate_limit_gets_429_and_others_do_not(server):
    limit = int(RATE_LIMIT.split("/")[0])
    sender = f"e2e-flood-{uuid.uuid4().hex[:8]}"
    statuses = [
        requests.post(REST, json={"sender": sender, "message": " "}, timeout=10).status_code
        for _ in range(limit + 3)
    ]
    assert statuses[:limit] == [200] * limit and statuses[limit:] == [429] * 3
    flooded = requests.post(REST, json={"sender": sender, "message": "hi"}, timeout=10)
    assert flooded.status_code == 429
    assert 1 <= int(flooded.headers["Retry-After"]) <= 60
    assert "faster than I can answer" in flooded.json()[0]["text"]
    still_answers()


def test_the_socket_answers_bad_messages_and_keeps_going(server):
    import socketio

    client = socketio.Client(reconnection=False)
    received: list[dict] = []
    client.on("bot_uttered", received.append)
    session = f"e2e-sio-{uuid.uuid4().hex[:8]}"
    client.connect(BASE, socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": session})
        client.call("user_uttered", {"message": "   ", "session_id": session}, timeout=30)
        client.emit("user_uttered", "not an object")
        client.emit("user_uttered", {"message": ["a"], "session_id": session})
        client.call(
            "user_uttered", {"message": "what is a facet injection", "session_id": session},
            timeout=60,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while sum("didn't get a message" in m.get("text", "") for m in received) < 2:
            assert time.monotonic() < deadline, received
            time.sleep(0.5)
    finally:
        client.disconnect()
    texts = [m.get("text", "") for m in received]
    assert any("spinal facet joint" in t for t in texts), texts
