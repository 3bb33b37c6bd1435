"""Bytes on the wire for chart pages: the HTML plus every /static/ file it links.

    .venv/bin/python bench/bench_weight.py [--db STORE.duckdb]

For each page: a first visit (the page and its assets, as sent: gzipped when the client asks
for it) and a repeat visit (assets whose Cache-Control says ``immutable`` or a max-age are
not fetched again). Uses the TestClient, so no server is started. Without --db it loads the
bundled sample into a temporary store first (~5 s).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

import jamlik
from jamlik.app import create_app
from jamlik.catalog import load_sample

PAGES = ["/kommun/2080", "/indikator/N00957", "/"]


def _sent(client: TestClient, url: str, encoding: str) -> tuple[int, str]:
    with client.stream("GET", url, headers={"Accept-Encoding": encoding}) as response:
        return len(b"".join(response.iter_raw())), response.headers.get("cache-control", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("JAMLIK_DATABASE_URL", f"sqlite:///{tmp}/workflow.sqlite")
        db = args.db
        if db is None:
            db = Path(tmp) / "sample.duckdb"
            with jamlik.open(db) as store:
                load_sample(store)
        app = create_app(db, warm=False)
        with TestClient(app) as client:
            print(f"{'page':<22} {'encoding':<9} {'html':>10} {'assets':>11} {'first':>11} "
                  f"{'repeat':>10}")
            for page in PAGES:
                for encoding in ("identity", "gzip"):
                    html = client.get(page).text
                    size, _ = _sent(client, page, encoding)
                    assets = repeat = 0
                    for url in sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html))):
                        n, cache = _sent(client, url.replace("&amp;", "&"), encoding)
                        assets += n
                        if "immutable" not in cache and "max-age" not in cache:
                            repeat += n
                    print(f"{page:<22} {encoding:<9} {size:>10,} {assets:>11,} "
                          f"{size + assets:>11,} {size + repeat:>10,}")
        app.state.data.store.close()


if __name__ == "__main__":
    main()
