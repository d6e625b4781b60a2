"""The deployment's lock store against the real Redis: tickets stay unique when two replicas
ask at the same moment (Rasa's own RedisLockStore hands both the same one)."""

from __future__ import annotations

import threading
import uuid

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from stores.lock_store import AtomicRedisLockStore
from tests.deploy.conftest import LOCK_STORE_DB, REDIS

ASKS_PER_REPLICA = 25


@pytest.fixture
def replicas() -> list[AtomicRedisLockStore]:
    host, port = REDIS
    try:
        redis.Redis(host, port, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {host}:{port} is not reachable ({error}); start it first")
    config = EndpointConfig(url=host, port=port, db=LOCK_STORE_DB, password="")
    return [AtomicRedisLockStore(config), AtomicRedisLockStore(config)]


def test_tickets_asked_for_at_once_by_two_replicas_are_all_different(replicas):
    conversation = f"lock-test-{uuid.uuid4().hex[:12]}"
    start = threading.Barrier(2 * ASKS_PER_REPLICA)
    tickets: list[int] = []

    def ask(store: AtomicRedisLockStore) -> None:
        start.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [
        threading.Thread(target=ask, args=(store,))
        for store in replicas
        for _ in range(ASKS_PER_REPLICA)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(tickets) == list(range(2 * ASKS_PER_REPLICA))
    lock = replicas[0].get_lock(conversation)
    assert [ticket.number for ticket in lock.tickets] == list(range(2 * ASKS_PER_REPLICA))

    # Served in order; the lock goes only when the last ticket is given back.
    for number in range(2 * ASKS_PER_REPLICA):
        store = replicas[number % 2]
        assert not store.get_lock(conversation).is_locked(number)
        store.cleanup(conversation, number)
        still_there = store.get_lock(conversation) is not None
        assert still_there == (number < 2 * ASKS_PER_REPLICA - 1)


def test_the_deployment_uses_it():
    import yaml

    from tests.conftest import ROOT

    endpoints = yaml.safe_load((ROOT / "deploy" / "endpoints.yml").read_text())
    assert endpoints["lock_store"]["type"] == "stores.lock_store.AtomicRedisLockStore"
