"""Which web pages may open the widget's socket or call the server (channels/guard.py)."""

from __future__ import annotations

import pytest

from channels.guard import allowed_origin


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://localhost:8000", "localhost:5005", True),
        ("http://127.0.0.1:8000", "127.0.0.1:5005", True),
        ("http://10.0.0.5:8000", "10.0.0.5:5005", True),
        ("http://localhost:8000", "127.0.0.1:5005", False),  # another host's page
        ("http://localhost:8001", "localhost:5005", False),  # another port
        ("http://evil.example:8000", "localhost:5005", False),
        ("null", "localhost:5005", False),  # a sandboxed frame or a file
        ("", "localhost:5005", False),
        (None, "localhost:5005", False),
        ("http://localhost:99999", "localhost:5005", False),  # malformed
        ("javascript://localhost:8000", "localhost:5005", False),
    ],
)
def test_by_default_only_the_demo_page_on_the_same_host(origin, host, allowed):
    assert allowed_origin(origin, host, "", 8000) is allowed


def test_configured_origins_replace_the_default():
    configured = "https://www.example-clinic.org, https://example-clinic.org/"
    host = "chat.example-clinic.org"
    assert allowed_origin("https://www.example-clinic.org", host, configured, 8000)
    assert allowed_origin("https://EXAMPLE-clinic.org", host, configured, 8000)
    assert not allowed_origin("http://www.example-clinic.org", "x", configured, 8000)
    assert not allowed_origin("http://localhost:8000", "localhost:5005", configured, 8000)
