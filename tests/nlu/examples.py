"""Read Rasa NLU YAML files as (text, intent) pairs, and normalise texts for comparison."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def normalise(text: str) -> str:
    """Lower case, letters and digits only: "What's up?" and "whats up" are the same."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def read_examples(path: Path) -> list[tuple[str, str]]:
    """Every (example text, intent) in an NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((text, block["intent"]))
    return pairs
