"""What arrives from a patient, made safe to hand to the assistant.

Every channel (REST, the website's socket, SMS) passes the patient's text through `screen`
before the assistant sees it. Control characters and other invisible junk are dropped, an
empty message gets a prompt instead of a turn, and an over-long message gets a request to
write less, unless part of it raises a red flag: then that part goes through, so that an
emergency is never lost in a long message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Longer than any patient's question, shorter than what slows the language model down.
MAX_CHARS = 2000
# Windows overlap by more than any red flag's wording, so that one cut by a window's edge is
# seen whole in the next.
_WINDOW_STEP = MAX_CHARS - 300
# An emergency is told within the first pages, and scanning costs about 6 ms per 1,000
# characters: the rest of a huge text is not searched.
_MAX_SCANNED = 20_000
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Format (Cf) characters that are wanted: joiners inside emoji and right-to-left marks.
_KEPT_FORMATS = {"\u200c", "\u200d", "\u200e", "\u200f"}


@dataclass(frozen=True)
class Screened:
    """The verdict on one incoming message.

    `text` is what the assistant should see (None: don't pass it on), and `reply` names
    the reply in content/replies.yml to send instead (`inbound.empty`, `inbound.too_long`).
    """

    text: str | None
    reply: str | None = None


def clean(text: str) -> str:
    """The text without control characters, lone surrogates or stray spacing, in NFC."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = []
    for ch in text:
        kind = unicodedata.category(ch)
        if ch in "\n\t":
            kept.append(" " if ch == "\t" else ch)
        elif kind in ("Cc", "Cs", "Co", "Cn") or (kind == "Cf" and ch not in _KEPT_FORMATS):
            kept.append(" ")
        else:
            kept.append(ch)
    text = _SPACES.sub(" ", "".join(kept))
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def screen(text: object, is_red_flag: Callable[[str], bool]) -> Screened:
    """What to do with `text` from a patient; `is_red_flag` is clinic.safety's detector."""
    if not isinstance(text, str):
        return Screened(None, "inbound.empty")
    text = clean(text)
    if not text:
        return Screened(None, "inbound.empty")
    if len(text) <= MAX_CHARS:
        return Screened(text)
    for start in range(0, min(len(text), _MAX_SCANNED), _WINDOW_STEP):
        window = text[start : start + MAX_CHARS]
        if is_red_flag(window):
            return Screened(window)
    return Screened(None, "inbound.too_long")
