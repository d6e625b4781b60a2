"""The NLU in a process of its own: `python -m channels.nlu_worker --model M --socket S`.

The clinic's Rasa server (channels.server) starts one beside itself (channels.nlu_client),
so that reading a message (spaCy, DIET, the red-flag rules and backstop) runs on a second
core while the server runs the conversation: one Rasa process is bound by one core.

It answers POST /parse {"text": ...} with Rasa's own parse of the text by the same model,
and listens only on a Unix socket that only this user can open: no port, no token. It sets
up its logs as the server does (channels.server.set_up_process: redacted), never logs the
text, and exits when the server that started it is gone, removing its socket then.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal

logger = logging.getLogger("channels.nlu_worker")  # also when run as __main__
MAX_TEXT_BYTES = 1_000_000  # the server refuses bigger requests before they get here


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m channels.nlu_worker", description=__doc__)
    parser.add_argument("--model", required=True, help="the model the server runs")
    parser.add_argument("--socket", required=True, help="the Unix socket to listen on")
    parser.add_argument("--parent", type=int, default=None, help="exit when this pid is gone")
    parser.add_argument("--debug", action="store_true", help="DEBUG logs (still redacted)")
    return parser.parse_args(argv)


def load_parser(model: str):
    """A function from a text to Rasa's parse data, with the model's NLU, and the model's
    id (the server checks that it runs the same)."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = Agent.load(model).processor
    # The NLU part of the graph does not read the conversation; Rasa still wants one.
    tracker = DialogueStateTracker.from_events("nlu-worker", [])

    def parse(text: str) -> dict:
        return processor._parse_message_with_graph(UserMessage(text), tracker)

    return parse, processor.model_metadata.model_id


def make_app(parse, model_id: str):
    """The worker's HTTP app: POST /parse and GET /health."""
    from aiohttp import web

    async def parse_handler(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            text = body["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
        except (ValueError, KeyError, TypeError) as error:
            return web.json_response({"error": f"bad request ({type(error).__name__})"}, status=400)
        return web.json_response(parse(text))

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "model_id": model_id})

    app = web.Application(client_max_size=MAX_TEXT_BYTES)
    app.router.add_post("/parse", parse_handler)
    app.router.add_get("/health", health)
    return app


async def serve(parse, model_id: str, socket_path: str, parent: int | None) -> None:
    """Serve until SIGTERM (or SIGINT when no parent is named), or until the parent process
    is gone."""
    from aiohttp import web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    if parent is None:
        loop.add_signal_handler(signal.SIGINT, stop.set)
    else:  # Ctrl-C reaches the whole process group: the server stops its worker itself
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    runner = web.AppRunner(make_app(parse, model_id), access_log=None, handle_signals=False)
    await runner.setup()
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    await web.UnixSite(runner, socket_path).start()
    os.chmod(socket_path, 0o600)
    logger.info("The NLU worker is ready")
    orphaned = False
    try:
        while not stop.is_set():
            if parent is not None and os.getppid() != parent:
                logger.info("The Rasa server that started this NLU worker is gone")
                orphaned = True
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1)
    finally:
        await runner.cleanup()
    if orphaned:
        remove_socket(socket_path)


def remove_socket(socket_path: str) -> None:
    """Remove the socket and its directory, which a server killed outright could not: only
    when the directory holds nothing else (a server that lives on starts workers there)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_path)
    with contextlib.suppress(OSError):  # not empty, or gone already
        os.rmdir(os.path.dirname(socket_path))


def main(argv: list[str] | None = None) -> None:
    from channels.server import set_up_process

    args = parse_args(argv)
    set_up_process(args.debug)
    logger.info("Loading the model into the NLU worker")
    parse, model_id = load_parser(args.model)
    asyncio.run(serve(parse, model_id, args.socket, args.parent))


if __name__ == "__main__":
    main()
