"""Errors of the prioritisation workflow: a Swedish message and the HTTP status it maps to."""

from __future__ import annotations

from jamlik.errors import JamlikError


class PrioritisationError(JamlikError, ValueError):
    """Base of the prioritisation workflow's errors (``jamlik.errors.JamlikError``)."""

    status_code = 400


class InvalidAnswer(PrioritisationError):
    """A rating outside the scale, an unknown proposal or criterion, a repeated answer …"""

    status_code = 422


class RoundNotOpen(PrioritisationError):
    """The round is not open (not yet opened, closed, or outside its opening times)."""

    status_code = 409


class AlreadySubmitted(PrioritisationError):
    """The participant has already submitted their answers in this round."""

    status_code = 409


class NotFound(PrioritisationError):
    status_code = 404


class PermissionDenied(PrioritisationError):
    status_code = 403
