"""The per-sender rate limit (clinic/rate_limit.py), in the process and in a real Redis."""

from __future__ import annotations

import uuid

import pytest
import redis

from clinic.rate_limit import Limit, MemoryRateLimiter, RedisRateLimiter, from_environment

REDIS_URL = "redis://127.0.0.1:6379/15"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_parse():
    assert Limit.parse("30/60") == Limit(30, 60)
    for bad in ("30", "a/b", "0/60", "5/0", "1/2/3"):
        with pytest.raises(ValueError):
            Limit.parse(bad)


def test_a_sender_over_the_limit_waits_until_the_window_ends():
    clock = Clock()
    limiter = MemoryRateLimiter(Limit(3, 60), clock)
    assert [limiter.retry_after("a") for _ in range(3)] == [0, 0, 0]
    clock.now = 1010.0
    assert limiter.retry_after("a") == 10  # the window 960-1020 ends in 10 s
    assert limiter.retry_after("b") == 0  # others are not affected
    clock.now = 1020.0
    assert limiter.retry_after("a") == 0


def test_the_table_of_senders_is_bounded(monkeypatch):
    monkeypatch.setattr("clinic.rate_limit._MAX_SENDERS", 10)
    limiter = MemoryRateLimiter(Limit(1, 60), Clock())
    for i in range(100):
        limiter.retry_after(f"sender-{i}")
    assert len(limiter._windows) == 10


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL}: start it (README, Tests)")
    yield client
    client.close()


def test_redis_counts_are_shared_between_replicas(redis_client):
    limit = Limit(4, 3600)  # an hour's window: the test never straddles two
    first, second = RedisRateLimiter(limit, redis_client), RedisRateLimiter(limit, redis_client)
    sender = f"+1469555{uuid.uuid4().int % 10000:04d}"
    allowed = [limiter.retry_after(sender) for limiter in (first, second, first, second)]
    assert allowed == [0, 0, 0, 0]
    assert 1 <= second.retry_after(sender) <= 3600
    assert not any(sender.encode() in key for key in redis_client.keys("clinic:rate:*"))


def test_redis_down_lets_patients_through():
    client = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=0.2)
    limiter = RedisRateLimiter(Limit(1, 60), client)
    assert [limiter.retry_after("a") for _ in range(3)] == [0, 0, 0]


def test_from_environment(monkeypatch):
    monkeypatch.setenv("CLINIC_RATE_LIMIT", "5/10")
    monkeypatch.delenv("CLINIC_REDIS_URL", raising=False)
    assert from_environment().limit == Limit(5, 10)
    monkeypatch.setenv("CLINIC_REDIS_URL", REDIS_URL)
    assert isinstance(from_environment(), RedisRateLimiter)
