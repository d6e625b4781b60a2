"""The NLU files hold examples only: Rasa skips, with no more than a warning, a line of an
`examples` block that doesn't start with "-", so a comment there is lost, or worse, read as
an example by a reader less strict than Rasa's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

BENCH = ROOT / "bench" / "data"
NLU_FILES = sorted([
    *(ROOT / "data").glob("*.yml"), ROOT / "tests" / "nlu" / "test_nlu.yml",
    *BENCH.glob("answers_*.yml"), BENCH / "off_topic_dev.yml",
])  # fmt: skip


@pytest.mark.parametrize("path", NLU_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_line_of_an_examples_block_is_an_example(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    blocks = [b for b in data.get("nlu") or [] if "examples" in b]
    strays = [
        line.strip()
        for block in blocks
        for line in block["examples"].splitlines()
        if line.strip() and not line.lstrip().startswith("-")
    ]
    assert strays == []


def test_the_files_hold_examples():
    loaded = {p.name: yaml.safe_load(p.read_text()) or {} for p in NLU_FILES}
    counts = {
        name: sum(len(b["examples"].splitlines()) for b in data.get("nlu") or [] if "examples" in b)
        for name, data in loaded.items()
    }
    assert counts["nlu.yml"] > 3000 and counts["out_of_scope.yml"] > 250
