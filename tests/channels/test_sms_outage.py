"""The SMS channel when the booking database (which holds the opt-outs) is down."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ElementTree

from channels.twilio_sms import TwilioSmsInput
from clinic.db import session_factory

# Nothing listens on port 1: every connection is refused, as in an outage.
DOWN = "postgresql://postgres@127.0.0.1:1/clinic?connect_timeout=1"


def messages(twiml: str) -> list[str]:
    return [m.text or "" for m in ElementTree.fromstring(twiml).iter("Message")]


def test_a_database_outage_gets_an_apology_with_the_phone(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'clinic.db'}")
    channel = TwilioSmsInput(auth_token="test-token")
    channel.database = session_factory(DOWN)
    turns = []

    async def on_new_message(message) -> None:
        turns.append(message)

    for text in ("STOP", "START", "what is a facet injection"):
        reply = asyncio.run(channel._safe_reply(None, on_new_message, "+14695550111", text))
        [text_sent] = messages(reply)
        assert "try again" in text_sent and channel.content.clinic["phone"] in text_sent
        assert "4695550111" not in text_sent
    assert turns == []  # nothing reached the assistant without its opt-out checked
