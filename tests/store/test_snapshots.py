"""Published snapshots: writers work on a copy and publish it atomically; readers keep serving."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import jamlik
from jamlik.catalog import load_catalog
from jamlik.store import Area, AreaType, StoreBusyError
from jamlik.store import _snapshots as snapshots


def _value(store, area: str = "2080", year: int = 2022) -> float | None:
    df = store.observations("N00957", areas=area, years=year)
    return None if df.empty else float(df["value"].iloc[0])


def _write(path: Path, value: float, area: str = "2080") -> None:
    with jamlik.open(path) as store:
        load_catalog(store)
        store.upsert_areas([Area(area, "Falun", AreaType.MUNICIPALITY, None, area)])
        store.upsert_observations(pd.DataFrame(
            {"indicator": ["N00957"], "area": [area], "period": [2022], "value": [value]}),
            source="test")


def _snapshot_files(path: Path) -> list[str]:
    return sorted(f.name for f in snapshots.versions_dir(path).iterdir()
                  if snapshots.is_snapshot(f))


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_reader_keeps_its_snapshot_until_refresh_switches_to_the_published_one(tmp_path):
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    reader = jamlik.open(db, read_only=True)
    first = reader.version
    writer = jamlik.open(db)
    writer.upsert_observations(pd.DataFrame(
        {"indicator": ["N00957"], "area": ["2080"], "period": [2022], "value": [2.0]}))
    assert not reader.refresh() and _value(reader) == 1.0  # not published before close
    writer.close()
    assert _value(reader) == 1.0  # still the snapshot it opened
    assert reader.refresh() and reader.version != first and _value(reader) == 2.0
    assert not reader.refresh()
    assert _snapshot_files(db) == [reader.version]  # the old one is gone
    reader.close()


def test_writing_while_another_process_reads_works_and_the_old_snapshot_goes_when_it_closes(
        tmp_path):
    """The portal's situation: before snapshots, this raised StoreBusyError."""
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, jamlik
        s = jamlik.open(sys.argv[1], read_only=True)
        print(s.version, flush=True)
        sys.stdin.readline()
        """), str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        old = proc.stdout.readline().strip()
        _write(db, 2.0)  # a second writer works while the other process reads
        with jamlik.open(db, read_only=True) as store:
            assert _value(store) == 2.0
            new = store.version
        assert _snapshot_files(db) == sorted([old, new])  # kept: the reader has it open
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(20)
        _write(db, 3.0)
        assert old not in _snapshot_files(db) and len(_snapshot_files(db)) == 1
    finally:
        proc.kill()
        proc.wait()


def test_a_second_writer_is_refused_in_swedish_and_reading_still_works(tmp_path):
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    with jamlik.open(db):
        with pytest.raises(StoreBusyError, match="uppdaterar den just nu"):
            jamlik.open(db)
        with jamlik.open(db, read_only=True) as reader:
            assert _value(reader) == 1.0


def test_a_single_file_from_before_snapshots_opens_and_its_first_writer_migrates_it(tmp_path):
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    legacy = tmp_path / "legacy.duckdb"
    shutil.copyfile(db, legacy)  # a plain file, as every store was before snapshots
    assert not legacy.is_symlink()
    with jamlik.open(legacy, read_only=True) as store:
        assert _value(store) == 1.0
    reader = jamlik.open(legacy, read_only=True)
    _write(legacy, 2.0)
    assert legacy.is_symlink() and snapshots.current(legacy).parent.name == "legacy.duckdb.versions"
    assert reader.refresh() and _value(reader) == 2.0
    reader.close()


def test_a_writer_that_writes_nothing_publishes_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    before = os.readlink(db)
    with jamlik.open(db) as store:
        assert _value(store) == 1.0
    assert os.readlink(db) == before and _snapshot_files(db) == [Path(before).name]
    assert sorted(p.name for p in snapshots.versions_dir(db).iterdir()) == [
        Path(before).name, "update.lock"]


def test_disk_usage_stays_at_one_snapshot_after_many_updates(tmp_path):
    db = tmp_path / "s.duckdb"
    for value in range(5):
        _write(db, float(value))
    assert len(_snapshot_files(db)) == 1
    assert snapshots.disk_usage(db) == snapshots.current(db).stat().st_size


_KILLED_WRITER = """
    import os, signal, sys
    import pandas as pd
    import jamlik
    from jamlik.store import _snapshots
    when = sys.argv[2]
    if when == "switch":  # die at the very moment the pointer would be replaced
        real_replace = os.replace
        def replace(src, dst):
            if str(dst) == sys.argv[1]:
                os.kill(os.getpid(), signal.SIGKILL)
            real_replace(src, dst)
        _snapshots.os.replace = replace
    store = jamlik.open(sys.argv[1])
    store.upsert_observations(pd.DataFrame(
        {"indicator": ["N00957"], "area": ["2080"], "period": [2022], "value": [9.0]}))
    if when == "write":
        os.kill(os.getpid(), signal.SIGKILL)
    store.close()
"""


@pytest.mark.parametrize("when", ["write", "switch"])
def test_kill_9_of_a_writer_leaves_the_old_snapshot_serving_and_the_next_writer_continues(
        tmp_path, when):
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    published = os.readlink(db)
    proc = _python(_KILLED_WRITER, str(db), when)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    assert os.readlink(db) == published
    with jamlik.open(db, read_only=True) as store:
        assert _value(store) == 1.0  # the old snapshot still serves
    with jamlik.open(db) as store:  # the next writer takes over the crashed build
        assert _value(store) == 9.0
    with jamlik.open(db, read_only=True) as store:
        assert _value(store) == 9.0
    assert len(_snapshot_files(db)) == 1
    assert not [p for p in snapshots.versions_dir(db).iterdir() if p.suffix == ".building"]


def test_import_dry_run_takes_no_update_lock_and_leaves_nothing(tmp_path):
    from jamlik.cli import _load_commands, app

    _load_commands()
    db = tmp_path / "s.duckdb"
    _write(db, 1.0)
    csv = tmp_path / "v.csv"
    csv.write_text("indicator,area,period,value\nN00957,2080,2022,5\nN00957,2080,2021,4\n",
                   encoding="utf-8")
    published = os.readlink(db)
    with jamlik.open(db):  # another update holds the lock
        result = CliRunner().invoke(app, ["import", str(csv), "--dry-run", "--db", str(db)],
                                    env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "ingenting har sparats" in result.output.lower()
    assert os.readlink(db) == published
    assert sorted(p.name for p in snapshots.versions_dir(db).iterdir()) == [
        Path(published).name, "update.lock"]
    with jamlik.open(db, read_only=True) as store:
        assert _value(store) == 1.0
