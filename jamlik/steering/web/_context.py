"""The steering pages' configuration: the workflow database and the indicator store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import FastAPI, Request

from jamlik.steering._session import (
    SessionCodec,
)
from jamlik.steering._workflow import Workflow
from jamlik.store import Store
from jamlik.web.cache import BoundedCache

PROFILE_TTL = 300.0  # seconds; a data refresh shows in the follow-up within five minutes


# -- configuration ----------------------------------------------------------------------------
@dataclass
class SteeringContext:
    workflow: Workflow
    store_factory: Callable[[], Store]
    store_lock: threading.RLock = field(default_factory=threading.RLock)
    _store: Store | None = None
    _codec: SessionCodec | None = None
    #: the statistics core's profile rows, reused for PROFILE_TTL seconds
    _profiles: dict = field(default_factory=dict)
    _profiles_at: float = 0.0
    #: rendered reports per data version (bounded, one render per key at a time)
    reports: BoundedCache = field(default_factory=lambda: BoundedCache(
        max_entries=64, max_bytes=128 * 2**20, size=lambda v: len(v[0])))

    def profile_cache(self) -> dict:
        now = time.monotonic()
        if now - self._profiles_at > PROFILE_TTL:
            self._profiles.clear()
            self._profiles_at = now
        return self._profiles

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.store_factory()
        return self._store

    @property
    def codec(self) -> SessionCodec:
        if self._codec is None:
            self._codec = SessionCodec(self.workflow.secret_key())
        return self._codec


def configure(app: FastAPI, *, workflow: Workflow | None = None, store: Store | None = None,
              store_lock: threading.RLock | None = None) -> SteeringContext:
    """Attach the workflow database and the indicator store the pages use.

    Without arguments the workflow comes from ``JAMLIK_DATABASE_URL`` (SQLite by default) and
    the store from ``JAMLIK_DB``/the default file, opened read-only on first use. Pass the
    portal's store and its lock to share one DuckDB connection.
    """
    ctx = SteeringContext(
        workflow=workflow or Workflow.open(),
        store_factory=(lambda: store) if store is not None else (lambda: Store(read_only=True)),
        store_lock=store_lock or threading.RLock(),
    )
    app.state.jamlik_steering = ctx
    return ctx


def context(request: Request) -> SteeringContext:
    ctx = getattr(request.app.state, "jamlik_steering", None)
    if ctx is None:
        ctx = configure(request.app)
    return ctx
