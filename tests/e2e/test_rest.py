"""End to end: questions over REST and socket.io to the servers ./run started (conftest)."""

from __future__ import annotations

import time
import uuid

import requests

from tests.e2e.conftest import EDIT_MARKER, MODEL, PHONE, REST, Patient


def test_first_reply_discloses_an_automated_assistant(server):
    replies = Patient().say("hi")
    assert "automated assistant" in replies[0]["text"]
    assert "can't give medical advice" in replies[0]["text"]


def test_facet_vs_trigger_point_then_follow_up(server):
    patient = Patient()
    replies = patient.say("what's the difference between facet and trigger point injections?")
    answer = replies[-1]
    assert "spinal facet joint" in answer["text"] and "muscle" in answer["text"]
    assert len(answer["text"]) <= 320
    assert [b["payload"] for b in answer["buttons"]] == ["/ask_more_detail", "/request_appointment"]
    assert "doesn't say how long" in patient.text("how long does it last?")


def test_epidural_relief_follow_up_and_detail(server):
    patient = Patient()
    assert "lumbar, thoracic and cervical" in patient.text("what's an ESI?")
    assert "weeks or even months" in patient.text("how long does it last")
    detail = patient.say("/ask_more_detail")
    assert detail[0]["text"] == "From the clinic's article:"
    assert all(len(m["text"]) <= 320 for m in detail)


def test_silent_topics_are_honest_with_the_phone(server):
    patient = Patient()
    for question in ("how much does a facet injection cost", "do you take medicare",
                     "what are the side effects", "am i a candidate for an epidural"):  # fmt: skip
        text = patient.text(question)
        assert PHONE in text, question


def test_off_topic_gets_no_article_content(server):
    patient = Patient()
    for question in ("what's the weather in paris", "book me a tee time", "tell me a joke"):
        text = patient.text(question)
        assert "Sorry" in text, (question, text)
        assert "injection" not in text.split("such as")[0], (question, text)


def test_an_edited_answer_is_served_without_retraining(server):
    assert EDIT_MARKER in Patient().text("what is telehealth")
    assert MODEL.stat().st_mtime == server["model_mtime"]


def test_odd_input_gets_a_clear_reply(server):
    patient = Patient()
    for message in ("🙂🙂🙂", "'; DROP TABLE events; --", "<script>alert(1)</script>", "x" * 5000):
        replies = patient.say(message)
        assert replies and replies[-1]["text"], message
    assert "spinal facet joint" in patient.text("facet vs trigger point")


def test_bad_requests_get_a_clear_answer_and_the_server_keeps_running(server):
    patient = Patient()
    for message in ("", "   "):
        replies = patient.say(message)
        assert replies and "didn't get a message" in replies[-1]["text"], repr(message)
    broken = requests.post(REST, data="{not json", timeout=30)  # test_guard.py has more
    assert 400 <= broken.status_code < 500
    assert "spinal facet joint" in patient.text("facet vs trigger point")


def test_the_socketio_channel_answers(server):
    import socketio

    client = socketio.Client(reconnection=False)
    received: list[dict] = []
    client.on("bot_uttered", received.append)
    session = f"e2e-sio-{uuid.uuid4().hex[:8]}"
    client.connect("http://localhost:5005", socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": session})
        time.sleep(1)
        client.emit(
            "user_uttered", {"message": "what is an SI joint injection", "session_id": session}
        )
        deadline = time.monotonic() + 30
        while not any("low back and leg pain" in m.get("text", "") for m in received):
            assert time.monotonic() < deadline, received
            time.sleep(0.5)
    finally:
        client.disconnect()
    assert "automated assistant" in received[0]["text"]


def test_red_flags_come_first_and_look_alikes_do_not(server):
    patient = Patient()
    assert "911" in patient.say("I have crushing chest pain right now")[-1]["text"]
    crisis = patient.text("i dont want to live anymore")
    assert "988" in crisis
    assert "911" not in patient.text("my back is killing me, what can the injections do?")
    assert "sympathetic nerves" in patient.text("what is a sympathetic nerve block")


def test_a_red_flag_in_the_middle_of_booking_comes_first_then_the_form_goes_on(server):
    patient = Patient()
    patient.say("book an appointment")
    replies = patient.say("I can't feel my groin and lost bladder control")
    assert "911" in replies[0]["text"]
    assert "main reason" in replies[-1]["text"]
