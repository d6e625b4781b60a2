"""SMS over Twilio, with signed webhooks and inline TwiML replies.

POST /webhooks/twilio_sms/webhook. A request whose X-Twilio-Signature doesn't check out
against TWILIO_AUTH_TOKEN gets 403 and is not processed. Replies go back in the response as
TwiML (no outbound API call); quick replies become numbered options, and a reply of "1",
"2" ... is mapped back to the option's payload. STOP, START and HELP (and synonyms) are
handled here, and opt-outs are stored in the booking database. Other messages pass
channels.guard first (a sender over the rate limit gets no reply: each would be a paid text).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels import guard
from clinic import opt_outs, sms
from clinic.db import session_factory, upgrade
from clinic.schedule import Schedule

logger = logging.getLogger(__name__)
MAX_BODY = 1600  # Twilio's own limit for one incoming message


class TwilioSmsInput(InputChannel):
    """Twilio's SMS webhook, checked with the twilio library's request signing."""

    @classmethod
    def name(cls) -> str:
        return "twilio_sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioSmsInput:
        credentials = credentials or {}
        return cls(
            auth_token=credentials.get("auth_token") or os.environ.get("TWILIO_AUTH_TOKEN", ""),
            public_url=credentials.get("webhook_url") or os.environ.get("TWILIO_WEBHOOK_URL"),
        )

    def __init__(self, auth_token: str, public_url: str | None = None) -> None:
        self.validator = RequestValidator(auth_token) if auth_token else None
        self.public_url = public_url  # the URL Twilio calls, when behind a proxy
        self.content = guard.content()  # read once per process, shared with the guard
        upgrade()
        self.database = session_factory()
        self.schedule = Schedule.from_config(self.content.schedule)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("twilio_sms_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            params = form_params(request)
            if not self._signed(request, params):
                return response.text("Forbidden", status=403)
            sender, text = params.get("From", "").strip(), params.get("Body", "")[:MAX_BODY]
            if not sender:
                return response.text("Missing From", status=400)
            return response.text(
                await self._safe_reply(request, on_new_message, sender, text),
                content_type="application/xml",
            )

        return hook

    def _signed(self, request: Request, params: dict[str, str]) -> bool:
        if self.validator is None:
            logger.error("TWILIO_AUTH_TOKEN is not set: refusing every SMS webhook call")
            return False
        url = self.public_url or request.url
        return self.validator.validate(url, params, request.headers.get("X-Twilio-Signature", ""))

    async def _safe_reply(self, request: Request, on_new_message, sender: str, text: str) -> str:
        """The reply, or an apology with the phone when the database (opt-outs) is down."""
        try:
            return await self._reply(request, on_new_message, sender, text)
        except SQLAlchemyError as error:  # only the class: its text may quote the number
            logger.warning("SMS: the booking database failed (%s)", type(error).__name__)
            twiml = MessagingResponse()
            twiml.message(guard.no_reply())
            return str(twiml)

    async def _reply(self, request: Request, on_new_message, sender: str, text: str) -> str:
        twiml = MessagingResponse()
        word = sms.keyword(text)
        if word == "stop":
            opt_outs.opt_out(self.database, sender, self.schedule.now())
            twiml.message(self.content.reply("sms.stopped"))
            return str(twiml)
        if word == "start":
            opt_outs.opt_in(self.database, sender)
            twiml.message(self.content.reply("sms.started"))
            return str(twiml)
        if word == "help":
            twiml.message(self.content.reply("sms.help"))
            return str(twiml)
        if opt_outs.is_opted_out(self.database, sender):
            return str(twiml)  # honour STOP: process and send nothing
        admission = await guard.admit_async(sender, text)
        if admission.retry_after:  # a flood: every reply would be a paid text, so none
            logger.warning("an SMS sender is over the rate limit; not replying")
            return str(twiml)
        if admission.text is None:
            twiml.message(admission.reply)
            return str(twiml)
        text = await self._option_payload(request, sender, admission.text) or admission.text
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(text, collector, sender, input_channel=self.name(), metadata=None)
            )
        except Exception:  # noqa: BLE001 - logged (redacted); the patient gets an apology
            logger.exception("an SMS turn failed")
        if not collector.messages:
            collector.messages.append({"text": guard.no_reply()})
        for message in collector.messages:
            titles = [b["title"] for b in message.get("buttons") or []]
            body = sms.with_options(message.get("text") or "", titles)
            for part in sms.sms_parts(body):  # no message longer than two segments
                twiml.message(part)
        return str(twiml)

    async def _option_payload(self, request: Request, sender: str, text: str) -> str | None:
        """The payload of the numbered option the patient replied with, if any."""
        if not text.strip().rstrip(".").isdigit():
            return None
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return None
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            return None
        for event in reversed(tracker.events):
            if getattr(event, "type_name", "") == "bot":
                buttons = (event.data or {}).get("buttons") or []
                return sms.chosen_option(text, [b["payload"] for b in buttons])
        return None


def form_params(request: Request) -> dict[str, str]:
    """The webhook's form fields, blank ones included: Twilio signs them all (an MMS with
    only a picture has Body=), and Sanic's request.form drops them."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    try:
        fields = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {key: values[0] for key, values in fields.items()}
