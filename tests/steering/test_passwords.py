"""The password policy (NIST SP 800-63B): length, an offline common-password list, no rules."""

from __future__ import annotations

import pytest

from jamlik.steering import SYSTEM
from jamlik.steering._passwords import MAX_LENGTH, MIN_LENGTH, common_passwords, password_problem


@pytest.mark.parametrize("password, reason", [
    ("12345678", "minst 15 tecken"),  # issue 9: accepted before
    ("password", "minst 15 tecken"),
    (" " * 8, "bara mellanslag"),
    (" " * 20, "bara mellanslag"),
    ("a" * 20, "upprepas"),
    ("abcabcabcabcabcabc", "upprepas"),
    ("123456789012345678", "följd av tecken"),
    ("passwordpassword1", "vanliga eller läckta"),
    ("sommar2023sommar2023", "vanliga eller läckta"),
    ("välkommen1234567890", "vanliga eller läckta"),
    ("x" * (MAX_LENGTH + 1), "för långt"),
    ("AnnaAnnaAnna-2024!", "användarnamnet"),
])
def test_weak_passwords_are_refused_in_swedish(password, reason):
    assert reason in (password_problem(password, "anna") or "")


@pytest.mark.parametrize("password", [
    "blå cykel under bron",  # no digits or symbols demanded
    "ett annat långt lösenord",  # holds "anna", but is not the user name
    "korrekt häst batteri häftklammer",
    "Ä" * 3 + "ett långt lösenord",
    ("en mening om hälsa i dalarna " * 3)[:64],  # 64 characters, NIST's minimum maximum
])
def test_long_passphrases_without_composition_rules_are_accepted(password):
    assert password_problem(password, "anna") is None


def test_the_list_is_shipped_offline_and_large():
    words = common_passwords()
    assert len(words) > 30_000 and {"123456", "password", "lösenord"} <= words
    assert MIN_LENGTH == 15 and MAX_LENGTH >= 64


def test_creating_a_user_or_changing_a_password_follows_the_policy(workflow):
    with pytest.raises(ValueError, match="vanliga eller läckta"):
        workflow.create_user(SYSTEM, "bo", "viewer", password="password123456789")
    workflow.create_user(SYSTEM, "bo", "viewer", password="blå cykel under bron")
    with pytest.raises(ValueError, match="bara mellanslag"):
        workflow.set_password(SYSTEM, "bo", " " * 16)
    assert workflow.authenticate("bo", "blå cykel under bron") is not None
