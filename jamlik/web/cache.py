"""A bounded cache with per-key single-flight, for expensive outputs (PDF fact sheets, reports).

``BoundedCache.get_or_make(key, make)`` returns the cached value or makes it once: concurrent
callers for the same key wait for the first one (single-flight) instead of rendering again, and
callers for other keys are not held up (no global lock around the rendering itself). Entries
are evicted least-recently-used beyond ``max_entries`` or ``max_bytes``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedCache(Generic[T]):
    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 2**20,
                 size: Callable[[T], int] = lambda v: len(v) if isinstance(v, bytes | str) else 1):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # guards the dictionaries only, never a render
        self._making: dict[Hashable, threading.Lock] = {}
        self.makes = 0  # how many times ``make`` ran (for tests and benchmarks)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return hit[0]

    def put(self, key: Hashable, value: T) -> None:
        size = self._size(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        hit = self.get(key)
        if hit is not None:
            return hit
        with self._lock:
            key_lock = self._making.setdefault(key, threading.Lock())
        with key_lock:  # the first caller makes it; the others wait here, then find it
            hit = self.get(key)
            if hit is not None:
                return hit
            try:
                value = make()
                self.makes += 1
                self.put(key, value)
                return value
            finally:
                with self._lock:
                    self._making.pop(key, None)
