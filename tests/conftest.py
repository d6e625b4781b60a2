"""Shared fixtures. The core's fixtures are cheap; Rasa's are in tests/rasa/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from clinic.content import Content, load_content  # noqa: E402
from clinic.knowledge import Knowledge  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "content")


@pytest.fixture(scope="session")
def knowledge(content: Content) -> Knowledge:
    return Knowledge(content)
