"""The custom actions, run with real rasa_sdk trackers and dispatchers."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer
from actions.session import ActionSessionStart


def tracker(text: str, intent: str, confidence: float = 0.95, **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    return Tracker(
        sender_id="test-patient",
        slots={"topic": None, "detail_shown": None, **slots},
        latest_message=message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_answer_action_says_the_answer_with_buttons_and_sets_the_topic():
    dispatcher = CollectingDispatcher()
    events = ActionAnswer().run(dispatcher, tracker("facet vs trigger point", "ask_compare"), {})
    assert len(dispatcher.messages) == 1
    assert "spinal facet joint" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/ask_more_detail"
    assert events == [SlotSet("topic", "compare"), SlotSet("detail_shown", False)]


def test_follow_up_uses_the_topic_slot():
    dispatcher = CollectingDispatcher()
    ActionAnswer().run(
        dispatcher, tracker("how long does it last", "ask_how_long_lasts", topic="epidural"), {}
    )
    assert "weeks or even months" in dispatcher.messages[0]["text"]


def test_more_detail_puts_buttons_only_on_the_last_message():
    dispatcher = CollectingDispatcher()
    events = ActionAnswer().run(
        dispatcher, tracker("/ask_more_detail", "ask_more_detail", 1.0, topic="compare"), {}
    )
    assert len(dispatcher.messages) > 2
    assert all(not m["buttons"] for m in dispatcher.messages[:-1])
    assert dispatcher.messages[-1]["buttons"]
    assert SlotSet("detail_shown", True) in events


def test_a_message_without_intent_is_not_understood():
    dispatcher = CollectingDispatcher()
    empty = tracker("", "nlu_fallback")
    empty.latest_message = {}
    ActionAnswer().run(dispatcher, empty, {})
    assert "didn't understand" in dispatcher.messages[0]["text"]


def test_session_start_discloses_first():
    dispatcher = CollectingDispatcher()
    events = ActionSessionStart().run(dispatcher, tracker("", "greet"), {})
    assert "automated assistant" in dispatcher.messages[0]["text"]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


def test_the_widgets_session_start_right_after_rasa_opened_the_session_is_not_repeated():
    opened = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "bot", "text": "Hi, I'm the clinic's automated assistant"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "parse_data": {"intent": {"name": "session_start"}}},
    ]
    again = tracker("/session_start", "session_start")
    again.events = opened
    dispatcher = CollectingDispatcher()
    assert ActionSessionStart().run(dispatcher, again, {}) == [ActionExecuted("action_listen")]
    assert dispatcher.messages == []
    # Once the patient has said something, a new session is a new session.
    later = tracker("/session_start", "session_start")
    later.events = opened[:4] + [
        {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_listen"},
        opened[-1],
    ]
    ActionSessionStart().run(dispatcher, later, {})
    assert "automated assistant" in dispatcher.messages[0]["text"]


def after(last_action: str, text: str, intent: str) -> Tracker:
    """A tracker whose last action before the patient's message was `last_action`."""
    confirmation = "Your appointment request is booked. Confirmation code: K7M4XR"
    patient = tracker(text, intent, last_confirmation=confirmation)
    patient.events = [
        {"event": "user", "text": "yes"},
        {"event": "action", "name": last_action},
        {"event": "bot", "text": "..."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
    ]
    return patient


def test_a_yes_right_after_a_booking_gets_the_confirmation_again():
    dispatcher = CollectingDispatcher()
    assert ActionAnswer().run(dispatcher, after("action_booking_done", "yes", "affirm"), {}) == []
    assert [m["text"] for m in dispatcher.messages] == [
        "Your appointment request is booked. Confirmation code: K7M4XR"
    ]


def test_a_yes_elsewhere_or_another_message_after_a_booking_is_answered_as_usual():
    for patient in (
        after("action_answer", "yes", "affirm"),
        after("action_booking_done", "what is a facet injection", "ask_treatment"),
    ):
        dispatcher = CollectingDispatcher()
        ActionAnswer().run(dispatcher, patient, {})
        assert "K7M4XR" not in " ".join(m["text"] or "" for m in dispatcher.messages)
