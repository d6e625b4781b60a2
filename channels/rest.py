"""The REST channel (POST /webhooks/rest/webhook), strict about what it accepts.

Rasa's own REST channel passes anything on: a body that isn't JSON, a missing sender or a
number as the message end in a server error or a conversation named "None". This one
answers malformed requests with a 4xx and a JSON reason, passes every message through
channels.guard (429 with Retry-After past the sender's rate limit; empty and over-long
messages answered without a turn), and never leaves the patient with no reply: a turn
that produced nothing (the action server down) gets an apology with the clinic's number.

Request:  {"sender": "patient-1", "message": "hello", "metadata": {...}}  (metadata optional)
Response: [{"recipient_id": "patient-1", "text": "...", "buttons": [...]}, ...]
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import guard

logger = logging.getLogger(__name__)


def problem(status: int, reason: str, **headers: str) -> HTTPResponse:
    """A JSON error reply: {"error": reason}."""
    return response.json({"error": reason}, status=status, headers=headers or None)


class RestInput(InputChannel):
    """Rasa's REST channel, with the request checked and the guard applied."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("clinic_rest_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body, error = read_body(request)
            if error is not None:
                return error
            sender = guard.clean_sender(body.get("sender"))
            if sender is None:
                return problem(400, "'sender' must be a non-empty string of printable text")
            if not isinstance(body.get("message"), str):
                return problem(400, "'message' must be a string")
            metadata = body.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return problem(400, "'metadata' must be an object")
            admission = await guard.admit_async(sender, body["message"])
            if admission.retry_after:
                reply = [{"recipient_id": sender, "text": admission.reply}]
                headers = {"Retry-After": str(admission.retry_after)}
                return response.json(reply, status=429, headers=headers)
            if admission.text is None:
                return response.json([{"recipient_id": sender, "text": admission.reply}])
            return response.json(await self._turn(on_new_message, sender, admission.text, metadata))

        return hook

    async def _turn(self, on_new_message, sender: str, text: str, metadata) -> list[dict]:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            )
        except CancelledError:
            logger.error("a REST turn timed out")
        except Exception:  # noqa: BLE001 - logged (redacted); the patient gets an apology
            logger.exception("a REST turn failed")
        if not collector.messages and not text.startswith("/session_start"):
            return [{"recipient_id": sender, "text": guard.no_reply()}]
        return collector.messages


def read_body(request: Request) -> tuple[dict, HTTPResponse | None]:
    """The request's JSON object, or the 4xx reply that explains what is wrong with it."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return {}, problem(415, "send JSON, with the header Content-Type: application/json")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return {}, problem(400, "the body is not valid JSON")
    if not isinstance(body, dict):
        return {}, problem(400, 'the body must be a JSON object: {"sender": ..., "message": ...}')
    return body, None
