"""The password policy, after NIST SP 800-63B (rev. 4, 2024), section 3.1.1.2.

jamlik signs in with a password alone (single-factor), so a new password must be at least
``MIN_LENGTH`` = 15 characters; up to ``MAX_LENGTH`` = 128 are accepted (NIST: at least 64).
There are no composition rules (no demand for digits or symbols) and no forced expiry. Refused:
passwords on a shipped, offline list of common and breached passwords (zxcvbn's 30,000 from
breach corpora, MIT licence, plus ``data/common_passwords_sv.txt``) — also when only repeated
or padded with digits — all-whitespace, one repeated character or a short repeated pattern,
sequences such as ``123456789…`` and the user name with a few characters added. Messages are in Swedish.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

MIN_LENGTH = 15
MAX_LENGTH = 128
_SV_LIST = Path(__file__).parent / "data" / "common_passwords_sv.txt"
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyzåäö", "qwertyuiopåasdfghjklöäzxcvbnm")


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The offline list (lower-case): zxcvbn's common passwords and the Swedish supplement."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set(FREQUENCY_LISTS["passwords"])
    for line in _SV_LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.strip().lower())
    return frozenset(words)


def _is_sequence(text: str) -> bool:
    lowered = text.lower()
    for seq in _SEQUENCES:
        for s in (seq, seq[::-1]):
            if len(lowered) >= 4 and all(c in s for c in lowered):
                # every step moves one place along the sequence (wrapping allowed)
                idx = [s.index(c) for c in lowered]
                if all((b - a) % len(s) == 1 for a, b in zip(idx, idx[1:], strict=False)):
                    return True
    return False


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is refused (Swedish), or None when it may be used."""
    text = unicodedata.normalize("NFKC", password)  # NIST: normalise Unicode before checking
    if not text.strip():
        return "lösenordet får inte bestå av bara mellanslag."
    if len(text) < MIN_LENGTH:
        return (f"lösenordet är för kort: använd minst {MIN_LENGTH} tecken (du skrev "
                f"{len(text)}). En fras av några ord är lätt att minnas, t.ex. "
                "\"blå cykel under bron\".")
    if len(text) > MAX_LENGTH:
        return f"lösenordet är för långt: högst {MAX_LENGTH} tecken."
    lowered = text.lower()
    compact = re.sub(r"\s+", "", lowered)
    if len(set(compact)) <= 2 or re.fullmatch(r"(.{1,4})\1+.{0,3}", compact):
        return "lösenordet är bara ett eller några tecken som upprepas — välj något svårare."
    if _is_sequence(compact):
        return "lösenordet är en följd av tecken (som 123456… eller abcdef…) — välj något svårare."
    name = re.sub(r"\s+", "", (username or "").lower())
    if name and len(compact.replace(name, "")) < 8:
        return "lösenordet är nästan bara användarnamnet — välj något annat."
    common = common_passwords()
    stripped = re.sub(r"[\d\W_]+$", "", compact)  # "password2024!" -> "password"
    candidates = {lowered, compact, stripped}
    for text_ in (compact, stripped):
        base = re.fullmatch(r"(.+?)\1+", text_)  # "passwordpassword" -> "password"
        if base:
            candidates.add(base.group(1))
    for candidate in candidates:
        if candidate and candidate in common:
            return ("lösenordet finns på listan över vanliga eller läckta lösenord — "
                    "välj ett annat.")
    return None


def check_password(password: str, username: str | None = None) -> None:
    """Raise ValueError (Swedish message) unless ``password`` follows the policy."""
    problem = password_problem(password, username)
    if problem:
        raise ValueError(problem)
