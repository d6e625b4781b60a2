"""Simulated patients for the load benchmark: scripted conversations sent over REST.

Each patient picks conversations in turn from a weighted mix and sends its messages one
after another, waiting for each reply, as a person would (without the reading time).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time

# name -> (weight, messages)
MIX = {
    "question": (4, ["what's the difference between facet and trigger point injections?",
                     "how long does it last?", "/ask_more_detail", "thanks"]),
    "small talk": (2, ["hi", "are you a bot?", "what can you do?", "bye"]),
    "off topic": (1, ["what's the weather tomorrow", "how much does it cost?"]),
    "booking": (3, ["I'd like to book an appointment", "low back pain", "new patient", "skip",
                    "skip", "skip", "skip", "Pat Bench", "03/14/1956", "972-555-0123", "skip",
                    "next wednesday morning", "1", "yes"]),
}  # fmt: skip
CONVERSATIONS = list(MIX)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def patient(session, url: str, number: int, deadline: float, run: str, stats: dict):
    chooser = random.Random(number)
    names = [name for name, (weight, _) in MIX.items() for _ in range(weight)]
    for conversation in itertools.count():
        sender = f"{run}-{number}-{conversation}"
        for message in MIX[chooser.choice(names)][1]:
            if time.monotonic() >= deadline:
                return
            start = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": message},
                                        timeout=120) as response:  # fmt: skip
                    await response.read()
                    ok = response.status == 200
            except Exception:  # noqa: BLE001 (any failure counts as an error)
                ok = False
            stats["latencies"].append((time.perf_counter() - start) * 1000)
            stats["errors"] += not ok


async def run_load(url: str, users: int, seconds: float, run: str) -> dict:
    import aiohttp

    stats = {"latencies": [], "errors": 0}
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(patient(session, url, n, deadline, run, stats) for n in range(users))
        )
        elapsed = time.monotonic() - started
    latencies = stats["latencies"]
    return {
        "users": users,
        "messages": len(latencies),
        "errors": stats["errors"],
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed,
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
    }
