"""What the reports share: the machine they ran on, Markdown tables, the confusion matrix,
and ./run's endpoints for a server of their own."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from pathlib import Path


def machine() -> str:
    """The processor, its cores and memory: the figures depend on them."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {memory_kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        memory = ""
    return f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def endpoints_yaml(action_url: str, tracker_db: Path) -> str:
    """./run's endpoints.yml (the same tracker store) with another action server and file."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    endpoints = yaml.safe_load((root / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = action_url
    endpoints["tracker_store"]["db"] = str(tracker_db)
    return yaml.safe_dump(endpoints)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table, as lines."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def confusion_png(truth: Sequence[str], guess: Sequence[str], path: Path) -> None:
    """A confusion matrix of intents, true in rows and predicted in columns."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(truth) | set(guess))
    matrix = confusion_matrix(truth, guess, labels=labels)
    size = max(8, len(labels) * 0.32)
    figure, axes = plt.subplots(figsize=(size + 2, size))
    image = axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("predicted intent")
    axes.set_ylabel("true intent")
    axes.set_title("Held-out NLU intents (tests/nlu/test_nlu.yml)")
    for row in range(len(labels)):
        for column in range(len(labels)):
            if matrix[row, column]:
                colour = "white" if matrix[row, column] > matrix.max() / 2 else "black"
                axes.text(column, row, matrix[row, column], ha="center", va="center",
                          fontsize=6, color=colour)  # fmt: skip
    figure.colorbar(image, ax=axes, fraction=0.03)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
