"""./run, started once for the end-to-end tests, with a booking database of its own.

The run uses a copy of content/ with two answers edited: one to show that an edited answer is
served after a restart without retraining the model, one with HTML in it to show that the
widget renders it as text. A fixed clock (CLINIC_NOW) lets the booking tests know which slots
are open.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid

import pytest
import requests

from tests.conftest import ROOT

REST = "http://localhost:5005/webhooks/rest/webhook"
MODEL = ROOT / "models" / "clinic.tar.gz"
EDIT_MARKER = "Telehealth (as edited by the clinic's staff)"
# Pasted into the yoga answer of the run's content: the widget must show it as text.
HTML_MARKER = """<img src=x onerror="document.title='pwned'"><script>alert('pwned')</script>"""
SITE = "http://localhost:8000/"
PHONE = "972-596-1059"
NOW = "2026-12-01T09:00:00-06:00"  # a Tuesday morning in Dallas
TWILIO_TOKEN = "e2e-twilio-auth-token"  # a test value: Twilio's servers are never called
API_TOKEN = "e2e-api-token-0123456789abcdef"  # a test value for Rasa's HTTP API
RATE_LIMIT = "40/60"  # per sender; the test patients stay far below it


def port_open(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    for url in ("http://localhost:5005/", "http://localhost:5055/health", SITE):
        if port_open(url):
            pytest.fail(f"{url} is already in use: stop the running assistant first")
    content = tmp_path_factory.mktemp("edited") / "content"
    shutil.copytree(ROOT / "content", content)
    answers = content / "answers.yml"
    edited = answers.read_text().replace("Telehealth means", f"{EDIT_MARKER} means")
    edited = edited.replace("Restorative yoga, a", f"Restorative yoga {HTML_MARKER}, a")
    assert EDIT_MARKER in edited and HTML_MARKER in edited
    answers.write_text(edited)
    model_mtime = MODEL.stat().st_mtime
    database = tmp_path_factory.mktemp("db") / "clinic.db"
    # Conversations of this run only, so that nothing carries over from an earlier run.
    endpoints = database.parent / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text()
        .replace("db: var/tracker.db", f"db: {database.parent / 'tracker.db'}")
    )
    assert "var/tracker.db" not in endpoints.read_text()
    log = (tmp_path_factory.mktemp("logs") / "run.log").open("w+")
    process = subprocess.Popen(
        ["./run"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={
            **os.environ,
            "CLINIC_CONTENT_DIR": str(content),
            "CLINIC_NOW": NOW,
            "DATABASE_URL": f"sqlite:///{database}",
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            # The test keys of tests/conftest.py, so the tests can decrypt what ./run stored.
            "CLINIC_DATA_KEYS": os.environ["CLINIC_DATA_KEYS"],
            "CLINIC_HASH_KEY": os.environ["CLINIC_HASH_KEY"],
            "RASA_ENDPOINTS": str(endpoints),
            "CLINIC_API_TOKEN": API_TOKEN,
            # The whole run logs at DEBUG, so the canary test (test_privacy_logs.py) reads
            # every line the servers can write.
            "CLINIC_LOG_LEVEL": "DEBUG",
            "CLINIC_RATE_LIMIT": RATE_LIMIT,
            "CLINIC_REDIS_URL": "",
        },
    )  # fmt: skip
    deadline = time.monotonic() + 300
    urls = ("http://localhost:5005/", "http://localhost:5055/health", SITE)
    while not all(port_open(url) for url in urls):
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"./run did not come up:\n{log.read()[-4000:]}")
        time.sleep(2)
    yield {"process": process, "log": log, "model_mtime": model_mtime, "database": database}
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)


class Patient:
    def __init__(self):
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"

    def say(self, message: str) -> list[dict]:
        response = requests.post(REST, json={"sender": self.sender, "message": message}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def text(self, message: str) -> str:
        return " ".join(m.get("text", "") for m in self.say(message))


def pytest_collection_modifyitems(items):
    """The Ctrl-C test ends ./run, so it goes last."""
    items.sort(key=lambda item: item.fspath.basename == "test_shutdown.py")
