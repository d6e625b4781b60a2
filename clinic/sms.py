"""Keep replies short enough for a text message."""

from __future__ import annotations

import re

SMS_LIMIT = 320  # two concatenated SMS segments; the longest reply a patient should get
_SENTENCE_END = re.compile(r"(?<=[.!?\"])\s+")


def split_for_sms(text: str, limit: int = SMS_LIMIT) -> list[str]:
    """Split `text` into parts of at most `limit` characters, at sentence ends where possible."""
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        while len(sentence) > limit:  # a sentence longer than a part: cut at a space
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            head, sentence = sentence[:cut], sentence[cut:].lstrip()
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
        candidate = f"{current} {sentence}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = sentence
    if current:
        parts.append(current)
    return parts


# Keywords carriers and Twilio expect an SMS service to honour (and common synonyms).
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel sms", "end", "quit", "optout", "opt out"}
START_WORDS = {"start", "unstop", "yes start", "optin", "opt in", "subscribe"}
HELP_WORDS = {"help", "info"}
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


def keyword(text: str) -> str | None:
    """ "stop", "start" or "help" when the whole message is such a keyword, else None."""
    word = " ".join((text or "").lower().strip(" .!").split())
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def segments(text: str) -> int:
    """How many SMS segments `text` takes: 160/153 GSM-7 characters, or 70/67 UCS-2 ones."""
    if all(ch in GSM7 for ch in text):
        return 1 if len(text) <= 160 else -(-len(text) // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def with_options(text: str, titles: list[str]) -> str:
    """A message with its quick replies as numbered options: "Reply 1 for Yes, 2 for No"."""
    if not titles:
        return text
    options = ", ".join(f"{i} for {title}" for i, title in enumerate(titles, 1))
    return f"{text}\nReply {options}."


def chosen_option(text: str, payloads: list[str]) -> str | None:
    """The payload of the option a reply of "1", "2" ... picks, or None."""
    number = (text or "").strip().rstrip(".")
    if number.isdigit() and 1 <= int(number) <= len(payloads):
        return payloads[int(number) - 1]
    return None


def sms_parts(text: str, max_segments: int = 2) -> list[str]:
    """`text` split at sentence ends into messages of at most `max_segments` segments each.

    GSM-7 text fits 153 characters a segment, UCS-2 (emoji, most non-Latin scripts) only 67.
    """
    if segments(text) <= max_segments:
        return [text] if text.strip() else []  # as written, line breaks included
    if all(ch in GSM7 for ch in text):
        per_segment = 153
    else:  # emoji and other characters beyond the BMP take two UCS-2 units each
        per_segment = 33 if any(ord(ch) > 0xFFFF for ch in text) else 67
    return split_for_sms(text, limit=per_segment * max_segments)
