"""clinic.knowledge: which words the assistant answers with, for each kind of message."""

from __future__ import annotations

import pytest

from clinic.sms import SMS_LIMIT

PHONE = "972-596-1059"


def reply_text(reply) -> str:
    return " ".join(reply.texts)


def test_disclosure_says_automated_not_medical_advice_and_emergency(knowledge):
    text = knowledge.disclosure()
    assert "automated assistant" in text
    assert "can't give medical advice" in text
    assert "911" in text and PHONE in text


def test_facet_vs_trigger_point_gives_the_difference(knowledge):
    reply = knowledge.respond("ask_compare", 0.99, "whats the diff between facet and trigger pt")
    text = reply_text(reply)
    assert "anti-inflammatory medication" in text and "spinal facet joint" in text
    assert "muscle spasms" in text
    assert reply.topic == "compare"
    assert [b["payload"] for b in reply.buttons] == ["/ask_more_detail", "/request_appointment"]


def test_compare_any_two_treatments_named(knowledge):
    text = reply_text(knowledge.respond("ask_compare", 0.9, "ESI vs SI joint which is which"))
    assert "Epidural steroid injections" in text and "Sacroiliac (SI) joint" in text
    assert "facet" not in text.lower()


def test_compare_with_no_treatment_named_is_the_article_s_main_question(knowledge):
    text = reply_text(knowledge.respond("ask_compare", 0.9, "how do the two shots differ"))
    assert "Facet injections" in text and "Trigger point injections" in text
    in_context = knowledge.respond("ask_compare", 0.9, "and the difference?", topic="facet")
    assert "Trigger point injections" in reply_text(in_context)


def test_compare_of_things_that_are_not_treatments_asks_which(knowledge):
    reply = knowledge.respond("ask_compare", 0.95, "are white and brown eggs any different")
    assert "Which treatment do you mean?" in reply_text(reply)


def test_a_named_treatment_corrects_a_confused_classifier(knowledge):
    reply = knowledge.respond("ask_facet", 0.6, "what is an SI joint shot")
    assert reply.topic == "sacroiliac"
    assert "low back and leg pain" in reply_text(reply)


def test_two_treatments_named_in_a_treatment_question_are_compared(knowledge):
    reply = knowledge.respond("ask_epidural", 0.7, "epidural or spinal cord stimulator?")
    assert reply.topic == "compare"
    assert "electrical pulses" in reply_text(reply)


@pytest.mark.parametrize(
    "intent, words",
    [
        ("ask_fluoroscopy", ["fluoroscopy", "contrast dye"]),
        ("ask_non_surgical", ["non-surgical", "long-term"]),
        ("ask_spinal_cord_stimulation", ["electrical pulses"]),
        ("ask_sympathetic_block", ["sympathetic nerves"]),
        ("ask_epidural", ["lumbar, thoracic and cervical", "weeks or even months"]),
        ("ask_procedure", ["outpatient", "one to two days"]),
        ("ask_no_relief", ["additional treatment session"]),
        ("ask_failed_back", ["postlaminectomy"]),
        ("ask_telehealth", ["remotely"]),
    ],
)
def test_topic_answers(knowledge, intent, words):
    text = reply_text(knowledge.respond(intent, 0.95, "question"))
    for word in words:
        assert word in text


def test_every_reply_fits_an_sms(knowledge):
    for intent in knowledge.intents():
        for topic in (None, "epidural", "compare"):
            reply = knowledge.respond(intent, 0.95, "facet", topic=topic)
            assert all(0 < len(text) <= SMS_LIMIT for text in reply.texts), intent


@pytest.mark.parametrize(
    "intent",
    ["ask_cost", "ask_side_effects", "ask_recovery", "ask_personal_advice", "ask_not_covered"],
)
def test_silent_topics_are_answered_honestly_with_the_phone(knowledge, intent):
    text = reply_text(knowledge.respond(intent, 0.95, "how much is it", topic="facet"))
    assert PHONE in text
    assert "can't" in text or "doesn't cover" in text


def test_personal_advice_never_diagnoses(knowledge):
    text = reply_text(knowledge.respond("ask_personal_advice", 0.9, "what do i have"))
    assert "can't diagnose" in text


def test_how_long_it_lasts_follows_the_topic(knowledge):
    epidural = knowledge.respond("ask_how_long_lasts", 0.9, "how long does it last", "epidural")
    assert "weeks or even months" in reply_text(epidural)
    facet = knowledge.respond("ask_how_long_lasts", 0.9, "how long does it last", "facet")
    assert "doesn't say how long relief from facet injections lasts" in reply_text(facet)
    assert PHONE in reply_text(facet)


def test_how_long_it_lasts_prefers_a_named_treatment(knowledge):
    reply = knowledge.respond("ask_how_long_lasts", 0.9, "how long does an ESI last", "facet")
    assert reply.topic == "epidural"


def test_how_long_the_spine_shots_last_without_a_topic(knowledge):
    reply = knowledge.respond("ask_how_long_lasts", 0.9, "how long do the spine shots last")
    assert reply.topic == "treatments"
    assert "weeks or even months" in reply_text(reply)


def test_how_it_works_needs_a_subject(knowledge):
    which = knowledge.respond("ask_how_it_works", 0.9, "how does it work")
    assert "Which treatment" in reply_text(which)
    trigger = knowledge.respond("ask_how_it_works", 0.9, "how does it work", "trigger_point")
    assert "ability to contract" in reply_text(trigger)


def test_more_detail_quotes_the_article_then_says_that_is_all(knowledge, content):
    first = knowledge.respond("ask_more_detail", 1.0, "/ask_more_detail", "fluoroscopy")
    assert first.detail_shown
    assert content.passages["facet-guidance"].text.startswith(first.texts[1][:40])
    again = knowledge.respond("ask_more_detail", 1.0, "more", "fluoroscopy", detail_shown=True)
    assert "That's all" in reply_text(again) and PHONE in reply_text(again)


def test_yes_after_an_answer_gives_more_detail(knowledge):
    reply = knowledge.respond("affirm", 0.9, "yes", "epidural")
    assert reply.texts[0] == "From the clinic's article:"


def test_low_confidence_without_a_clinic_term_is_not_answered_from_the_article(knowledge):
    reply = knowledge.respond("ask_telehealth", 0.55, "what's the weather in paris")
    assert "didn't understand" in reply_text(reply)
    assert "remotely" not in reply_text(reply)


def test_low_confidence_with_a_clinic_term_is_answered(knowledge):
    reply = knowledge.respond("ask_yoga", 0.55, "yoga pozes for my bak")
    assert reply.topic == "yoga"


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
def test_off_topic_gets_no_article_content(knowledge, content, intent):
    text = reply_text(knowledge.respond(intent, 0.9, "book me a tee time"))
    for passage in content.passages.values():
        assert passage.text[:30] not in text
    assert "Sorry" in text


def test_bot_challenge_is_truthful(knowledge):
    assert "not a person" in reply_text(knowledge.respond("bot_challenge", 0.9, "r u human"))


def test_an_unknown_intent_is_not_guessed(knowledge):
    assert "didn't understand" in reply_text(knowledge.respond("no_such_intent", 0.99, "x"))


def test_an_unsure_nlu_s_topic_guess_is_answered_only_with_evidence(knowledge):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "ask_yoga", "confidence": 0.28},
        {"name": "greet", "confidence": 0.2},
    ]
    yoga = knowledge.respond(
        "nlu_fallback", 0.3, "could u suggest yoga for my back", ranking=ranking
    )
    assert yoga.topic == "yoga"
    weather = knowledge.respond("nlu_fallback", 0.3, "whats the forecast", ranking=ranking)
    assert "didn't understand" in reply_text(weather)
    # Small talk is no topic: an unsure "yo" is greeted (see the small-talk test below).
    greeting = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "greet", "confidence": 0.29}]
    assert reply_text(knowledge.respond("nlu_fallback", 0.3, "yo", ranking=greeting)).startswith(
        "Hello!"
    )


@pytest.mark.parametrize(
    "text, answered",
    [
        ("whats your phone number", True),
        ("how do i call the clinic", True),
        ("what number do i call", True),
        ("phone number?", True),
        ("can i talk to the nurse", True),
        ("add mary to my phone plan, please", False),
        ("answer the phone", False),
        ("read the phone number for mom in my phone contacts", False),
        ("how much data does my phone have left", False),
    ],
)
def test_the_clinics_number_is_only_given_for_the_clinic(knowledge, text, answered):
    reply = reply_text(knowledge.respond("ask_contact", 0.95, text))
    assert ("for a pain management consultation" in reply) is answered, reply
    assert PHONE in reply  # the not-understood reply gives the number too


def test_a_short_unsure_message_that_looks_like_small_talk_gets_the_small_talk_reply(knowledge):
    def ranking(first: str) -> list[dict]:
        return [
            {"name": "nlu_fallback", "confidence": 0.3},
            {"name": first, "confidence": 0.25},
            {"name": "ask_facet", "confidence": 0.2},
        ]

    goodbye = knowledge.respond("goodbye", 1.0, "bye").texts
    assert (
        knowledge.respond("nlu_fallback", 0.3, "gtg", ranking=ranking("goodbye")).texts == goodbye
    )
    not_understood = knowledge.respond("nlu_fallback", 0.3, "").texts
    longer = "so what happens to my account after i leave"
    assert knowledge.respond("nlu_fallback", 0.3, longer, ranking=ranking("goodbye")).texts == (
        not_understood
    )
    # Never small talk in place of a question that names the clinic's subject.
    reply = knowledge.respond("nlu_fallback", 0.3, "epidural ok?", ranking=ranking("affirm"))
    assert reply.texts != knowledge.respond("affirm", 1.0, "ok").texts


def test_a_short_unsure_message_is_not_read_as_a_form_answer_outside_the_form(knowledge):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "inform", "confidence": 0.3},
        {"name": "deny", "confidence": 0.27},
    ]
    deny = knowledge.respond("deny", 1.0, "no").texts
    assert knowledge.respond("nlu_fallback", 0.3, "noo", ranking=ranking).texts == deny
    # With no small talk among the other guesses, it is still not understood.
    topics = [*ranking[:2], {"name": "ask_facet", "confidence": 0.2}]
    not_understood = knowledge.respond("nlu_fallback", 0.3, "").texts
    assert knowledge.respond("nlu_fallback", 0.3, "2", ranking=topics).texts == not_understood
