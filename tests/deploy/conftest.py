"""deploy/run, started once for tests/deploy/test_replicas.py, on ports and databases of its own.

Two Rasa replicas (5411, 5412), two action servers (5461, 5462) and nginx (5490 public,
5491 for the action servers), so a deploy/run on its default ports can keep running. The
booking and tracker databases get a suffix of this run's own and are dropped at the end;
the keys are made for the run, and this process gets them too, to read what was stored.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

from tests.conftest import ROOT
from tests.e2e.conftest import NOW

RASA_PORTS = (5411, 5412)
ACTIONS_PORTS = (5461, 5462)
PROXY_PORT = 5490
ACTIONS_PROXY_PORT = 5491
POSTGRES = ("127.0.0.1", 5432, "postgres")
REDIS = ("127.0.0.1", 6379)
LOCK_STORE_DB = 1
STARTUP_SECONDS = 300
READY = "The deployment is up"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "deploy: starts deploy/run (2 replicas, nginx, PostgreSQL, Redis)"
    )


@dataclass
class Deployment:
    """deploy/run as the tests see it: its process, settings, logs and databases."""

    process: subprocess.Popen
    env: dict[str, str]
    state: Path
    output: Path
    suffix: str
    stopped: bool = field(default=False)

    def rest(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    @property
    def booking_url(self) -> str:
        host, port, user = POSTGRES
        return f"postgresql+psycopg2://{user}@{host}:{port}/clinic{self.suffix}"

    @property
    def tracker_url(self) -> str:
        host, port, user = POSTGRES
        return f"postgresql+psycopg2://{user}@{host}:{port}/clinic_tracker{self.suffix}"

    def log(self, name: str) -> str:
        path = self.state / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def output_tail(self, characters: int = 4000) -> str:
        return self.output.read_text(errors="replace")[-characters:]


def port_open(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
        return True
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    ports = (*RASA_PORTS, *ACTIONS_PORTS, PROXY_PORT, ACTIONS_PROXY_PORT)
    busy = [port for port in ports if port_open(port)]
    if busy:
        pytest.fail(f"ports {busy} are in use: another run of tests/deploy is going on")
    workdir = tmp_path_factory.mktemp("deploy")
    keys = {
        "CLINIC_DATA_KEYS": Fernet.generate_key().decode(),
        "CLINIC_HASH_KEY": secrets.token_urlsafe(32),
        "CLINIC_API_TOKEN": secrets.token_urlsafe(24),
    }
    saved = {name: os.environ.get(name) for name in keys}
    os.environ.update(keys)  # so that this process decrypts what the action servers stored
    env = {
        **os.environ,
        **keys,
        "CLINIC_NOW": NOW,
        "CLINIC_DEPLOY_DB_SUFFIX": f"_test_{uuid.uuid4().hex[:10]}",
        "CLINIC_DEPLOY_STATE_DIR": str(workdir / "state"),
        "CLINIC_DEPLOY_RASA_PORT": str(RASA_PORTS[0]),
        "CLINIC_DEPLOY_ACTIONS_PORT": str(ACTIONS_PORTS[0]),
        "CLINIC_DEPLOY_PROXY_PORT": str(PROXY_PORT),
        "CLINIC_DEPLOY_ACTIONS_PROXY_PORT": str(ACTIONS_PROXY_PORT),
        "CLINIC_LOCK_STORE_DB": str(LOCK_STORE_DB),
        "CLINIC_DEPLOY_START_SECONDS": str(STARTUP_SECONDS),
    }
    env.pop("DATABASE_URL", None)
    output = workdir / "deploy-run.log"
    with output.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "run")], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    running = Deployment(process, env, workdir / "state", output, env["CLINIC_DEPLOY_DB_SUFFIX"])
    try:
        deadline = time.monotonic() + STARTUP_SECONDS + 60
        while READY not in output.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"deploy/run did not come up:\n{running.output_tail()}")
            time.sleep(1)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        from clinic.db import _session_factory

        _session_factory.cache_clear()
        drop_databases(env)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def drop_databases(env: dict[str, str]) -> None:
    """The run's own databases, dropped with the same helper that made them."""
    suffix = env["CLINIC_DEPLOY_DB_SUFFIX"]
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "deploy" / "databases.py"), "drop"],
        cwd=ROOT, check=True, capture_output=True,
        env={**env, "CLINIC_BOOKING_DB": f"clinic{suffix}",
             "CLINIC_TRACKER_DB": f"clinic_tracker{suffix}"},
    )  # fmt: skip
