"""Red flags: messages that need 911, 988 or the clinic now, before anything else.

The flags live in content/red_flags.yml as regular expressions over the message in lower
case with apostrophes dropped. Look-alike idioms ("my back is killing me") are blanked out
first, and a match right after a negation ("no chest pain") or in a plainly hypothetical
question ("what if I have an allergic reaction?") doesn't count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NEGATION = re.compile(
    r"\b(no|not|never|without|dont have|do not have|didnt|denies|no longer)\s+(\w+\s+){0,2}$"
)
# Plainly hypothetical questions ("what if I have an allergic reaction to the dye?"), in the
# same sentence before the match; a bare "if" is not enough ("I don't know if I'm ...").
HYPOTHETICAL = re.compile(
    r"\b(what if|what happens if|in case|risk of|risks of|chance of"
    r"|(do|does|can|could|will) (\w+ ){0,2}cause)\b[^.!?]*$"
)
# A sentence about the distant past ("I had chest pain years ago", "my heart attack in 2010").
PAST = re.compile(r"\b(years ago|in (19|20)\d\d|history of)\b")
MAX_CHARS = 2000  # longer messages are checked in their first part


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in a message: its name and the reply to give first."""

    name: str
    reply: str  # key under red_flags in replies.yml


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, whitespace collapsed."""
    text = (text or "")[:MAX_CHARS].lower().replace("’", "'").replace("'", "")
    return " ".join(text.split())


def _sentence_of(text: str, match: re.Match) -> str:
    start = max(text.rfind(mark, 0, match.start()) for mark in ".!?")
    ends = [i for i in (text.find(mark, match.end()) for mark in ".!?") if i != -1]
    return text[start + 1 : min(ends) if ends else len(text)]


class RedFlagDetector:
    """Finds the first red flag in a message, if any."""

    def __init__(self, config: Mapping[str, Any]):
        self._flags = [
            (name, spec["reply"], [re.compile(p) for p in spec["patterns"]])
            for name, spec in config["flags"].items()
        ]
        self._look_alikes = [re.compile(p) for p in config.get("look_alikes", [])]

    def detect(self, text: str) -> RedFlag | None:
        """The red flag in `text`, or None."""
        clean = normalise(text)
        for look_alike in self._look_alikes:
            clean = look_alike.sub(lambda m: " " * len(m.group(0)), clean)
        for name, reply, patterns in self._flags:
            for pattern in patterns:
                for match in pattern.finditer(clean):
                    before = clean[: match.start()]
                    if NEGATION.search(before) or HYPOTHETICAL.search(before):
                        continue
                    if PAST.search(_sentence_of(clean, match)):
                        continue
                    return RedFlag(name, reply)
        return None
