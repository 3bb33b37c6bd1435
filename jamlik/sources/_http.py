"""A polite, retrying JSON client with an on-disk response cache, shared by all sources.

Why a layer of our own over httpx: open-data APIs (Kolada, SCB) throttle with 429, fail
transiently with 5xx and time out under load; a sync of a whole county makes hundreds of
requests, so each request must survive those, respect the server's pace and not be repeated
after an interruption (the cache lets a resumed sync skip pages it already has).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from jamlik import __version__ as _jamlik_version
from jamlik.errors import JamlikError

USER_AGENT = f"jamlik/{_jamlik_version} (open public-health statistics; python-httpx)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class SyncError(JamlikError, RuntimeError):
    """A sync failed; the message is Swedish and says what happened, where and what to do."""


class HttpStatusError(SyncError):
    """The server refused a request with a 4xx status that retrying will not fix."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class HttpStats:
    requests: int = 0
    cached: int = 0
    retries: int = 0
    urls: list[str] = field(default_factory=list)


@dataclass
class HttpConfig:
    """Tunables; tests shrink the waits so they run in milliseconds."""

    timeout: float = 30.0
    max_attempts: int = 5
    backoff_base: float = 1.0  # seconds; wait = base * 2**attempt (+ up to 10 % jitter)
    max_wait: float = 120.0  # cap for back-off and Retry-After
    rate_limit: float = 5.0  # requests per second (0 = unlimited)
    cache_dir: Path | None = None
    cache_ttl: float = 6 * 3600  # seconds a cached response is reused


class HttpClient:
    """GET/POST returning parsed JSON, with retries, rate limit and cache."""

    def __init__(self, config: HttpConfig | None = None, *,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.config = config or HttpConfig()
        self.stats = HttpStats()
        self._sleep = sleep
        self._last_request = 0.0
        self._window: tuple[int, float] | None = None  # (calls, seconds) a server allows
        # Answer times of recent requests, kept even before pace() so the call that read a
        # server's limits counts against its window.
        self._recent: deque[float] = deque(maxlen=10_000)
        self._client = httpx.Client(
            timeout=self.config.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ------------------------------------------------------------------------------
    def pace(self, calls: int, seconds: float) -> None:
        """Never make more than ``calls`` requests in any ``seconds`` (a server's stated window,
        e.g. PxWeb's /config ``maxCallsPerTimeWindow`` per ``timeWindow``)."""
        if calls >= 1 and seconds > 0:
            self._window = (int(calls), float(seconds))

    def get_json(self, url: str, params: dict[str, str] | None = None, *,
                 use_cache: bool = True) -> Any:
        return self._request("GET", url, params=params, body=None, use_cache=use_cache)

    def post_json(self, url: str, body: Any, params: dict[str, str] | None = None, *,
                  use_cache: bool = True) -> Any:
        return self._request("POST", url, params=params, body=body, use_cache=use_cache)

    # -- internals ---------------------------------------------------------------------------
    def _request(self, method: str, url: str, *, params: dict[str, str] | None, body: Any,
                 use_cache: bool) -> Any:
        full_url = str(httpx.URL(url, params=params)) if params else url
        payload = json.dumps(body, sort_keys=True, ensure_ascii=False) if body is not None else ""
        cache_path = self._cache_path(method, full_url, payload) if use_cache else None
        if cache_path is not None:
            cached = _read_cache(cache_path, self.config.cache_ttl)
            if cached is not None:
                self.stats.cached += 1
                return cached
        last_problem = ""
        for attempt in range(self.config.max_attempts):
            self._throttle()
            self.stats.requests += 1
            self.stats.urls.append(full_url)
            try:
                try:
                    response = self._client.request(
                        method, full_url,
                        content=payload.encode("utf-8") if body is not None else None,
                        headers={"Content-Type": "application/json"} if body is not None
                        else None,
                    )
                finally:
                    # When the answer came: the server saw the call no later than this, so a
                    # window counted from here is never shorter than the server's.
                    self._recent.append(time.monotonic())
            except httpx.TimeoutException:
                last_problem = f"ingen svar inom {self.config.timeout:g} s (timeout)"
                self._backoff(attempt, None)
                continue
            except httpx.TransportError as exc:
                last_problem = f"nätverksfel ({type(exc).__name__})"
                self._backoff(attempt, None)
                continue
            if response.status_code in RETRY_STATUS:
                last_problem = f"servern svarade HTTP {response.status_code}"
                self._backoff(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                raise HttpStatusError(_http_error_sv(response.status_code, full_url)
                                      + _problem_detail(response), response.status_code)
            try:
                data = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                # A cut connection can deliver a truncated body with status 200: try again.
                last_problem = "svaret var inte fullständig JSON (avbrutet eller trunkerat)"
                self._backoff(attempt, None)
                continue
            if cache_path is not None:
                _write_cache(cache_path, full_url, data)
            return data
        raise SyncError(
            f"{method} {full_url} misslyckades efter {self.config.max_attempts} försök: "
            f"{last_problem}. Försök igen senare; redan hämtade delar ligger kvar och "
            "körningen fortsätter där den slutade."
        )

    def _throttle(self) -> None:
        if self._window is not None:
            calls, seconds = self._window
            for _ in range(calls + 1):  # bounded: each pass drops at least one old call
                now = time.monotonic()
                while self._recent and now - self._recent[0] >= seconds:
                    self._recent.popleft()
                if len(self._recent) < calls:
                    break
                self._sleep(self._recent[0] + seconds - now + 0.005)
        if self.config.rate_limit <= 0:
            return
        gap = 1.0 / self.config.rate_limit
        wait = self._last_request + gap - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()

    def _backoff(self, attempt: int, retry_after: str | None) -> None:
        if attempt + 1 >= self.config.max_attempts:
            return
        self.stats.retries += 1
        wait = _retry_after_seconds(retry_after)
        if wait is None:
            wait = self.config.backoff_base * (2**attempt)
            wait += random.uniform(0, wait * 0.1)
        self._sleep(min(wait, self.config.max_wait))

    def _cache_path(self, method: str, url: str, payload: str) -> Path | None:
        if self.config.cache_dir is None or self.config.cache_ttl <= 0:
            return None
        digest = hashlib.sha256(f"{method}\n{url}\n{payload}".encode()).hexdigest()
        return Path(self.config.cache_dir) / digest[:2] / f"{digest}.json"


def _retry_after_seconds(header: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not header:
        return None
    header = header.strip()
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _read_cache(path: Path, ttl: float) -> Any | None:
    try:
        if time.time() - path.stat().st_mtime > ttl:
            return None
        return json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError):
        return None


def _write_cache(path: Path, url: str, data: Any) -> None:
    # Write-then-rename so a killed process never leaves a half-written cache entry.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"url": url, "data": data}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _problem_detail(response: httpx.Response) -> str:
    """The server's own words from an RFC 7807 problem body (PxWeb 2), if any."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(body, dict):
        return ""
    text = str(body.get("detail") or body.get("title") or "").strip()
    return f" Servern svarade: {text[:200]}" if text else ""


def _http_error_sv(status: int, url: str) -> str:
    if status == 404:
        hint = "adressen finns inte — kontrollera --base-url och id:n (nyckeltal, tabell)."
    elif status in (400, 422):
        hint = ("servern avvisade frågan — för många id:n i en fråga eller ett ogiltigt "
                "id/år; kontrollera argumenten.")
    elif status in (401, 403):
        hint = "åtkomst nekad — tjänsten kräver behörighet eller blockerar anropet."
    else:
        hint = "oväntat fel från servern."
    return f"HTTP {status} från {url}: {hint}"
