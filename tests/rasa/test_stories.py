"""Rasa's own test of the question-and-answer stories in tests/stories/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.rasa.conftest import MODEL


def test_rasa_test_core_passes_the_test_stories(tmp_path: Path):
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "test", "core", "--e2e", "--model", str(MODEL), "--stories", "tests/stories",
         "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    report = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + report
    assert "None of the test stories failed" in report
    assert "Correct:          12 / 12" in result.stdout + result.stderr
