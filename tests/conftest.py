"""Shared fixtures. The core's fixtures are cheap; Rasa's are in tests/rasa/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# Test keys for patients' details at rest (clinic/crypto.py), set before anything imports the
# models; the end-to-end tests pass the same ones to ./run. Test values only: never a clinic's.
TEST_DATA_KEY = "JaBfEh2MOK5CEhrEEcE5pkUNcApK42FYZTYsWuZRVW0="
TEST_HASH_KEY = "test-hash-key-for-the-blind-index-of-opt-outs"
os.environ.setdefault("CLINIC_DATA_KEYS", TEST_DATA_KEY)
os.environ.setdefault("CLINIC_HASH_KEY", TEST_HASH_KEY)

from clinic.content import Content, load_content  # noqa: E402
from clinic.knowledge import Knowledge  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "content")


@pytest.fixture(scope="session")
def knowledge(content: Content) -> Knowledge:
    return Knowledge(content)
