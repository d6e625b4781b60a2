"""The Rasa server as the clinic runs it: `python -m channels.server` instead of `rasa run`.

It takes `rasa run`'s main options (--model, --port, --credentials, --endpoints,
--interface, --debug) and serves the same channels and HTTP API, with these differences:

- logs are redacted (clinic.redaction) before any handler sees them;
- the HTTP API needs CLINIC_API_TOKEN (as `?token=` or `Authorization: Bearer`); without
  one the server refuses to start rather than run an open API;
- its conversation endpoints (/conversations/..., which read and write patients'
  conversations) are closed unless CLINIC_CONVERSATIONS_API=open;
- CORS answers only the clinic's pages (channels.guard: CLINIC_WIDGET_ORIGINS, or the
  demo page), never "*";
- a request body over 1 MB is refused with 413 before it is read;
- calls to the action server reuse their connections (channels.action_client);
- messages are read (the NLU) by a worker process of its own on the next core
  (channels.nlu_client; CLINIC_NLU_WORKER=off keeps the NLU in this process);
- SANIC_WORKERS (with a Redis lock store, see deploy/) runs several worker processes.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import socket
from functools import partial

from clinic import redaction

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 1_000_000
CLOSED_PREFIXES = ("/conversations",)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m channels.server", description=__doc__)
    parser.add_argument("--model", "-m", default="models/clinic.tar.gz")
    parser.add_argument("--port", "-p", type=int, default=5005)
    parser.add_argument("--interface", "-i", default="0.0.0.0")
    parser.add_argument("--credentials", default="credentials.yml")
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--debug", action="store_true", help="DEBUG logs (still redacted)")
    return parser.parse_args(argv)


def api_token() -> str:
    """CLINIC_API_TOKEN; the server does not start without one."""
    token = os.environ.get("CLINIC_API_TOKEN", "").strip()
    if len(token) < 16:
        raise SystemExit(
            "CLINIC_API_TOKEN must be set (16 characters or more) to guard Rasa's HTTP API; "
            "./run makes one in var/secrets.env"
        )
    return token


def cors_origins() -> list[str]:
    """The origins CORS allows: the clinic's pages, or the demo page on this machine.

    The widget's socket checks origins the same way (channels.website), and relies on these
    headers.
    """
    from channels import guard

    listed = guard.parse_origins(guard.configured_origins())
    if listed:
        return listed
    port = guard.web_port()
    hosts = {"localhost", "127.0.0.1", socket.gethostname(), socket.getfqdn()}
    return sorted(f"http://{host}:{port}".lower() for host in hosts)


def guard_api(app, token: str) -> None:
    """Close the conversation endpoints, accept a bearer token, and limit the body size."""
    open_conversations = os.environ.get("CLINIC_CONVERSATIONS_API", "").lower() == "open"
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.on_request
    async def _guard(request):
        from sanic import response

        if not open_conversations and request.path.startswith(CLOSED_PREFIXES):
            return response.json(
                {"error": "the conversation endpoints are closed (CLINIC_CONVERSATIONS_API)"},
                status=403,
            )
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and "token" not in request.args:
            given = bearer[7:].strip()
            if hmac.compare_digest(given.encode(), token.encode()):
                request.args["token"] = [token]  # Rasa's own check reads ?token=
        return None


def set_up_process(debug: bool) -> None:
    """What every Rasa process of the clinic's does first (the server and its NLU worker):
    redacted logs, telemetry off unless asked for, Rasa's log format and TensorFlow's set-up."""
    redaction.install()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.io import configure_colored_logging
    from rasa.utils.log_utils import configure_structlog

    level = logging.DEBUG if debug else logging.INFO
    configure_logging_and_warnings(level, warn_only_once=True, filter_repeated_logs=True)
    configure_colored_logging(level)
    configure_structlog(level)
    tf_env.setup_tf_environment()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    token = api_token()
    set_up_process(args.debug)

    from rasa.core import run
    from rasa.core.utils import AvailableEndpoints, number_of_sanic_workers

    from channels import nlu_client
    from channels.action_client import KeptAliveEndpoint

    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    endpoints.action = KeptAliveEndpoint.of(endpoints.action)
    channels = run.create_http_input_channels(None, args.credentials)
    app = run.configure_app(
        channels, cors=cors_origins(), auth_token=token, enable_api=True,
        port=args.port, endpoints=endpoints,
    )  # fmt: skip
    guard_api(app, token)
    app.register_listener(
        partial(run.load_agent_on_start, args.model, endpoints, None), "before_server_start"
    )
    if nlu_client.enabled():
        nlu_client.serve_with_worker(app, args.model, args.debug)
    app.register_listener(run.close_resources, "after_server_stop")
    if endpoints.action is not None:
        app.register_listener(lambda *_: endpoints.action.close(), "after_server_stop")
    workers = number_of_sanic_workers(endpoints.lock_store if endpoints else None)
    logger.info(f"Starting the clinic's Rasa server on port {args.port} ({workers} worker(s))")
    app.run(host=args.interface, port=args.port, workers=workers, backlog=100, access_log=False)


if __name__ == "__main__":
    main()
