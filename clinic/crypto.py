"""The keys of patients' details at rest: encryption, decryption and a blind index.

Two secrets come from the environment:

- CLINIC_DATA_KEYS: Fernet keys, comma-separated, newest first. The first encrypts, every
  one decrypts: a new key goes in front, `python -m clinic.privacy rotate` re-encrypts every
  row with it, then the old key can be removed (README, "Patients' data").
- CLINIC_HASH_KEY: the secret of the blind index, an HMAC-SHA256 of a phone number that lets
  the SMS channel find an opt-out without storing the number in the clear. It is separate
  from the data keys so that rotating those never changes an index; because every opt-out
  also keeps its number encrypted, `rotate` recomputes the index after this key changes.

Neither key is ever printed: the errors name the variable and say what is wrong with it.
The SQLAlchemy column types that use these functions are in clinic/models.py; the rotation
command is clinic/privacy.py.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

DATA_KEYS_ENV = "CLINIC_DATA_KEYS"
HASH_KEY_ENV = "CLINIC_HASH_KEY"
MIN_HASH_KEY_LENGTH = 32
NEW_KEY_HINT = "make one with: python -m clinic.privacy new-key"


class KeyProblem(RuntimeError):
    """A key in the environment is missing or malformed, or cannot decrypt a stored value.

    The message names the variable and the problem, never a key or a patient's detail.
    """


def _parse_data_keys(raw: str) -> MultiFernet:
    parts = [part.strip() for part in raw.split(",")]
    if not any(parts):
        raise KeyProblem(
            f"{DATA_KEYS_ENV} is empty: set it to one or more Fernet keys; {NEW_KEY_HINT}"
        )
    fernets = []
    for number, part in enumerate(parts, start=1):
        try:
            fernets.append(Fernet(part.encode()))
        except (ValueError, TypeError):
            # `from None`: the original error could quote the malformed key.
            raise KeyProblem(
                f"{DATA_KEYS_ENV}: key {number} of {len(parts)} is not a Fernet key "
                f"(32 url-safe base64-encoded bytes); {NEW_KEY_HINT}"
            ) from None
    return MultiFernet(fernets)


@cache
def _cipher(raw: str) -> MultiFernet:
    return _parse_data_keys(raw)


def cipher() -> MultiFernet:
    """The keys of $CLINIC_DATA_KEYS (read on every call, parsed once per value)."""
    raw = os.environ.get(DATA_KEYS_ENV)
    if raw is None:
        raise KeyProblem(
            f"{DATA_KEYS_ENV} is not set: patients' details are encrypted with it "
            f"(comma-separated Fernet keys, newest first); {NEW_KEY_HINT}"
        )
    return _cipher(raw)


def check_keys() -> None:
    """Raise KeyProblem unless both keys are set and well formed (call it at start-up)."""
    cipher()
    _hash_key()


def encrypt(text: str) -> str:
    """`text` encrypted with the newest data key, as an ASCII token."""
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token made by `encrypt`, with whichever data key made it."""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise KeyProblem(
            f"a stored value can't be decrypted with any key in {DATA_KEYS_ENV}: was a key "
            "removed before `python -m clinic.privacy rotate` had re-encrypted every row?"
        ) from None


def reencrypt(token: str) -> str:
    """The same text encrypted with the newest data key (the token's own time is kept)."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise KeyProblem(
            f"a stored value can't be decrypted with any key in {DATA_KEYS_ENV}; "
            "put back the key it was encrypted with, then rotate again"
        ) from None


def _hash_key() -> bytes:
    raw = os.environ.get(HASH_KEY_ENV)
    if raw is None:
        raise KeyProblem(
            f"{HASH_KEY_ENV} is not set: it keys the index of SMS opt-outs (a random string "
            f"of at least {MIN_HASH_KEY_LENGTH} characters, such as "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    if len(raw.strip()) < MIN_HASH_KEY_LENGTH:
        raise KeyProblem(
            f"{HASH_KEY_ENV} is too short: use at least {MIN_HASH_KEY_LENGTH} random characters"
        )
    return raw.strip().encode("utf-8")


def blind_index(value: str) -> str:
    """A keyed hash of `value` (hex HMAC-SHA256): equal values, equal indexes; not reversible."""
    return hmac.new(_hash_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()
