"""Errors of the steering loop; each carries a Swedish message and the HTTP status it maps to."""

from __future__ import annotations


class SteeringError(Exception):
    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
