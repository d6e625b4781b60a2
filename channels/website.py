"""The website's chat widget: Rasa's socket.io channel, open only to the clinic's own pages.

Rasa's own channel accepts a socket from any web page. This one checks the page's origin:
those in CLINIC_WIDGET_ORIGINS (comma-separated, such as "https://www.example-clinic.org"),
or, when that is not set, the demo page that ./run serves from the same host on
CLINIC_WEB_PORT (8000). Everything else about the channel is Rasa's.

Sockets stay on HTTP long-polling: Sanic 21.12 (Rasa 3.6's) breaks a WebSocket on Python
3.11 ("Passing coroutines is forbidden" in its recv), and an upgraded socket then drops
every message.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

DEFAULT_WEB_PORT = 8000


class WebsiteInput(SocketIOInput):
    """socket.io for the widget, with the page's origin checked."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        # engine.io checks the Origin header of every request against this callable.
        self.sio.eio.cors_allowed_origins = accepts_origin
        self.sio.eio.allow_upgrades = False  # see above: no WebSocket on Sanic 21.12 here
        return blueprint


def accepts_origin(origin: str | None, environ: dict[str, Any]) -> bool:
    return allowed_origin(
        origin,
        environ.get("HTTP_HOST", ""),
        os.environ.get("CLINIC_WIDGET_ORIGINS", ""),
        int(os.environ.get("CLINIC_WEB_PORT", DEFAULT_WEB_PORT)),
    )


def allowed_origin(origin: str | None, host: str, configured: str, web_port: int) -> bool:
    """Whether a page at `origin` may talk to the assistant reached as `host`."""
    if not origin:
        return False
    origin = origin.strip().rstrip("/").lower()
    listed = {o.strip().rstrip("/").lower() for o in configured.split(",") if o.strip()}
    if listed:
        return origin in listed
    try:
        page, server = urlsplit(origin), urlsplit(f"//{host}")
        return (
            page.scheme in ("http", "https")
            and page.hostname is not None
            and page.hostname == server.hostname
            and (page.port or {"http": 80, "https": 443}[page.scheme]) == web_port
        )
    except ValueError:  # a malformed port or address
        return False
