"""The whole app (``jamlik.app.create_app``) starts without SciPy's heavy subpackages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def test_creating_the_app_imports_neither_scipy_stats_nor_optimize(
        sample_db_path: Path, tmp_path: Path) -> None:
    # scipy.stats (≈ 1.1 s) and scipy.optimize (≈ 0.6 s) were imported by the survey and
    # health-economics pages at start: a new server answered its first page 1.7 s later.
    # They are imported inside the functions that use them.
    code = textwrap.dedent(f"""
        import sys
        from jamlik.app import create_app
        app = create_app({str(sample_db_path)!r}, county="20", warm=False)
        app.state.data.store.close()
        heavy = sorted(m for m in ("scipy.stats", "scipy.optimize") if m in sys.modules)
        print(",".join(heavy) or "none")
    """)
    env = {**os.environ, "JAMLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'workflow.sqlite'}"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "none"
