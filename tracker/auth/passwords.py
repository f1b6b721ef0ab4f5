"""Password hashing with Argon2id (OWASP's first choice), and the rule for new passwords.

A new password must have at least MIN_PASSWORD_LENGTH characters and be hard to guess, as
judged by zxcvbn (Dropbox's estimator: frequency lists of common passwords, words, names,
keyboard runs, repeats, sequences and dates): it must reach MIN_PASSWORD_SCORE, 3 on zxcvbn's
scale of 0 to 4 (about ten billion guesses). It must also stay hard to guess once the person's own name and email
address are taken out of it.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from tracker.exceptions import RuleViolation

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # "safely unguessable" in zxcvbn's words
ESTIMATED_LENGTH = 72  # zxcvbn refuses longer input; what lies beyond only adds strength
PERSONAL_PART = re.compile(r"[^\w]+|_")


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


def check_new_password(password: str, *, email: str, name: str, field: str) -> None:
    """Refuse a new password that is short or easy to guess (RuleViolation on `field`)."""
    problem = password_problem(password, email=email, name=name)
    if problem is not None:
        raise RuleViolation(problem, field)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why the password may not be used, in words for its owner; None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    personal = personal_words(email, name)
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=personal)
    if estimate["score"] < MIN_PASSWORD_SCORE:
        return _too_easy(_reason(estimate["sequence"]))
    remainder = password.lower()
    for word in personal:  # longest first, so the whole address goes before its parts
        remainder = remainder.replace(word, "")
    if remainder != password.lower() and (
        len(remainder) < MIN_PASSWORD_LENGTH // 2
        or zxcvbn(remainder[:ESTIMATED_LENGTH])["score"] < MIN_PASSWORD_SCORE
    ):
        return _too_easy(_("It is built on your name or email address."))
    return None


def personal_words(email: str, name: str) -> list[str]:
    """The person's name and address and their parts, lower case, longest first."""
    email, name = email.strip().lower(), " ".join(name.split()).lower()
    local, _at, domain = email.partition("@")
    words = {email, local, name, name.replace(" ", "")}
    words.update(PERSONAL_PART.split(local))
    words.update(PERSONAL_PART.split(name))
    words.update(domain.split(".")[:-1])  # the domain's names, not its ending (.eu, .org)
    return sorted((word for word in words if len(word) >= 3), key=lambda w: (-len(w), w))


def _too_easy(reason: str) -> str:
    sentences = [
        _("This password is too easy to guess."),
        reason,
        _("Three or four unrelated words, or a longer phrase, make a strong password."),
    ]
    return " ".join(sentence for sentence in sentences if sentence)


def _reason(sequence: list[dict]) -> str:
    """The clearest explanation of what makes the password guessable."""
    patterns = [(match["pattern"], match.get("dictionary_name", "")) for match in sequence]
    if ("dictionary", "user_inputs") in patterns:
        return _("It is built on your name or email address.")
    if ("dictionary", "passwords") in patterns:
        return _("It is, or is built on, one of the most common passwords.")
    explanations = {
        "repeat": _("It repeats characters or words (like aaaa or abcabc)."),
        "sequence": _("It is a simple sequence (like abcd or 1234)."),
        "spatial": _("It follows keys next to each other on the keyboard (like qwerty)."),
        "date": _("Dates and years are easy to guess."),
        "regex": _("Dates and years are easy to guess."),
        "dictionary": _("Common words and names on their own are easy to guess."),
    }
    for pattern, _dictionary in patterns:
        if pattern in explanations:
            return explanations[pattern]
    return ""
