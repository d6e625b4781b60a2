"""channels.action_client: Rasa's requests to the action server over kept-alive connections.

A real HTTP server on a free port stands in for the action server; it records the client's
port of every request, which tells whether a connection was reused.
"""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from channels.action_client import KeptAliveEndpoint


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def serve(port: int, seen: list) -> web.AppRunner:
    async def webhook(request: web.Request) -> web.Response:
        seen.append((request.transport.get_extra_info("peername")[1], request.headers.copy()))
        return web.json_response({"events": [], "responses": [], "got": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def endpoint(port: int) -> EndpointConfig:
    return EndpointConfig(url=f"http://127.0.0.1:{port}/webhook", headers={"X-Clinic": "1"})


@pytest.mark.parametrize("kept_alive", [True, False])
def test_connections_are_reused_only_when_kept_alive(kept_alive):
    async def scenario() -> list:
        port, seen = free_port(), []
        runner = await serve(port, seen)
        action = KeptAliveEndpoint.of(endpoint(port)) if kept_alive else endpoint(port)
        replies = [await action.request(json={"next_action": f"a{n}"}) for n in range(5)]
        assert [r["got"]["next_action"] for r in replies] == [f"a{n}" for n in range(5)]
        if kept_alive:
            await action.close()
        await runner.cleanup()
        return seen

    seen = asyncio.run(scenario())
    assert all(headers["X-Clinic"] == "1" for _, headers in seen)  # Rasa's headers kept
    assert len({port for port, _ in seen}) == (1 if kept_alive else 5)


def test_a_restarted_action_server_is_reached_again():
    async def scenario() -> list:
        port, seen = free_port(), []
        action = KeptAliveEndpoint.of(endpoint(port))
        runner = await serve(port, seen)
        await action.request(json={"n": 1})
        await runner.cleanup()  # the action server stops, its connections close
        runner = await serve(port, seen)
        reply = await action.request(json={"n": 2})
        await action.close()
        await runner.cleanup()
        return [reply["got"]["n"]]

    assert asyncio.run(scenario()) == [2]


def test_the_conversation_arrives_as_sent():
    sent = {"text": "café 🙂 a/b \u202e <x>", "n": [1, 2.5, None, True], "t": 1795857668.7162805}

    async def scenario() -> dict:
        port, seen = free_port(), []
        runner = await serve(port, seen)
        action = KeptAliveEndpoint.of(endpoint(port))
        reply = await action.request(json=sent)
        await action.close()
        await runner.cleanup()
        return reply["got"]

    assert asyncio.run(scenario()) == sent


def test_settings_are_carried_over():
    original = EndpointConfig(
        url="http://a/webhook", params={"p": 1}, token="t", enable_selective_domain=True
    )
    kept = KeptAliveEndpoint.of(original)
    assert (kept.url, kept.params, kept.token) == ("http://a/webhook", {"p": 1}, "t")
    assert kept.kwargs == {"enable_selective_domain": True}
    assert KeptAliveEndpoint.of(kept) is kept and KeptAliveEndpoint.of(None) is None


def test_the_domain_is_not_sent_unless_the_endpoints_file_asks_for_it():
    # helm's chart writes the action endpoint's URL alone: the default must hold there too
    from rasa.core.actions.action import RemoteAction

    unset = KeptAliveEndpoint.of(EndpointConfig(url="http://a/webhook"))
    assert unset.kwargs == {"enable_selective_domain": True}
    assert RemoteAction("action_answer", unset)._is_selective_domain_enabled()
    asked = KeptAliveEndpoint.of(
        EndpointConfig(url="http://a/webhook", enable_selective_domain=False)
    )
    assert asked.kwargs == {"enable_selective_domain": False}
