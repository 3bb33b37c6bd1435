"""One error base (jamlik.errors.JamlikError): every capability's errors are subclasses with a
Swedish message and, when a file is at fault, its file, line and column."""

from __future__ import annotations

import pytest

from jamlik.economics.case import CaseError
from jamlik.economics.fund import FundError
from jamlik.errors import JamlikError, located, location
from jamlik.io import ImportRejected, MappingError, TomlError
from jamlik.knowledge._bank import BankError
from jamlik.knowledge._review import ReviewError
from jamlik.prioritisation._errors import InvalidAnswer, PrioritisationError
from jamlik.sources._http import HttpStatusError, SyncError
from jamlik.steering._errors import InvalidInput, NotFound, SteeringError
from jamlik.store import StoreError
from jamlik.surveys._definition import DefinitionError

#: every error class users read, with the built-in class callers already catch it as
INTERFACES = [
    (SteeringError, Exception), (PrioritisationError, ValueError), (CaseError, ValueError),
    (FundError, ValueError), (SyncError, RuntimeError), (MappingError, ValueError),
    (TomlError, ValueError), (DefinitionError, ValueError), (BankError, ValueError),
    (ReviewError, ValueError), (StoreError, RuntimeError),
]


@pytest.mark.parametrize("cls, builtin", INTERFACES, ids=lambda c: c.__name__)
def test_every_error_class_is_a_jamlik_error_and_keeps_its_builtin_base(cls, builtin):
    assert issubclass(cls, JamlikError) and issubclass(cls, builtin)
    err = cls("värdet saknas", file="fall.toml", line=3, column=9)
    assert str(err) == err.message == "fall.toml:3:9: värdet saknas"
    assert err.detail == "värdet saknas" and (err.line, err.column) == (3, 9)
    assert str(cls("bara ett meddelande")) == "bara ett meddelande"


def test_subclasses_keep_their_http_status_and_extra_fields():
    assert NotFound("x").status_code == 404 and InvalidInput("x").status_code == 422
    assert InvalidAnswer("x").status_code == 422 and SteeringError("x").status_code == 400
    assert isinstance(ImportRejected([]), JamlikError)
    err = HttpStatusError("servern svarade 403", 403)
    assert err.status == 403 and str(err) == "servern svarade 403"


def test_location_says_as_much_as_is_known():
    assert location("plan.toml", 3, 9) == "plan.toml:3:9"
    assert location("plan.toml", 3) == "plan.toml:3"
    assert location("plan.toml") == "plan.toml"
    assert location(None, 3, 9) == "rad 3, kolumn 9"
    assert location(None) == "" and located("fel") == "fel"


def test_one_except_catches_every_capability():
    caught = []
    for cls, _ in INTERFACES:
        try:
            raise cls("fel")
        except JamlikError as exc:
            caught.append(type(exc))
    assert caught == [cls for cls, _ in INTERFACES]
