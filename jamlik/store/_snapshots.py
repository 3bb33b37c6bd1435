"""Published snapshots: writers build a new version of the store file, readers keep serving.

DuckDB allows one writer per file, and a writer excludes every reader in other processes. So a
writer never opens the file readers use: it copies the published snapshot, writes the copy and,
on ``Store.close()``, publishes it by atomically repointing the store path (a symlink) at it.
A reader (the portal) notices the new target with one ``stat`` and reopens (``Store.refresh``);
the previous snapshot is deleted once no process holds it open.

Layout for the store ``demo/jamlik.duckdb``::

    demo/jamlik.duckdb                 symlink -> jamlik.duckdb.versions/000007-3f9a0c2e.duckdb
    demo/jamlik.duckdb.versions/
        000007-3f9a0c2e.duckdb         the published snapshot (never written again)
        000006-81b2d4aa.duckdb         the previous one, until no reader has it open
        000008-c0ffee00.duckdb         the copy a writer is building …
        000008-c0ffee00.building       … and its marker: the snapshot it was copied from
        update.lock                    flock held by the one writer at a time

A crashed writer (kill -9, power loss) leaves its build and marker; the old snapshot keeps
serving and the next writer continues the crashed build (its committed transactions survive, as
they did when writers wrote the file in place), unless the published snapshot moved on since.
A plain single file from before snapshots opens as it is; its first writer migrates it.
Only on POSIX (symlinks, fcntl); elsewhere the store stays one file written in place.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from jamlik.errors import JamlikError

if os.name == "posix":
    import fcntl
else:  # pragma: no cover - exercised on Windows only
    fcntl = None  # type: ignore[assignment]

_SNAPSHOT = re.compile(r"^(\d{6})-([0-9a-f]{8})\.duckdb$")
_LOCK_NAME = "update.lock"
_SCRATCH_PREFIX = "provkorning-"
#: Scratch copies (dry runs) older than this are removed by the next writer.
_SCRATCH_MAX_AGE = 24 * 3600.0
_COPY_CHUNK = 16 * 2**20


class StoreError(JamlikError, RuntimeError):
    """The store cannot be opened or updated; the message (Swedish) says why and what to do."""


class StoreBusyError(StoreError):
    """Another process holds the DuckDB file or the store's update lock."""

    def __init__(self, path: str, *, updating: bool = False):
        if updating:
            message = (
                f"databasen {path} används av ett annat program som uppdaterar den just nu "
                "(t.ex. `jamlik import`, `jamlik sync`, `jamlik init` eller ett Python-skript med "
                "jamlik.open). Vänta tills det är klart och försök igen. Läsa går alltid, även "
                "medan portalen kör: jamlik.open(sökväg, read_only=True)."
            )
        else:
            message = (
                f"databasen {path} används av ett annat program (t.ex. ett program som skriver "
                "direkt i filen utan jamlik). Stäng det programmet och försök igen."
            )
        super().__init__(message)
        self.path = path


def supported() -> bool:
    """Whether stores publish snapshots here (POSIX: symlinks, flock and fcntl locks)."""
    return fcntl is not None


def versions_dir(path: Path) -> Path:
    """The folder beside the store path that holds its snapshots."""
    return path.with_name(path.name + ".versions")


def current(path: Path) -> Path | None:
    """The file a reader of ``path`` opens now (snapshot or single file); None when missing."""
    real = Path(os.path.realpath(path))
    return real if real.is_file() else None


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` points at, None when missing: one cheap stat."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def file_state(file: str | Path) -> tuple[int, int, int, int, int] | None:
    """(inode, size, mtime) of a DuckDB file and (size, mtime) of its WAL, -1 without one;
    None when the file is missing. Two stats: any commit to the file changes it."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    try:
        wal = os.stat(f"{file}.wal")
    except OSError:
        return (st.st_ino, st.st_size, st.st_mtime_ns, -1, -1)
    return (st.st_ino, st.st_size, st.st_mtime_ns, wal.st_size, wal.st_mtime_ns)


def is_snapshot(file: Path) -> bool:
    return bool(_SNAPSHOT.match(file.name))


def number(file: Path | None) -> int:
    match = _SNAPSHOT.match(file.name) if file is not None else None
    return int(match.group(1)) if match else 0


def _tag(path: Path, cur: Path | None) -> str:
    """What a build starts from: a snapshot's name, "legacy" (single file) or "new"."""
    if cur is None:
        return "new"
    if is_snapshot(cur) and cur.parent == Path(os.path.realpath(versions_dir(path))):
        return cur.name
    return "legacy"


def in_use(file: Path) -> bool:
    """True while another process has ``file`` open through DuckDB (it holds an fcntl lock).

    Locks of this process are invisible here; deleting a file this process still reads is safe
    on POSIX (the open handle keeps the data until it is closed).
    """
    try:
        fd = os.open(file, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _remove(file: Path) -> None:
    for extra in (file, Path(f"{file}.wal")):
        with contextlib.suppress(FileNotFoundError):
            extra.unlink()
    shutil.rmtree(f"{file}.tmp", ignore_errors=True)  # DuckDB's spill folder, if any


def cleanup(path: Path, *, writer: bool = False) -> list[str]:
    """Delete snapshots of ``path`` that are neither published nor open elsewhere.

    Readers call this after switching; writers (holding the update lock, ``writer=True``) also
    remove leftovers of crashed copies and old dry-run copies. Returns the names removed.
    """
    vdir = Path(os.path.realpath(versions_dir(path)))
    if not vdir.is_dir():
        return []
    cur = current(path)
    removed = []
    for file in sorted(vdir.iterdir()):
        if is_snapshot(file):
            if file == cur or file.with_suffix(".building").exists() or in_use(file):
                continue
            _remove(file)
            removed.append(file.name)
        elif writer and file.name.endswith(".copying"):
            file.unlink(missing_ok=True)
            removed.append(file.name)
        elif writer and file.name.startswith(_SCRATCH_PREFIX) and file.is_dir():
            with contextlib.suppress(OSError):
                if time.time() - file.stat().st_mtime > _SCRATCH_MAX_AGE:
                    shutil.rmtree(file, ignore_errors=True)
                    removed.append(file.name)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(src: Path, dst: Path, store_path: Path) -> None:
    """Copy a published snapshot (or a single file) while holding a shared lock on it.

    The shared lock refuses a program that writes the file in place (it holds DuckDB's
    exclusive lock), so the copy is never of a half-written file.
    """
    fd = os.open(src, os.O_RDONLY)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            raise StoreBusyError(str(store_path)) from None
        wal = Path(f"{src}.wal")
        with os.fdopen(fd, "rb", closefd=False) as source, open(dst, "wb") as out:
            shutil.copyfileobj(source, out, _COPY_CHUNK)
            out.flush()
            os.fsync(out.fileno())
        if wal.exists():  # a single file whose last writer crashed: DuckDB replays the WAL
            shutil.copyfile(wal, f"{dst}.wal")
    finally:
        os.close(fd)


def _disk_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(f"kunde inte skapa en ny version av databasen {path} ({exc.strerror}) "
                      "— en uppdatering behöver plats för en kopia av filen; frigör "
                      "diskutrymme och försök igen. Den publicerade versionen är orörd.")


@dataclass
class Build:
    """A writer's snapshot: holds the update lock until published or abandoned."""

    path: Path
    file: Path
    adopted: bool
    lock_fd: int
    baseline: tuple[int, int] | None = field(default=None)

    @property
    def marker(self) -> Path:
        return self.file.with_suffix(".building")

    def changed(self) -> bool:
        """Whether anything was committed to the copy (DuckDB writes its WAL on commit)."""
        if self.adopted:
            return True
        wal = Path(f"{self.file}.wal")
        if wal.exists() and wal.stat().st_size > 0:
            return True
        return _stat(self.file) != self.baseline

    def publish(self) -> None:
        """Make the (closed, checkpointed) copy the store's published snapshot, atomically."""
        if Path(f"{self.file}.wal").exists():
            raise RuntimeError(f"{self.file}: DuckDB lämnade en WAL-fil efter CHECKPOINT")
        _fsync(self.file)
        link = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.link")
        os.symlink(f"{versions_dir(self.path).name}/{self.file.name}", link)
        os.replace(link, self.path)  # the switch: readers see the old or the new, never half
        _fsync(self.path.parent)
        self.marker.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            cleanup(self.path, writer=True)

    def abandon(self) -> None:
        """Nothing was written: drop the copy; the published snapshot stays as it is."""
        _remove(self.file)
        self.marker.unlink(missing_ok=True)

    def release(self) -> None:
        if self.lock_fd >= 0:
            os.close(self.lock_fd)  # releases the flock
            self.lock_fd = -1


def _stat(file: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(file)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def begin_write(path: Path, *, lock_fd: int | None = None) -> Build:
    """Take the update lock and prepare the file a writer opens.

    Continues a crashed writer's build when it started from the snapshot published now;
    otherwise copies the published snapshot (or starts an empty store when there is none).
    Raises StoreBusyError when another writer holds the lock or a program writes in place.
    lock_fd: the update lock, when the caller holds it already.
    """
    vdir = versions_dir(path)
    vdir.mkdir(parents=True, exist_ok=True)
    if lock_fd is None:  # else the caller holds the lock already (Store.checkpoint)
        lock_fd = os.open(vdir / _LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock_fd)
            raise StoreBusyError(str(path), updating=True) from None
    try:
        cur = current(path)
        tag = _tag(path, cur)
        adopt: Path | None = None
        for marker in sorted(vdir.glob("*.building"), reverse=True):
            file = marker.with_suffix(".duckdb")
            try:
                base = marker.read_text(encoding="utf-8").strip()
            except OSError:
                base = ""
            if adopt is None and base == tag and file.exists() and not in_use(file):
                adopt = file
            elif not in_use(file):
                _remove(file)
                marker.unlink(missing_ok=True)
        if adopt is not None:
            build = Build(path, adopt, adopted=True, lock_fd=lock_fd)
        else:
            file = vdir / f"{number(cur) + 1:06d}-{secrets.token_hex(4)}.duckdb"
            build = Build(path, file, adopted=False, lock_fd=lock_fd)
            copying = file.with_name(file.name + ".copying")
            try:
                if cur is not None:
                    _copy(cur, copying, path)
                build.marker.write_text(tag + "\n", encoding="utf-8")
                if cur is not None:
                    os.replace(copying, file)
                    if Path(f"{copying}.wal").exists():
                        os.replace(f"{copying}.wal", f"{file}.wal")
            except OSError as exc:
                copying.unlink(missing_ok=True)
                build.marker.unlink(missing_ok=True)
                raise _disk_error(path, exc) from exc
            build.baseline = _stat(file)
        with contextlib.suppress(OSError):
            cleanup(path, writer=True)
        return build
    except BaseException:
        os.close(lock_fd)
        raise


def private_copy(path: Path) -> Path:
    """A throw-away writable copy of the published snapshot (dry runs): no lock, no publish.

    Returns the file to open; the caller removes its folder (``discard_private``) when done.
    A missing store gives a path where an empty store will be created.
    """
    vdir = versions_dir(path)
    vdir.mkdir(parents=True, exist_ok=True)
    folder = vdir / f"{_SCRATCH_PREFIX}{secrets.token_hex(4)}"
    folder.mkdir()
    file = folder / "store.duckdb"
    cur = current(path)
    if cur is not None:
        try:
            if fcntl is not None:
                _copy(cur, file, path)
            else:  # pragma: no cover - Windows
                shutil.copyfile(cur, file)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return file


def discard_private(file: Path) -> None:
    shutil.rmtree(file.parent, ignore_errors=True)


def disk_usage(path: Path) -> int:
    """Bytes used by the store: its published file plus everything in its versions folder."""
    total = 0
    vdir = versions_dir(path)
    if vdir.is_dir():
        for f in vdir.rglob("*"):
            with contextlib.suppress(OSError):
                if f.is_file():
                    total += f.stat().st_size
    cur = current(path)
    if cur is not None and cur.parent != Path(os.path.realpath(vdir)):
        total += cur.stat().st_size
    return total
