"""The whole app (``jamlik.app.create_app``) starts without SciPy's heavy subpackages."""

from __future__ import annotations

from pathlib import Path

from tests.fresh_process import imported_after


def test_creating_the_app_imports_neither_scipy_stats_nor_optimize(
        sample_db_path: Path, tmp_path: Path) -> None:
    # scipy.stats (≈ 1.1 s) and scipy.optimize (≈ 0.6 s) were imported by the survey and
    # health-economics pages at start: a new server answered its first page 1.7 s later.
    # They are imported inside the functions that use them.
    code = f"""
        from jamlik.app import create_app
        app = create_app({str(sample_db_path)!r}, county="20", warm=False)
        app.state.data.store.close()
    """
    env = {"JAMLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'workflow.sqlite'}"}
    assert imported_after(code, ["scipy.stats", "scipy.optimize"], env) == []
