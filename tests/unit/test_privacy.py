"""Patients' details at rest: the keys, encryption, rotation and the blind index."""

from __future__ import annotations

import io
from datetime import date

import pytest
from cryptography.fernet import Fernet

from clinic.crypto import (
    KeyProblem,
    blind_index,
    check_keys,
    decrypt,
    encrypt,
    reencrypt,
)
from clinic.models import EncryptedDate, EncryptedText, SmsOptOut
from clinic.privacy import main

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
HASH_KEY = "a-test-hash-key-that-is-long-enough-0123"


@pytest.fixture
def keys(monkeypatch):
    def use(data_keys: str | None, hash_key: str | None = HASH_KEY) -> None:
        for name, value in (("CLINIC_DATA_KEYS", data_keys), ("CLINIC_HASH_KEY", hash_key)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    use(OLD)
    return use


def test_a_value_is_encrypted_differently_each_time_and_reads_back(keys):
    first, second = encrypt("Maria López"), encrypt("Maria López")
    assert first != second and "Maria" not in first and "López" not in first
    assert decrypt(first) == decrypt(second) == "Maria López"


def test_the_first_key_encrypts_and_every_key_decrypts(keys):
    token = encrypt("+19725550123")
    keys(f"{NEW},{OLD}")
    assert decrypt(token) == "+19725550123"
    rotated = reencrypt(token)
    assert Fernet(NEW.encode()).decrypt(rotated.encode()) == b"+19725550123"
    keys(NEW)  # the old key removed: only rotated values still read
    assert decrypt(rotated) == "+19725550123"
    with pytest.raises(KeyProblem, match="can't be decrypted") as raised:
        decrypt(token)
    assert token not in str(raised.value) and NEW not in str(raised.value)


def test_a_missing_key_is_named_without_printing_anything_secret(keys):
    keys(None)
    with pytest.raises(KeyProblem, match="CLINIC_DATA_KEYS is not set"):
        encrypt("x")
    keys("   ")
    with pytest.raises(KeyProblem, match="CLINIC_DATA_KEYS is empty"):
        encrypt("x")
    keys(OLD, hash_key=None)
    with pytest.raises(KeyProblem, match="CLINIC_HASH_KEY is not set"):
        blind_index("+19725550123")


@pytest.mark.parametrize("bad", ["not-a-key", OLD[:-4], "x" * 44])
def test_a_malformed_key_is_refused_without_printing_it(keys, bad):
    keys(f"{NEW},{bad}")
    with pytest.raises(KeyProblem) as raised:
        encrypt("x")
    message = str(raised.value)
    assert "key 2 of 2 is not a Fernet key" in message
    assert bad not in message and NEW not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_short_hash_key_is_refused_without_printing_it(keys):
    keys(OLD, hash_key="short-secret")
    with pytest.raises(KeyProblem) as raised:
        check_keys()
    assert "CLINIC_HASH_KEY is too short" in str(raised.value)
    assert "short-secret" not in str(raised.value)


def test_the_blind_index_is_keyed_stable_and_survives_a_data_key_rotation(keys):
    index = blind_index("+19725550123")
    assert len(index) == 64 and "9725550123" not in index
    assert blind_index("+19725550123") == index != blind_index("+19725550124")
    keys(f"{NEW},{OLD}")
    assert blind_index("+19725550123") == index
    keys(NEW, hash_key=HASH_KEY + "-changed")
    assert blind_index("+19725550123") != index


def test_the_column_types_store_tokens_and_give_back_plain_values(keys):
    text, day = EncryptedText(), EncryptedDate()
    stored = day.process_bind_param(date(1956, 3, 14), None)
    assert "1956" not in stored
    assert day.process_result_value(stored, None) == date(1956, 3, 14)
    assert text.process_result_value(text.process_bind_param("Ann Lee", None), None) == "Ann Lee"
    assert text.process_bind_param(None, None) is None
    assert "9725550123" not in repr(SmsOptOut(phone_hash="ab", phone="+19725550123"))


def test_new_key_prints_a_usable_fernet_key(keys):
    out = io.StringIO()
    assert main(["new-key"], out=out) == 0
    key = out.getvalue().strip()
    keys(f"{key},{OLD}")
    assert Fernet(key.encode()).decrypt(encrypt("x").encode()) == b"x"
