"""What a new Python process has imported after running some code (start-up cost guards)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence


def imported_after(code: str, modules: Sequence[str],
                   env: Mapping[str, str] | None = None) -> list[str]:
    """Run ``code`` in a new interpreter; which of ``modules`` are in its ``sys.modules`` then."""
    probe = (textwrap.dedent(code) + "\nimport sys\n"
             f"print(','.join(m for m in {list(modules)!r} if m in sys.modules) or '-')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    last = done.stdout.split()[-1]
    return [] if last == "-" else last.split(",")
