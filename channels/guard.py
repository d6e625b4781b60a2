"""What every channel checks before a message reaches the assistant, in one place.

- the sender's rate (clinic.rate_limit: CLINIC_RATE_LIMIT, shared through CLINIC_REDIS_URL);
- the text (clinic.inbound: control characters dropped, empty and over-long messages
  answered here, red flags in a long message still passed on);
- which web pages may call the assistant (CLINIC_WIDGET_ORIGINS, or the demo page on the
  same host at CLINIC_WEB_PORT), for the socket.io channel and for CORS alike.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from clinic import inbound, rate_limit, red_flag_model
from clinic.content import Content, load_content
from clinic.safety import RedFlagDetector

DEFAULT_WEB_PORT = 8000
MAX_SENDER_CHARS = 128


@dataclass(frozen=True)
class Admission:
    """The channel's verdict: pass `text` on, or send `reply` (and wait `retry_after` s)."""

    text: str | None
    reply: str | None = None
    retry_after: int = 0


@lru_cache(maxsize=1)
def content() -> Content:
    return load_content()


@lru_cache(maxsize=1)
def _detector() -> RedFlagDetector:
    return red_flag_model.detector(content().red_flags)


@lru_cache(maxsize=1)
def _limiter() -> rate_limit.RateLimiter:
    return rate_limit.from_environment()


def admit(sender: str, text: object) -> Admission:
    """Whether and what to pass on from `sender`: the rate limit first, then the text."""
    wait = _limiter().retry_after(sender)
    if wait:
        return Admission(None, content().reply("inbound.slow_down"), wait)
    screened = inbound.screen(text, lambda part: _detector().detect(part) is not None)
    if screened.text is None:
        return Admission(None, content().reply(screened.reply))
    return Admission(screened.text)


async def admit_async(sender: str, text: object) -> Admission:
    """`admit`, with a long text searched for red flags off the event loop."""
    if isinstance(text, str) and len(text) > inbound.MAX_CHARS:
        return await asyncio.to_thread(admit, sender, text)
    return admit(sender, text)


def no_reply() -> str:
    """What to say when a turn produced nothing (the action server down, say)."""
    return content().reply("inbound.no_reply")


def clean_sender(sender: object) -> str | None:
    """A usable sender id, or None: a non-empty string (or number) of printable characters."""
    if isinstance(sender, bool) or not isinstance(sender, str | int):
        return None
    sender = str(sender).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return None
    return sender


def configured_origins() -> str:
    """CLINIC_WIDGET_ORIGINS: the clinic's pages, comma-separated ("" when unset)."""
    return os.environ.get("CLINIC_WIDGET_ORIGINS", "")


def _normal(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def parse_origins(configured: str) -> list[str]:
    """The origins listed in `configured`, normalised."""
    return [_normal(o) for o in configured.split(",") if o.strip()]


def web_port() -> int:
    return int(os.environ.get("CLINIC_WEB_PORT", DEFAULT_WEB_PORT))


def allowed_origin(origin: str | None, host: str, configured: str, port: int) -> bool:
    """Whether a page at `origin` may talk to the assistant reached as `host`."""
    if not origin:
        return False
    origin = _normal(origin)
    listed = parse_origins(configured)
    if listed:
        return origin in listed
    try:
        page, server = urlsplit(origin), urlsplit(f"//{host}")
        return (
            page.scheme in ("http", "https")
            and page.hostname is not None
            and page.hostname == server.hostname
            and (page.port or {"http": 80, "https": 443}[page.scheme]) == port
        )
    except ValueError:  # a malformed port or address
        return False
