"""scripts/common.sh's ensure_secrets: secrets made once, kept, and read back whole."""

from __future__ import annotations

import os
import subprocess

from cryptography.fernet import Fernet

from tests.conftest import ROOT

NAMES = ("CLINIC_DATA_KEYS", "CLINIC_HASH_KEY", "CLINIC_API_TOKEN")


def ensure_secrets(path, **env: str) -> dict[str, str]:
    """Run ensure_secrets with `path` as the file; the variables it exported."""
    script = f"source scripts/common.sh; SECRETS_FILE={path}; ensure_secrets; " + "; ".join(
        f'echo "{name}=${name}"' for name in NAMES
    )
    clean = {k: v for k, v in os.environ.items() if k not in NAMES}
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


def test_secrets_are_made_once_private_and_read_back_whole(tmp_path):
    path = tmp_path / "secrets.env"
    first = ensure_secrets(path)
    Fernet(first["CLINIC_DATA_KEYS"].encode())  # the key's trailing "=" survived
    assert len(first["CLINIC_HASH_KEY"]) >= 32 and len(first["CLINIC_API_TOKEN"]) >= 32
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert ensure_secrets(path) == first  # kept, not made again


def test_a_missing_one_is_added_and_the_environment_wins(tmp_path):
    path = tmp_path / "secrets.env"
    key = Fernet.generate_key().decode()
    path.write_text(f"CLINIC_DATA_KEYS={key}\n")
    exported = ensure_secrets(path, CLINIC_API_TOKEN="from-the-environment-0123456789")
    assert exported["CLINIC_DATA_KEYS"] == key
    assert exported["CLINIC_API_TOKEN"] == "from-the-environment-0123456789"
    assert path.read_text().startswith(f"CLINIC_DATA_KEYS={key}\n")
    assert {line.split("=")[0] for line in path.read_text().splitlines()} == set(NAMES)
