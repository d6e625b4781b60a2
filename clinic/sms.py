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
