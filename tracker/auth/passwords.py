"""Password hashing with Argon2id (OWASP's first choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    config = current_app.config
    if "ARGON2_TIME_COST" in config:
        return PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
        )
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Return an Argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; an account without a password never matches."""
    if not password_hash:
        # Spend the same time as a real check, so timing does not reveal the account.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
