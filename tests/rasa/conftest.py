"""The trained Rasa model, loaded once per test session (./test trains it when needed)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ROOT

MODEL = ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def parse() -> Callable[[str], dict[str, Any]]:
    """Parse a message with the trained model's NLU, in this process."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run ./test, which trains the model first")
    from rasa.core.agent import Agent

    loop = asyncio.new_event_loop()
    agent = Agent.load(str(MODEL))

    def _parse(text: str) -> dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()
