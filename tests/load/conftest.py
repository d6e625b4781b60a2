"""The load test's own assistant: bench/booking_load.py's servers, started once for tests/load.

Rasa on 5505 and the action server on 5555 (ports of their own), a fixed clock, a fresh
PostgreSQL booking database made for the run and dropped after it, and new data keys (set
in this process too, so the test reads the stored rows through the models; the earlier
keys come back afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy.exc import OperationalError

from bench.booking_load import POSTGRES, assistant, booking_database, fresh_keys


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "load: many patients booking at once against real servers (tests/load)"
    )


@pytest.fixture(scope="module")
def booking_assistant(tmp_path_factory) -> Iterator[str]:
    """The booking database's URL, with the assistant up and answering over REST."""
    with pytest.MonkeyPatch.context() as patch, ExitStack() as stack:
        for name, value in fresh_keys().items():
            patch.setenv(name, value)
        try:
            url = stack.enter_context(booking_database())
        except OperationalError as error:  # say why, then fail: never skip silently
            pytest.fail(f"PostgreSQL at {POSTGRES} is not reachable ({error}); start it first")
        stack.enter_context(assistant(url, tmp_path_factory.mktemp("load")))
        yield url
