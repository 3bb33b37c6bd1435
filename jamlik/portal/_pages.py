"""Rendered responses kept compressed, in memory and on disk per data version (the page store).

Every cached page is a pure function of its URL and the store's data version, so:

- ``CachedResponse`` holds a page's headers and its body compressed ONCE (gzip, level 6,
  ``mtime=0``: byte-identical in every process), and serves it as it is to the clients that
  accept gzip (nearly all), decompressed for the rare one that does not; ``If-None-Match``
  with its ETag gets ``304`` without a body. A hit costs no compression and no hashing.
- ``PageStore`` keeps those responses on disk, one SQLite file per published snapshot beside
  it (``<store>.versions/<snapshot>.pages-<context>.sqlite``): every worker process
  (``uvicorn --workers N``) and every restarted server reads what any of them rendered, so a
  new process answers from the page store at once instead of rendering every page again.
  The file name carries a hash of everything else a page depends on (jamlik's code and
  templates, the home county, the articles, the knowledge bank, the mounted routes), so an
  upgrade never serves pages of the old code. Bounded (``JAMLIK_PAGE_STORE_MB``, 1024 MB;
  0 turns it off); files of snapshots that are gone are deleted.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

#: zlib level of a page compressed once for the caches (9 is ~3× slower for ~2 % less)
LEVEL = 6
#: bodies smaller than this stay as they are (gzip's header costs more than it saves)
MINIMUM_SIZE = 500
#: types compressed for the caches (PDFs are compressed inside, DOCX is a zip)
COMPRESSIBLE = (b"text/", b"application/json", b"application/javascript", b"image/svg")
#: the page store's bound per data version in MB (``JAMLIK_PAGE_STORE_MB``)
PAGE_STORE_MB_DEFAULT = 1024
_SNAPSHOT = re.compile(r"^(\d{6}-[0-9a-f]{8})\.duckdb$")
_PAGES = re.compile(r"^(\d{6}-[0-9a-f]{8})\.pages-[0-9a-f]{16}\.sqlite(-wal|-shm|\.lock)?$")
#: headers a cached response does not keep (set again for each answer)
_PER_ANSWER = (b"content-length", b"content-encoding", b"etag", b"vary")


def accepts(header: bytes | str, coding: str = "gzip") -> bool:
    """Whether an ``Accept-Encoding`` value accepts ``coding`` (``gzip``, not ``gzip;q=0``)."""
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    for part in text.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in (coding, "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return True
    return False


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """One response as every client gets it: status, headers, body (gzipped when
    ``encoding == "gzip"``) and a weak ETag of the plain body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    encoding: str
    etag: bytes

    @classmethod
    def make(cls, status: int, headers: Iterable[tuple[bytes, bytes]], plain: bytes
             ) -> CachedResponse:
        """From a rendered (plain) response: compressed once when that pays."""
        kept = [(k.lower(), v) for k, v in headers if k.lower() not in _PER_ANSWER]
        etag = dict((k.lower(), v) for k, v in headers).get(b"etag")
        if etag is None:
            etag = f'W/"{hashlib.sha256(plain).hexdigest()[:20]}"'.encode()
        ctype = dict(kept).get(b"content-type", b"")
        if len(plain) >= MINIMUM_SIZE and ctype.startswith(COMPRESSIBLE):
            return cls(status, tuple(kept), gzip.compress(plain, LEVEL, mtime=0), "gzip", etag)
        return cls(status, tuple(kept), plain, "", etag)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200

    def plain(self) -> bytes:
        return gzip.decompress(self.body) if self.encoding == "gzip" else self.body

    def answer(self, request_headers: dict[bytes, bytes]) -> tuple[dict, dict]:
        """The ``http.response.start`` and ``http.response.body`` messages for one request
        (its Accept-Encoding, If-None-Match and cookie decide encoding, 304 and privacy)."""
        headers = list(self.headers)
        if (b"cookie" in request_headers or b"authorization" in request_headers) and any(
                k == b"cache-control" and v == b"no-cache" for k, v in headers):
            # a signed-in visitor's copy is kept by their browser only (as CacheHeaders does)
            headers = [(k, b"private, no-cache" if k == b"cache-control" else v)
                       for k, v in headers]
        headers.append((b"etag", self.etag))
        if self.encoding:
            headers.append((b"vary", b"Accept-Encoding"))
        wanted = request_headers.get(b"if-none-match")
        if wanted and self.status == 200 and self.etag in [
                t.strip() for t in wanted.split(b",")]:
            headers = [(k, v) for k, v in headers if k != b"content-type"]
            return ({"type": "http.response.start", "status": 304, "headers": headers},
                    {"type": "http.response.body", "body": b""})
        body = self.body
        if self.encoding == "gzip":
            if accepts(request_headers.get(b"accept-encoding", b"")):
                headers.append((b"content-encoding", b"gzip"))
            else:
                body = gzip.decompress(body)
        headers.append((b"content-length", str(len(body)).encode()))
        return ({"type": "http.response.start", "status": self.status, "headers": headers},
                {"type": "http.response.body", "body": body})


def _page_store_bytes() -> int:
    mb = os.environ.get("JAMLIK_PAGE_STORE_MB", "").strip()
    try:
        return int(float(mb) * 2**20) if mb else PAGE_STORE_MB_DEFAULT * 2**20
    except ValueError:
        raise ValueError(f"JAMLIK_PAGE_STORE_MB={mb!r}: ange ett antal megabyte, t.ex. 1024 "
                         "(0 stänger av sidlagret).") from None


@cache
def code_fingerprint() -> str:
    """A hash of jamlik's own files (code, templates, static files, data): pages rendered by
    other code are never served from the page store."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".pyo") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_fingerprint(paths: Iterable[Path]) -> str:
    """Over the files' names and contents (not their folders: two installs in other places
    render the same pages)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def context_fingerprint(*parts: object, files: Iterable[Path] = ()) -> str:
    """16 hex digits over ``code_fingerprint``, the given parts and the given files' contents."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        digest.update(repr(part).encode())
    digest.update(_files_fingerprint(files).encode())
    return digest.hexdigest()[:16]


class PageStore:
    """The rendered responses of one data version in one SQLite file (WAL: readers in other
    processes never wait for a writer; every write is one transaction, never half a page).
    Thread-safe. Bounded by ``max_bytes``: beyond it new pages are kept in memory only."""

    def __init__(self, path: Path, max_bytes: int):
        self.path = path
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._con = sqlite3.connect(path, timeout=10, check_same_thread=False,
                                    isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")
        self._con.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, "
                          "status INTEGER, headers BLOB, body BLOB, encoding TEXT, etag BLOB)")
        self.bytes = int(self._con.execute(
            "SELECT coalesce(sum(length(body)), 0) FROM pages").fetchone()[0])
        self._lock_fd: int | None = None

    @staticmethod
    def key(path: str, query: bytes) -> str:
        return f"{path}?{query.decode('latin-1')}" if query else path

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            row = self._con.execute("SELECT status, headers, body, encoding, etag FROM pages "
                                    "WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        status, headers, body, encoding, etag = row
        pairs = tuple((k, v) for k, _, v in (line.partition(b"\0")
                                             for line in bytes(headers).split(b"\n") if line))
        return CachedResponse(int(status), pairs, bytes(body), str(encoding), bytes(etag))

    def put(self, key: str, entry: CachedResponse) -> bool:
        """Keep ``entry`` unless the store is full or it is there already (first one wins:
        every process renders the same bytes)."""
        if self.bytes + len(entry.body) > self.max_bytes:
            return False
        headers = b"\n".join(k + b"\0" + v for k, v in entry.headers)
        with self._lock:
            cursor = self._con.execute(
                "INSERT OR IGNORE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                [key, entry.status, headers, entry.body, entry.encoding, entry.etag])
            if cursor.rowcount:
                self.bytes += len(entry.body)
                return True
        return False

    def keys(self) -> set[str]:
        with self._lock:
            return {str(k) for (k,) in self._con.execute("SELECT key FROM pages")}

    def __len__(self) -> int:
        with self._lock:
            return int(self._con.execute("SELECT count(*) FROM pages").fetchone()[0])

    def claim(self) -> bool:
        """Whether this process is the one that pre-renders the version's pages (an flock
        beside the file: one of several workers does it, the others read what it writes)."""
        if self._lock_fd is not None:
            return True
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: every process pre-renders
            return True
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def close(self) -> None:
        with self._lock:
            self._con.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def open_page_store(store_path: str, version: object, context: str,
                    max_bytes: int | None = None) -> PageStore | None:
    """The page store of a data version (``PortalData.version``, which starts with the
    snapshot's name) beside the snapshot, or None: not a published snapshot (a plain file may
    change in place), the page store turned off, or its folder not writable. Deletes the page
    stores of snapshots that no longer exist."""
    bound = _page_store_bytes() if max_bytes is None else max_bytes
    name = version[0] if isinstance(version, tuple) and version else None
    match = _SNAPSHOT.match(str(name)) if name is not None else None
    if bound <= 0 or match is None or store_path == ":memory:":
        return None
    folder = Path(store_path).with_name(Path(store_path).name + ".versions")
    if not (folder / str(name)).is_file() or not os.access(folder, os.W_OK):
        return None
    fingerprint = hashlib.sha256(f"{context}{version!r}".encode()).hexdigest()[:16]
    path = folder / f"{match.group(1)}.pages-{fingerprint}.sqlite"
    remove_stale(folder)
    try:
        return PageStore(path, bound)
    except sqlite3.Error as exc:  # a full disk or a broken file: pages stay in memory only
        log.warning("sidlagret %s kunde inte öppnas: %s", path, exc)
        return None


def remove_stale(folder: Path) -> list[str]:
    """Delete page stores (and their WAL, shared-memory and lock files) whose snapshot is gone."""
    removed = []
    with contextlib.suppress(OSError):
        for file in folder.iterdir():
            match = _PAGES.match(file.name)
            if match and not (folder / f"{match.group(1)}.duckdb").exists():
                with contextlib.suppress(OSError):
                    file.unlink()
                    removed.append(file.name)
    return removed


__all__ = ["COMPRESSIBLE", "LEVEL", "MINIMUM_SIZE", "PAGE_STORE_MB_DEFAULT", "CachedResponse",
           "PageStore", "accepts", "code_fingerprint", "context_fingerprint", "open_page_store",
           "remove_stale"]
