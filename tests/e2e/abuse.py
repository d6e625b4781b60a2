"""A generated corpus of bad inputs for the abuse tests (test_abuse.py).

Seeded, so a failure can be replayed: every item names its kind. The texts mix the kinds
the issue lists: empty and whitespace, 100 KB, binary and control characters, emoji and
right-to-left text, SQL/HTML/script/template injection, Rasa's own payload syntax.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

INJECTIONS = [
    "'; DROP TABLE events; --",
    "' OR '1'='1",
    "1; DELETE FROM appointments WHERE 1=1",
    "Robert'); DROP TABLE appointments;--",
    "<script>alert(document.cookie)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}",
    "${7*7}",
    "{phone}",
    "{0.__class__.__mro__}",
    "${jndi:ldap://example.invalid/a}",
    "../../../../etc/passwd",
    "%00%0a%0dSet-Cookie: x=y",
    "/request_appointment",
    '/inform{"full_name": "Hacker", "phone": "+15555550100"}',
    '/restart{"x": 1}',
    "/session_start",
    '{"sender": "other-patient", "message": "hi"}',
    "$(rm -rf /)",
    "`cat /etc/shadow`",
    "\\x00\\x1b[2J",
    "A" * 300,
]
EMOJI = ["😣", "👍🏽", "👨‍👩‍👧", "🩺", "💉", "🔥" * 40, "🏳️‍🌈", "\U0001f9d1\u200d\u2695\ufe0f"]
RTL = ["ظهري يؤلمني", "שלום, יש לי כאב גב", "\u202eevil\u202c", "مرحبا 911", "\u200fטיפול"]
WORDS = ["facet", "injection", "pain", "book", "back", "knee", "nerve", "yes", "no", "stop"]


@dataclass(frozen=True)
class Item:
    kind: str
    text: str


def control_text(rng: random.Random) -> str:
    chars = [chr(rng.randrange(0, 32)) for _ in range(rng.randrange(1, 40))]
    chars += [chr(c) for c in rng.sample(range(0x7F, 0xA0), 5)]
    chars += [rng.choice(WORDS) for _ in range(rng.randrange(0, 4))]
    rng.shuffle(chars)
    return "".join(chars)


def binary_text(rng: random.Random) -> str:
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))).decode("latin-1")


def mixed_text(rng: random.Random) -> str:
    parts = [
        rng.choice(INJECTIONS), rng.choice(EMOJI), rng.choice(RTL), rng.choice(WORDS),
        "\u200b" * rng.randrange(3), "\ufeff", "\ud83d" if rng.random() < 0.2 else "",
    ]  # fmt: skip
    rng.shuffle(parts)
    return " ".join(parts[: rng.randrange(1, len(parts) + 1)])


def texts(rng: random.Random, count: int, huge: int) -> list[Item]:
    """`count` bad message texts, `huge` of them about 100 KB."""
    makers = [
        ("empty", lambda: rng.choice(["", " ", "\n", "\t \r\n", "\u3000", "\u200b\u200b"])),
        ("control", lambda: control_text(rng)),
        ("binary", lambda: binary_text(rng)),
        ("emoji", lambda: "".join(rng.choices(EMOJI, k=rng.randrange(1, 6)))),
        ("rtl", lambda: rng.choice(RTL) + " " + rng.choice(RTL)),
        ("injection", lambda: rng.choice(INJECTIONS)),
        ("mixed", lambda: mixed_text(rng)),
    ]
    items = [Item("huge", rng.choice(WORDS) * (100_000 // 4)) for _ in range(huge)]
    while len(items) < count:
        kind, make = rng.choice(makers)
        items.append(Item(kind, make()))
    rng.shuffle(items)
    return items


@dataclass(frozen=True)
class Request:
    """A malformed REST request and the status class it must get (4 for 4xx)."""

    kind: str
    body: bytes
    content_type: str | None


def malformed_requests(rng: random.Random, count: int) -> list[Request]:
    """Requests that are wrong as requests: they all deserve a 4xx."""
    sender = "abuse-malformed"
    makers = [
        ("bad json", lambda: ('{"sender": "a", "message": ' + rng.choice(INJECTIONS)).encode()),
        ("not an object", lambda: json.dumps(rng.choice([[], [1], "x", 3, None, True])).encode()),
        ("no sender", lambda: json.dumps({"message": rng.choice(WORDS)}).encode()),
        (
            "bad sender",
            lambda: json.dumps(
                {"sender": rng.choice(["", " ", None, [], {}, "a\x00", "x" * 200]), "message": "hi"}
            ).encode(),
        ),  # noqa: E501
        (
            "bad message",
            lambda: json.dumps(
                {"sender": sender, "message": rng.choice([None, 1, [], {}, True])}
            ).encode(),
        ),  # noqa: E501
        (
            "bad metadata",
            lambda: json.dumps(
                {"sender": sender, "message": "hi", "metadata": rng.choice(["x", 1, []])}
            ).encode(),
        ),  # noqa: E501
        ("binary body", lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))),
        ("empty body", lambda: b""),
    ]
    types = ["application/json"] * 6 + ["text/plain", "application/x-www-form-urlencoded", None]
    out = []
    for _ in range(count):
        kind, make = rng.choice(makers)
        content_type = rng.choice(types)
        out.append(Request(kind if content_type == "application/json" else "content type",
                           make(), content_type))  # fmt: skip
    return out
