"""Single-use invitation codes: made from ``secrets``, printed as ``K7QM-2XPD``, typed forgivingly.

The alphabet is Crockford's base 32: digits and capitals without I, L, O and U, so no two of its
characters look alike (it has 0 but no O, 1 but no I or L). Eight characters are 40 bits of
randomness. Typing is forgiving: lower case, spaces and hyphens anywhere, and the look-alikes a
reader may type for what is printed (O for 0, I or L for 1) all give the same code.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
BITS = LENGTH * 5  # 32 = 2**5 symbols
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\t\n\r.")


def new_code() -> str:
    """A fresh normalised code: eight characters from ``secrets`` (40 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The stored form of a typed or scanned code, or ``None`` when it cannot be one.

    'k7qm 2xpd', 'K7QM--2XPD' and 'K7QM2XPD' give 'K7QM2XPD'; 'O' is read as 0, 'I'/'L' as 1.
    """
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    code = typed.translate(_IGNORED).upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def printed(code: str) -> str:
    """As a letter prints it: two groups of four, 'K7QM-2XPD'."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
