"""Passwords: argon2id hashes (argon2-cffi) and an offline strength check (zxcvbn).

A password has at least 12 characters and is refused when it is common or easy to guess: zxcvbn
knows lists of common passwords, names and words, and we add the words anyone would try here.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3
"""zxcvbn's 0-4 scale: 3 is 'safely unguessable' (about 10^8 guesses or more)."""
_HASHER = PasswordHasher()  # argon2id with the library's current (RFC 9106) parameters
_DUMMY = _HASHER.hash("koplopermonitor-dummy-wachtwoord")
LOCAL_WORDS = (
    "koplopermonitor",
    "koploper",
    "movisie",
    "wachtwoord",
    "welkom",
    "gemeente",
    "cliënt",
    "client",
    "clientondersteuning",
    "ondersteuning",
    "wmo",
    "adviesraad",
    "beheerder",
    "onderzoeker",
    "tilburg",
    "breda",
    "almere",
    "zomer",
    "winter",
    "voorjaar",
    "najaar",
)


class PasswordRejected(ValueError):
    """The password does not meet the rules; the message (Dutch) says why and what helps."""


def check_strength(password: str, email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            f"Het wachtwoord is te kort: gebruik minstens {MIN_LENGTH} tekens. Tip: een zin van "
            "een paar woorden is lang en makkelijk te onthouden."
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"Het wachtwoord is te lang: gebruik hoogstens {MAX_LENGTH} tekens.")
    hints = [*LOCAL_WORDS, *re.split(r"[@._+-]+", email.lower())]
    # zxcvbn's time grows with the length; its first 100 characters say enough.
    result = zxcvbn(password[:100], user_inputs=[hint for hint in hints if hint])
    if result["score"] < MIN_SCORE:
        raise PasswordRejected(
            "Dit wachtwoord is te makkelijk te raden: het is veelgebruikt of lijkt op een woord, "
            "naam of reeks. Kies een langere zin van gewone woorden die niet bij elkaar horen."
        )


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether the password matches; with no stored hash it takes just as long and says no."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
