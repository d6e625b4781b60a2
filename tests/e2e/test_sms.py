"""End to end: SMS webhooks signed with the twilio library's own RequestValidator."""

from __future__ import annotations

import sqlite3
import uuid
import xml.etree.ElementTree as ElementTree

import requests
from twilio.request_validator import RequestValidator

from clinic.db import session_factory
from clinic.opt_outs import is_opted_out
from clinic.sms import segments
from tests.e2e.conftest import TWILIO_TOKEN

URL = "http://localhost:5005/webhooks/twilio_sms/webhook"


def send(
    sender: str, body: str, token: str = TWILIO_TOKEN, signed: bool = True
) -> requests.Response:
    params = {
        "From": sender,
        "Body": body,
        "To": "+19725550000",
        "MessageSid": "SM" + uuid.uuid4().hex,
    }
    headers = {}
    if signed:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(URL, params)
    return requests.post(URL, data=params, headers=headers, timeout=60)


def texts(reply: requests.Response) -> list[str]:
    assert reply.status_code == 200, reply.text
    return [m.text or "" for m in ElementTree.fromstring(reply.text).iter("Message")]


def number() -> str:
    return f"+1469555{uuid.uuid4().int % 10000:04d}"


def test_forged_and_unsigned_requests_are_refused(server):
    assert send(number(), "hi", token="not-the-token").status_code == 403
    assert send(number(), "hi", signed=False).status_code == 403


def test_a_signed_request_is_answered_in_twiml_with_numbered_options(server):
    sender = number()
    answer = texts(send(sender, "what is an ESI"))
    assert "automated assistant" in answer[0]
    assert "lumbar, thoracic and cervical" in " ".join(answer)
    assert answer[-1].endswith("Reply 1 for More detail, 2 for Book a visit.")
    assert all(segments(text) <= 2 for text in answer)  # long replies are split
    assert "request an appointment" in " ".join(texts(send(sender, "2")))


def test_stop_is_honoured_until_start(server):
    sender = number()
    texts(send(sender, "hello"))
    assert "Text START" in texts(send(sender, "STOP"))[0]
    assert texts(send(sender, "what is a facet injection")) == []
    assert is_opted_out(session_factory(f"sqlite:///{server['database']}"), sender)
    with sqlite3.connect(server["database"]) as db:  # the number only as a hash and a token
        stored = repr(db.execute("SELECT phone_hash, phone FROM sms_opt_outs").fetchall())
    assert "gAAAAA" in stored and sender[1:] not in stored and sender[-7:] not in stored
    assert "subscribed again" in texts(send(sender, "start"))[0]
    assert any("spinal facet joint" in t for t in texts(send(sender, "what is a facet injection")))
    assert "Text STOP" in texts(send(sender, "help"))[0]


def test_a_booking_by_sms_offers_the_sender_s_number(server):
    sender = f"+146955501{uuid.uuid4().int % 100:02d}"  # a new conversation each run
    for body in (
        "book",
        "knee pain",
        "new",
        "skip",
        "skip",
        "skip",
        "skip",
        "Ann Lee",
        "07/04/1950",
    ):
        answer = texts(send(sender, body))
    assert f"Reply 1 for Use (469) 555-01{sender[-2:]}." in answer[-1]
    assert "email" in " ".join(texts(send(sender, "1")))
