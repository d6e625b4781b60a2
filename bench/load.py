"""How fast the assistant is, side by side with the stock `rasa init` assistant: `make bench`.

In one run on one machine it:
1. trains both from scratch and times it (ours: the spaCy pipeline, the red-flag backstop
   and `rasa train`; the stock one: Rasa 3.6's own init project, copied from the installed
   package);
2. starts each (ours: action server + Rasa, SQLite stores; the stock one: Rasa alone) and
   times the cold start, from launch to the first answered message;
3. sends a realistic mix over REST (questions and follow-ups, bookings, small talk) from 1,
   10 and 50 concurrent simulated patients, for LOAD_SECONDS each, and records every
   message's latency and the throughput;
4. reads each process's peak memory (VmHWM).
It writes bench/reports/bench.md and bench.json. Ports 5105, 5155 and 5205 must be free.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.patients import CONVERSATIONS, run_load  # noqa: E402
from bench.report import endpoints_yaml, machine, table  # noqa: E402

WORK = ROOT / "var" / "bench"
REPORTS = ROOT / "bench" / "reports"
BIN = Path(sys.executable).parent
USERS = (1, 10, 50)
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", 45))
NOW = "2026-12-01T09:00:00-06:00"  # a fixed clock, so bookings see the same open slots


class Server:
    """A process of the benchmark, with its peak memory read before it is stopped."""

    def __init__(self, name: str, command: list[str], cwd: Path, env: dict, log: Path):
        self.name = name
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def peak_mb(self) -> dict[str, float]:
        """Its peak memory, and its NLU worker's (channels.nlu_worker) if it started one."""
        peaks = {self.name: peak_mb(self.process.pid)}
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                if b"channels.nlu_worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                    peaks[f"{self.name.split(':')[0]}: NLU worker"] = peak_mb(int(child))
        return peaks

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(command: list[str], cwd: Path, env: dict, log: Path) -> float:
    start = time.perf_counter()
    with log.open("w") as out:
        subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - start


def environment(**extra: str) -> dict:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    env.update(extra)
    return env


def prepare() -> dict:
    """Fresh working folders, and both assistants trained (timed)."""
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True)
    stock = WORK / "stock"
    import rasa.cli

    shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", stock,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    env = environment(RASA_CACHE_DIRECTORY=str(WORK / "cache-ours"))
    ours = timed(
        [str(BIN / "python"), "-m", "clinic.terms", "build", str(WORK / "spacy-clinic")],
        ROOT, env, WORK / "logs" / "train-ours-spacy.log",
    )  # fmt: skip
    # The learned red-flag backstop (clinic/red_flag_model.py) is part of the training too;
    # trained into WORK, where no saved model can make it skip.
    ours += timed(
        [str(BIN / "python"), "-m", "clinic.red_flag_model", "build",
         str(WORK / "red_flags.joblib")],
        ROOT, env, WORK / "logs" / "train-ours-backstop.log",
    )  # fmt: skip
    # Timed into WORK; rasa train then reads models/spacy-clinic (config.yml), which the
    # same command built from the same terms.
    ours += timed(
        [str(BIN / "rasa"), "train", "--force", "--fixed-model-name", "clinic",
         "--out", str(WORK / "models")],
        ROOT, env, WORK / "logs" / "train-ours.log",
    )  # fmt: skip
    stock_env = environment(RASA_CACHE_DIRECTORY=str(WORK / "cache-stock"))
    stock_seconds = timed(
        [str(BIN / "rasa"), "train", "--fixed-model-name", "stock", "--out", "models"],
        stock, stock_env, WORK / "logs" / "train-stock.log",
    )  # fmt: skip
    return {"ours": ours, "stock": stock_seconds}


def start_ours() -> list[Server]:
    endpoints = WORK / "endpoints.yml"
    endpoints.write_text(endpoints_yaml("http://localhost:5155/webhook", WORK / "tracker.db"))
    credentials = WORK / "credentials.yml"
    credentials.write_text("channels.rest.RestInput:\n")
    # Served as ./run serves it (channels.server, the guards on), with bench-only secrets and
    # the per-sender limit lifted: simulated patients type faster than people.
    env = environment(
        DATABASE_URL=f"sqlite:///{WORK / 'clinic.db'}", CLINIC_NOW=NOW,
        CLINIC_API_TOKEN=secrets.token_urlsafe(24), CLINIC_RATE_LIMIT="1000000/60",
        CLINIC_DATA_KEYS=Fernet.generate_key().decode(), CLINIC_HASH_KEY=secrets.token_urlsafe(32),
    )  # fmt: skip
    subprocess.run([str(BIN / "python"), "-m", "clinic.db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    return [
        Server("ours: action server",
               [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", "5155"],
               ROOT, env, WORK / "logs" / "actions.log"),
        Server("ours: Rasa",
               [str(BIN / "python"), "-m", "channels.server",
                "--model", str(WORK / "models" / "clinic.tar.gz"),
                "--port", "5105", "--endpoints", str(endpoints), "--credentials",
                str(credentials)],
               ROOT, env, WORK / "logs" / "rasa-ours.log"),
    ]  # fmt: skip


def start_stock() -> list[Server]:
    stock = WORK / "stock"
    return [
        Server("stock: Rasa",
               [str(BIN / "rasa"), "run", "--model", "models/stock.tar.gz", "--port", "5205"],
               stock, environment(), WORK / "logs" / "rasa-stock.log"),
    ]  # fmt: skip


async def wait_ready(url: str, servers: list[Server], started: float) -> float:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        while True:
            if any(s.process.poll() is not None for s in servers):
                raise RuntimeError(f"a server stopped; see {WORK / 'logs'}")
            try:
                payload = {"sender": "ready-check", "message": "hello"}
                async with session.post(url, json=payload, timeout=30) as response:
                    if response.status == 200 and await response.json():
                        return time.perf_counter() - started
            except (TimeoutError, aiohttp.ClientError):
                pass
            if time.perf_counter() - started > 600:
                raise RuntimeError("not ready after 10 minutes")
            await asyncio.sleep(0.2)


async def wait_for_nlu_worker(url: str, servers: list[Server], started: float) -> float | None:
    """For ours: until its NLU worker reads the messages (the server reads them itself
    meanwhile, so the first answer comes before), so the load runs as it will be served."""
    import aiohttp

    from channels.nlu_client import READING

    logs = [s.log.name for s in servers]
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - started < 600:
            if any(READING in Path(log).read_text(errors="replace") for log in logs):
                return time.perf_counter() - started
            payload = {"sender": "ready-check", "message": "hello"}
            async with session.post(url, json=payload, timeout=30) as response:
                await response.read()
            await asyncio.sleep(0.5)
    raise RuntimeError("the NLU worker did not read the messages after 10 minutes")


def measure(name: str, start, url: str, nlu_worker: bool = False) -> dict:
    started = time.perf_counter()
    servers = start()
    try:
        cold = asyncio.run(wait_ready(url, servers, started))
        worker_ready = (
            asyncio.run(wait_for_nlu_worker(url, servers, started)) if nlu_worker else None
        )
        levels = {}
        for users in USERS:
            levels[users] = asyncio.run(run_load(url, users, LOAD_SECONDS, f"{name}-{users}"))
            level = levels[users]
            print(f"{name}, {users} patients: {level['throughput']:.1f} messages/s, "
                  f"p95 {level['p95_ms']:.0f} ms, {level['errors']} errors")  # fmt: skip
        memory = {name: mb for s in servers for name, mb in s.peak_mb().items()}
    finally:
        for server in servers:
            server.stop()
    return {"cold_start_s": cold, "nlu_worker_ready_s": worker_ready, "levels": levels,
            "peak_memory_mb": memory}  # fmt: skip


def markdown(results: dict) -> str:
    ours, stock, train = results["ours"], results["stock"], results["training_s"]
    rows = []
    for users in USERS:
        o, s = ours["levels"][users], stock["levels"][users]
        for who, level in (("ours", o), ("stock", s)):
            rows.append([users, who, f"{level['throughput']:.1f}", f"{level['p50_ms']:.0f}",
                         f"{level['p95_ms']:.0f}", f"{level['p99_ms']:.0f}", level["messages"],
                         level["errors"]])  # fmt: skip
        rows.append([users, "**ratio ours/stock**", f"{o['throughput'] / s['throughput']:.2f}x",
                     f"{o['p50_ms'] / s['p50_ms']:.2f}x", f"{o['p95_ms'] / s['p95_ms']:.2f}x",
                     f"{o['p99_ms'] / s['p99_ms']:.2f}x", "", ""])  # fmt: skip
    lines = [
        "# Benchmark",
        "",
        f"Measured {results['date']} on {results['machine']} (`make bench`, bench/load.py),"
        f" {LOAD_SECONDS} s per level. Stock = Rasa 3.6's `rasa init` assistant, trained and"
        " served in the same run. Messages: a mix of questions and follow-ups, bookings and"
        f" small talk over REST ({', '.join(CONVERSATIONS)}).",
        "",
        "## Against the targets",
        "",
        *table(
            ["measure", "ours", "stock", "target", "met"],
            [
                [k, v["ours"], v["stock"], v["target"], "yes" if v["met"] else "**no**"]
                for k, v in results["targets"].items()
            ],
        ),  # fmt: skip
        "",
        "## Latency (ms) and throughput (messages/s) by concurrent patients",
        "",
        *table(
            ["patients", "assistant", "messages/s", "p50", "p95", "p99", "messages", "errors"], rows
        ),  # fmt: skip
        "",
        "## Start-up, training and memory",
        "",
        *table(
            ["measure", "ours", "stock"],
            [
                ["training (s)", f"{train['ours']:.0f}", f"{train['stock']:.0f}"],
                [
                    "cold start to first answer (s)",
                    f"{ours['cold_start_s']:.1f}",
                    f"{stock['cold_start_s']:.1f}",
                ],
                *[
                    ["NLU worker reading the messages, from launch (s)", f"{ready:.1f}", ""]
                    for ready in [ours.get("nlu_worker_ready_s")]
                    if ready is not None
                ],
                *[
                    [f"peak memory: {name} (MB)", f"{mb:.0f}", ""]
                    for name, mb in ours["peak_memory_mb"].items()
                ],
                *[
                    [f"peak memory: {name} (MB)", "", f"{mb:.0f}"]
                    for name, mb in stock["peak_memory_mb"].items()
                ],
            ],
        ),  # fmt: skip
    ]
    return "\n".join(lines) + "\n"


def targets(results: dict) -> dict:
    ours, stock = results["ours"], results["stock"]
    o10, s10 = ours["levels"][10], stock["levels"][10]

    def row(ours_value, stock_value, target, met):
        return {"ours": ours_value, "stock": stock_value, "target": target, "met": met}

    return {
        "throughput at 10 patients (msg/s)": row(
            f"{o10['throughput']:.1f}", f"{s10['throughput']:.1f}", ">= 2x stock",
            o10["throughput"] >= 2 * s10["throughput"]),
        "p95 latency at 10 patients (ms)": row(
            f"{o10['p95_ms']:.0f}", f"{s10['p95_ms']:.0f}", "<= stock",
            o10["p95_ms"] <= s10["p95_ms"]),
        "cold start (s)": row(
            f"{ours['cold_start_s']:.1f}", f"{stock['cold_start_s']:.1f}", "<= stock",
            ours["cold_start_s"] <= stock["cold_start_s"]),
        "training (s)": row(
            f"{results['training_s']['ours']:.0f}", f"{results['training_s']['stock']:.0f}",
            "<= 300 on 2 cores", results["training_s"]["ours"] <= 300),
        "errors": row(
            sum(v["errors"] for v in ours["levels"].values()),
            sum(v["errors"] for v in stock["levels"].values()), "0",
            all(v["errors"] == 0 for v in ours["levels"].values())),
    }  # fmt: skip


def main() -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    training = prepare()
    print(f"training: ours {training['ours']:.0f} s, stock {training['stock']:.0f} s")
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_seconds": LOAD_SECONDS,
        "training_s": training,
        "ours": measure(
            "ours", start_ours, "http://localhost:5105/webhooks/rest/webhook", nlu_worker=True
        ),
        "stock": measure("stock", start_stock, "http://localhost:5205/webhooks/rest/webhook"),
    }
    results["targets"] = targets(results)
    (REPORTS / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    (REPORTS / "bench.md").write_text(markdown(results))
    print(f"wrote {REPORTS / 'bench.md'} and bench.json")


if __name__ == "__main__":
    main()
