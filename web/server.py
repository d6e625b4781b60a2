"""The clinic's demo page with the chat widget, and the widget's files: python -m web.server.

GET / is a small clinic home page built from content/clinic.yml (name, phone, hours) with the
widget embedded by one script tag; /widget/ serves clinic-chat.js and .css and the socket.io
client from web/node_modules. Nothing else is served. Every page carries a Content Security
Policy that lets it load only this server's files and talk only to the assistant's server,
so no third-party script or tracker can run on it.

The widget talks to CLINIC_CHAT_SERVER (by default port 5005 of the host the page was loaded
from). CLINIC_WEB_PORT sets this server's port (8000).
"""

from __future__ import annotations

import html
import logging
import os
import re
from datetime import time
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from clinic.content import load_content
from clinic.schedule import Schedule

HERE = Path(__file__).resolve().parent
FILES = {
    "/widget/clinic-chat.js": (HERE / "widget" / "clinic-chat.js", "text/javascript"),
    "/widget/clinic-chat.css": (HERE / "widget" / "clinic-chat.css", "text/css"),
    "/widget/socket.io.min.js": (
        HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        "text/javascript",
    ),
    "/site.css": (HERE / "site.css", "text/css"),
    "/favicon.svg": (HERE / "favicon.svg", "image/svg+xml"),
}
COLOUR = "#1d4f73"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HOST = re.compile(r"^(?P<name>[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$")
logger = logging.getLogger("web.server")


def clock(moment: time) -> str:
    return f"{moment:%I:%M %p}".lstrip("0")


@lru_cache(maxsize=16)
def render_page(chat_server: str) -> str:
    """The demo page, with the clinic's facts from its content (read once, like the
    assistant's: an edit to content/ shows after a restart)."""
    content = load_content()
    schedule = Schedule.from_config(content.schedule)
    facts = content.clinic
    hours = "".join(
        f"<li>{DAYS[day]}: {clock(opens)} to {clock(closes)}</li>"
        for day, (opens, closes) in sorted(schedule.opening_hours.items())
    )
    name = facts["name"]
    values = {
        "title": name[:1].upper() + name[1:],
        "phone": facts["phone"],
        "phone_digits": re.sub(r"\D", "", facts["phone"]),
        "emergency": facts["emergency_number"],
        "crisis": facts["crisis_line"],
        "time_zone": schedule.zone_label,
        "server": chat_server,
        "color": COLOUR,
    }
    escaped = {key: html.escape(str(value)) for key, value in values.items()}
    return Template((HERE / "demo.html").read_text()).substitute(escaped, hours=hours)


def chat_server_for(host_header: str | None) -> str:
    """Where the widget finds the assistant: CLINIC_CHAT_SERVER, or port 5005 of this host."""
    configured = os.environ.get("CLINIC_CHAT_SERVER")
    if configured:
        return configured.rstrip("/")
    match = _HOST.match(host_header or "")
    return f"http://{match.group('name') if match else 'localhost'}:5005"


def security_policy(chat_server: str) -> str:
    parts = urlsplit(chat_server)
    socket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {parts.scheme}://{parts.netloc} {socket}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class Handler(BaseHTTPRequestHandler):
    server_version = "ClinicWeb"
    sys_version = ""

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        chat_server = chat_server_for(self.headers.get("Host"))
        if path in ("/", "/index.html"):
            body, kind = render_page(chat_server).encode(), "text/html; charset=utf-8"
        elif path in FILES and FILES[path][0].is_file():
            file, kind = FILES[path]
            body = file.read_bytes()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", security_policy(chat_server))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        logger.info("%s %s", self.command, urlsplit(self.path).path[:200])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    render_page("http://localhost:5005")  # the content is readable, or fail now
    port = int(os.environ.get("CLINIC_WEB_PORT", 8000))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    logger.info("The demo page is at http://localhost:%d/", port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
