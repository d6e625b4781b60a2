"""The website's chat widget: Rasa's socket.io channel, open only to the clinic's own pages.

Rasa's own channel accepts a socket from any web page. This one checks the page's origin
(channels.guard: CLINIC_WIDGET_ORIGINS, comma-separated, such as
"https://www.example-clinic.org", or, when that is not set, the demo page that ./run serves
from the same host on CLINIC_WEB_PORT). Each message passes the guard (rate limit, text
checks) first, a malformed one gets a reply instead of an error, and a turn that produced
no reply (the action server down) gets an apology with the clinic's number.

Sockets stay on HTTP long-polling: Sanic 21.12 (Rasa 3.6's) breaks a WebSocket on Python
3.11 ("Passing coroutines is forbidden" in its recv), and an upgraded socket then drops
every message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels import guard


class WebsiteInput(SocketIOInput):
    """socket.io for the widget, with the page's origin and every message checked."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        # engine.io checks the Origin header of every request against this callable.
        self.sio.eio.cors_allowed_origins = accepts_origin
        self.sio.eio.allow_upgrades = False  # see above: no WebSocket on Sanic 21.12 here
        # The server's CORS (channels/server.py) already answers every response for the
        # same pages; engine.io's headers on top would make two Access-Control-Allow-Origin
        # headers, which browsers refuse. engine.io still turns other origins away.
        self.sio.eio._cors_headers = lambda environ: []
        # Replaces Rasa's handler of the same event.
        self.sio.on(self.user_message_evt, handler=self._handler(on_new_message))
        return blueprint

    def _handler(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        async def handle_message(sid: str, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            session = data.get("session_id") if self.session_persistence else sid
            sender = guard.clean_sender(session)
            if sender is None:  # Rasa's client always sends one: nothing to answer to
                await self.sio.emit(self.bot_message_evt, {"text": guard.no_reply()}, room=sid)
                return
            admission = await guard.admit_async(sender, data.get("message"))
            if admission.text is None:
                await self.sio.emit(self.bot_message_evt, {"text": admission.reply}, room=sender)
                return
            metadata = data.get(self.metadata_key)
            output = CountingOutput(self.sio, self.bot_message_evt)
            await on_new_message(
                UserMessage(
                    admission.text, output, sender, input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else None,
                )
            )  # fmt: skip
            # "/session_start" only opens the conversation: silence is its right answer.
            if not output.sent and not admission.text.startswith("/session_start"):
                await self.sio.emit(self.bot_message_evt, {"text": guard.no_reply()}, room=sender)

        return handle_message


class CountingOutput(SocketIOOutput):
    """Rasa's socket.io output, counting what it sent."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)


def accepts_origin(origin: str | None, environ: dict[str, Any]) -> bool:
    return guard.allowed_origin(
        origin, environ.get("HTTP_HOST", ""), guard.configured_origins(), guard.web_port()
    )
