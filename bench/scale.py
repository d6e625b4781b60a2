"""Does a second Rasa replica add throughput? `make bench-scale`.

Starts deploy/run twice on this machine, with 2 Rasa replicas and then with 1 behind nginx
(2 action servers, the PostgreSQL tracker store and booking database and the Redis lock
store each time), and sends bench/patients.py's mix of conversations through nginx from 10
and 50 concurrent simulated patients, SCALE_SECONDS each (every conversation with a sender
of its own). The rate limit is lifted: this measures the assistant, not the limiter. Ports
5501+ (replicas), 5551+ (action servers), 5580 and 5581 (nginx) must be free; the databases
are the run's own and are dropped after it. Writes bench/reports/scale.md and scale.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import NOW  # noqa: E402
from bench.patients import CONVERSATIONS, run_load  # noqa: E402
from bench.report import machine, table  # noqa: E402

WORK = ROOT / "var" / "bench-scale"
REPORTS = ROOT / "bench" / "reports"
REPLICAS = (2, 1)
USERS = (10, 50)
SECONDS = int(os.environ.get("SCALE_SECONDS", 60))
RASA_PORT, ACTIONS_PORT, PROXY_PORT, ACTIONS_PROXY_PORT = 5501, 5551, 5580, 5581
READY = "The deployment is up"
REST = "/webhooks/rest/webhook"


def environment(replicas: int, suffix: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "CLINIC_DATA_KEYS": Fernet.generate_key().decode(),
        "CLINIC_HASH_KEY": secrets.token_urlsafe(32),
        "CLINIC_API_TOKEN": secrets.token_urlsafe(24),
        "CLINIC_NOW": NOW,  # the same open slots in every run
        "CLINIC_RATE_LIMIT": "1000000/60",
        "CLINIC_DEPLOY_REPLICAS": str(replicas),
        "CLINIC_DEPLOY_DB_SUFFIX": suffix,
        "CLINIC_DEPLOY_STATE_DIR": str(WORK / f"{replicas}-replicas"),
        "CLINIC_DEPLOY_RASA_PORT": str(RASA_PORT),
        "CLINIC_DEPLOY_ACTIONS_PORT": str(ACTIONS_PORT),
        "CLINIC_DEPLOY_PROXY_PORT": str(PROXY_PORT),
        "CLINIC_DEPLOY_ACTIONS_PROXY_PORT": str(ACTIONS_PROXY_PORT),
    }
    env.pop("DATABASE_URL", None)
    return env


@contextmanager
def deployment(replicas: int):
    """deploy/run with `replicas` Rasa replicas, up; stopped and its databases dropped after."""
    suffix = f"_scale_{uuid.uuid4().hex[:8]}"
    env = environment(replicas, suffix)
    WORK.mkdir(parents=True, exist_ok=True)
    output = WORK / f"deploy-run-{replicas}.log"
    with output.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "run")], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while READY not in output.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"deploy/run did not come up; see {output}")
            time.sleep(1)
        yield Path(env["CLINIC_DEPLOY_STATE_DIR"])
    finally:
        process.send_signal(signal.SIGTERM)  # deploy/run stops what it started
        try:
            process.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
        databases = {"CLINIC_BOOKING_DB": f"clinic{suffix}",
                     "CLINIC_TRACKER_DB": f"clinic_tracker{suffix}"}  # fmt: skip
        subprocess.run([sys.executable, str(ROOT / "deploy" / "databases.py"), "drop"],
                       cwd=ROOT, env={**env, **databases}, check=True)  # fmt: skip


def warm_up(replicas: int) -> None:
    """A question and a booking's first steps on each replica: the first turns load graphs."""
    import requests

    for n in range(replicas):
        url = f"http://127.0.0.1:{RASA_PORT + n}{REST}"
        sender = f"warm-up-{uuid.uuid4().hex[:8]}"
        for message in ("what is a facet injection", "book an appointment", "neck pain"):
            requests.post(url, json={"sender": sender, "message": message}, timeout=120)


def served_by(state: Path, skip: int) -> tuple[Counter, int]:
    """How many REST requests each replica served, after the first `skip` log lines."""
    lines = (state / "logs" / "nginx-access.log").read_text().splitlines()
    counts = Counter(
        line.split("upstream=")[1].split()[0] for line in lines[skip:] if f'"POST {REST}"' in line
    )
    return counts, len(lines)


def measure(replicas: int, token: str) -> dict:
    levels = {}
    with deployment(replicas) as state:
        warm_up(replicas)
        _, seen = served_by(state, 0)
        for users in USERS:
            run = f"scale-{token}-{replicas}r-{users}"
            url = f"http://127.0.0.1:{PROXY_PORT}{REST}"
            level = asyncio.run(run_load(url, users, SECONDS, run))
            counts, seen = served_by(state, seen)
            level["served_by"] = dict(sorted(counts.items()))
            levels[users] = level
            print(f"{replicas} replica(s), {users} patients: {level['throughput']:.1f} messages/s,"
                  f" p95 {level['p95_ms']:.0f} ms, {level['errors']} errors,"
                  f" served by {level['served_by']}")  # fmt: skip
    return levels


def markdown(results: dict) -> str:
    rows = []
    for users in USERS:
        for replicas in REPLICAS:
            level = results["replicas"][replicas][users]
            share = ", ".join(
                f"{address.rsplit(':', 1)[1]}: {n}" for address, n in level["served_by"].items()
            )
            rows.append([users, replicas, f"{level['throughput']:.1f}", f"{level['p50_ms']:.0f}",
                         f"{level['p95_ms']:.0f}", f"{level['p99_ms']:.0f}", level["messages"],
                         level["errors"], share])  # fmt: skip
    scaling = [
        [users, f"{results['scaling'][users]['throughput']:.2f}x",
         f"{results['scaling'][users]['p50']:.2f}x", f"{results['scaling'][users]['p95']:.2f}x"]
        for users in USERS
    ]  # fmt: skip
    lines = [
        "# Scale-out benchmark: 2 Rasa replicas against 1",
        "",
        f"Measured {results['date']} on {results['machine']} (`make bench-scale`,"
        f" bench/scale.py), {SECONDS} s per level. Both runs are deploy/run: nginx, 2 action"
        " servers, the PostgreSQL tracker store and booking database and the Redis lock store;"
        " only the number of Rasa replicas behind nginx differs. Messages: bench/patients.py's"
        f" mix over REST through nginx ({', '.join(CONVERSATIONS)}), a new sender for every"
        " conversation, the rate limit lifted.",
        "",
        "## 2 replicas against 1",
        "",
        *table(["patients", "throughput 2/1", "p50 2/1", "p95 2/1"], scaling),
        "",
        "## Latency (ms) and throughput (messages/s)",
        "",
        *table(
            [
                "patients",
                "replicas",
                "messages/s",
                "p50",
                "p95",
                "p99",
                "messages",
                "errors",
                "requests per replica",
            ],
            rows,
        ),  # fmt: skip
        "",
        "A Rasa replica is one Python process with one event loop, so it uses one core at most;",
        "a second replica puts the machine's second core to work. Both cores are shared by",
        "everything else too: the action servers, nginx, PostgreSQL, Redis and the simulated",
        "patients, so more replicas than cores would add nothing here.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:6]
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_seconds": SECONDS,
        "replicas": {replicas: measure(replicas, token) for replicas in REPLICAS},
    }
    two, one = results["replicas"][2], results["replicas"][1]
    results["scaling"] = {
        users: {
            "throughput": two[users]["throughput"] / one[users]["throughput"],
            "p50": two[users]["p50_ms"] / one[users]["p50_ms"],
            "p95": two[users]["p95_ms"] / one[users]["p95_ms"],
        }
        for users in USERS
    }
    (REPORTS / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    (REPORTS / "scale.md").write_text(markdown(results))
    print(f"wrote {REPORTS / 'scale.md'} and scale.json")


if __name__ == "__main__":
    main()
