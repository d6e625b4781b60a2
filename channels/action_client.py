"""Calls to the action server over kept-alive connections.

Rasa 3.6 opens a new HTTP client session, and so a new TCP connection, for every custom
action it runs (EndpointConfig.request), several times per message in a booking. This
endpoint keeps one client session per event loop and reuses its connections. Idle
connections are closed by this side after IDLE_SECONDS, before the action server's own
keep-alive timeout (Sanic's default is 5 s) can close one just as a request goes out on
it. The conversation sent with each call is written with ujson (the same JSON, about three
times faster than the standard library for these payloads). Everything else (URL, headers,
token, timeouts, errors) is Rasa's own.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import ujson
from rasa.core.actions.constants import SELECTIVE_DOMAIN
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

IDLE_SECONDS = 2.0


class _Borrowed:
    """`async with` over a shared session, which stays open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


class KeptAliveEndpoint(EndpointConfig):
    """An EndpointConfig whose requests share one client session per event loop."""

    _shared: dict[int, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]]

    @classmethod
    def of(cls, endpoint: EndpointConfig | None) -> EndpointConfig | None:
        if endpoint is None or isinstance(endpoint, cls):
            return endpoint
        kept = cls(
            url=endpoint.url, params=endpoint.params, headers=endpoint.headers,
            basic_auth=endpoint.basic_auth, token=endpoint.token,
            token_name=endpoint.token_name, cafile=endpoint.cafile,
            **{SELECTIVE_DOMAIN: True, **endpoint.kwargs},
        )  # fmt: skip
        kept.type = endpoint.type
        return kept

    def session(self) -> Any:
        loop = asyncio.get_running_loop()
        shared = self.__dict__.setdefault("_shared", {})
        entry = shared.get(id(loop))
        if entry is None or entry[0] is not loop or entry[1].closed:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
                json_serialize=ujson.dumps,
            )  # fmt: skip
            shared[id(loop)] = entry = (loop, session)
        return _Borrowed(entry[1])

    async def close(self) -> None:
        """Close this loop's session (at server stop)."""
        entry = self.__dict__.get("_shared", {}).pop(id(asyncio.get_running_loop()), None)
        if entry is not None:
            await entry[1].close()
