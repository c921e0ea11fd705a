"""Password hashing (argon2id) and the password policy.

Hashes are argon2id in the PHC string format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), made with
argon2-cffi's `PasswordHasher` and its RFC 9106 "low memory" defaults (64 MiB, 3 passes, 4 lanes).
The parameters travel inside each hash, so they can be raised later: `needs_rehash` says when a
stored hash was made with older parameters and the login rehashes it.

Tests may pass a cheaper `PasswordHasher` (`fast_hasher()`); the program never does.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128

DEFAULT_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile

# One-time passwords avoid look-alike characters (0/O, 1/l/I) so they can be read off a screen.
_OTP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
OTP_LENGTH = 12


def fast_hasher() -> PasswordHasher:
    """Cheap argon2id parameters, for tests only (a real login uses DEFAULT_HASHER)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    return str(hasher.hash(password))


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> bool:
    """True when `password` matches `stored_hash`. A malformed hash is a mismatch, never an exception."""
    try:
        return bool(hasher.verify(stored_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher = DEFAULT_HASHER) -> bool:
    try:
        return bool(hasher.check_needs_rehash(stored_hash))
    except (InvalidHashError, ValueError):
        return True


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is not acceptable, or None when it is. Messages are shown to the user as is."""
    if len(password) < MIN_LENGTH:
        return f"The password must have at least {MIN_LENGTH} characters (it has {len(password)})."
    if len(password) > MAX_LENGTH:
        return f"The password may have at most {MAX_LENGTH} characters."
    if password.isdigit():
        return "The password must not be only digits; add letters or symbols."
    if password != password.strip():
        return "The password must not start or end with a space."
    if username and password.casefold() == username.casefold():
        return "The password must not be the same as the user name."
    return None


def check_password_policy(password: str, username: str = "") -> None:
    """Raise ValidationError with a clear message when `password` breaks the policy."""
    problem = password_problem(password, username)
    if problem:
        raise ValidationError(problem)


def generate_one_time_password(length: int = OTP_LENGTH) -> str:
    """A random password for first run and resets; always passes the policy (letters and digits)."""
    while True:
        candidate = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(length))
        if any(ch.isdigit() for ch in candidate) and any(ch.isalpha() for ch in candidate):
            return candidate
