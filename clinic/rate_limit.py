"""A limit on how many messages one sender may send in a time window.

One conversation that floods the assistant (a script, a stuck client) must not slow down
everybody else's. The limit is per sender: a patient typing at human speed never meets
it. With several replicas the counts live in Redis (CLINIC_REDIS_URL), so the limit holds
whichever replica a message reaches; otherwise they live in the process.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger(__name__)
DEFAULT = "30/60"  # messages / seconds: two a second, sustained for half a minute, is a bot
_MAX_SENDERS = 100_000  # the in-process table forgets the quietest senders beyond this


@dataclass(frozen=True)
class Limit:
    """At most `messages` from one sender per `seconds`."""

    messages: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """ "30/60" -> 30 messages per 60 seconds."""
        try:
            messages, seconds = (int(part) for part in text.strip().split("/"))
        except ValueError:
            raise ValueError(
                f"a rate limit is written messages/seconds, such as {DEFAULT}"
            ) from None
        if messages < 1 or seconds < 1:
            raise ValueError("a rate limit needs at least 1 message and 1 second")
        return cls(messages, seconds)


class RateLimiter(Protocol):
    def retry_after(self, sender: str) -> int:
        """0 if `sender` may send this message now (and count it), else seconds to wait."""


class MemoryRateLimiter:
    """Fixed windows counted in this process."""

    def __init__(self, limit: Limit, clock=time.monotonic):
        self.limit = limit
        self._clock = clock
        self._windows: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, sender: str) -> int:
        now = self._clock()
        window = int(now // self.limit.seconds)
        with self._lock:
            seen_window, count = self._windows.pop(sender, (window, 0))
            count = count + 1 if seen_window == window else 1
            self._windows[sender] = (window, count)
            while len(self._windows) > _MAX_SENDERS:
                self._windows.popitem(last=False)
        if count <= self.limit.messages:
            return 0
        return max(1, math.ceil((window + 1) * self.limit.seconds - now))


class RedisRateLimiter:
    """Fixed windows counted in Redis, shared by every replica."""

    def __init__(self, limit: Limit, client) -> None:
        self.limit = limit
        self._redis = client

    def retry_after(self, sender: str) -> int:
        now = time.time()
        window = int(now // self.limit.seconds)
        # The key names no patient: senders can be phone numbers.
        digest = hashlib.sha256(sender.encode("utf-8", "replace")).hexdigest()[:32]
        key = f"clinic:rate:{window}:{digest}"
        try:
            pipe = self._redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, self.limit.seconds + 1)
            count, _ = pipe.execute()
        except Exception:  # noqa: BLE001 - Redis down: patients still get through
            logger.warning("the rate limit's Redis is unreachable; not limiting for now")
            return 0
        if count <= self.limit.messages:
            return 0
        return max(1, math.ceil((window + 1) * self.limit.seconds - now))


def from_environment() -> RateLimiter:
    """The limiter that CLINIC_RATE_LIMIT and CLINIC_REDIS_URL describe."""
    limit = Limit.parse(os.environ.get("CLINIC_RATE_LIMIT") or DEFAULT)
    url = os.environ.get("CLINIC_REDIS_URL")
    if url:
        import redis

        return RedisRateLimiter(limit, redis.Redis.from_url(url, socket_timeout=2))
    return MemoryRateLimiter(limit)
