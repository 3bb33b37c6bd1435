"""Errors of the steering loop; each carries a Swedish message and the HTTP status it maps to."""

from __future__ import annotations

from jamlik.errors import JamlikError


class SteeringError(JamlikError):
    """Base of the steering loop's errors (``jamlik.errors.JamlikError``: message, location,
    HTTP status)."""

    status_code = 400


class NotFound(SteeringError):
    status_code = 404


class PermissionDenied(SteeringError):
    status_code = 403


class NotAuthenticated(SteeringError):
    status_code = 401


class ConflictError(SteeringError):
    """Someone else saved the same object after the editor opened it (optimistic concurrency)."""

    status_code = 409


class InvalidInput(SteeringError):
    status_code = 422
