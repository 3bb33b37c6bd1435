"""Cohorts: the same pupils followed between grades across yearly waves, attrition shown,
small counts suppressed with their complements."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.store import Store
from jamlik.surveys import DefinitionError, cohort_transitions, generate_panel

_load_commands()
runner = CliRunner()
KEY = "en-hemlig-testnyckel-0123456789"
ENV = {"JAMLIK_SURVEY_KEY": KEY, "COLUMNS": "120"}


def _run(*args: str):
    return runner.invoke(app, list(args), env=ENV)


@pytest.fixture(scope="module")
def panel(tmp_path_factory) -> tuple[Path, Path]:
    """Four yearly waves 2023–2026 of ~3,000 enrolled pupils each, imported as one folder."""
    root = tmp_path_factory.mktemp("panel")
    result = _run("survey", "generate", "--pupils", "3000", "--out", str(root / "waves"),
                  "--seed", "2", "--years", "4")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "waves").iterdir()) == ["2023", "2024", "2025", "2026"]
    db = root / "s.duckdb"
    result = _run("survey", "import", str(root / "waves"), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.output.count("Omgång ") == 4
    return root / "waves", db


def _answers(waves: Path, year: int, grade: str) -> pd.Series:
    f = pd.read_csv(waves / str(year) / "responses.csv", dtype=str, keep_default_na=False)
    f = f[(f["consent"] == "ja") & (f["grade"] == grade) & (f["halsa"] != "")]
    return f.set_index("personnummer")["halsa"].isin(["1", "2"])


def test_transitions_match_an_independent_link_of_the_csv_files(panel):
    waves, db = panel
    with Store(db, read_only=True) as store:
        rows = cohort_transitions(store, "halsa", "4", "7", threshold=1)
    assert [(r.from_wave, r.to_wave) for r in rows] == [("2023", "2026")] * 3
    before, after = _answers(waves, 2023, "4"), _answers(waves, 2026, "7")
    joined = pd.DataFrame({"before": before}).join(after.rename("after"), how="left")
    for r in rows:
        part = joined if r.before == "all" else joined[joined["before"] == (r.before == "good")]
        assert r.counts == {"after_good": int((part["after"] == True).sum()),  # noqa: E712
                            "after_poor": int((part["after"] == False).sum()),  # noqa: E712
                            "not_followed": int(part["after"].isna().sum()),
                            "total": len(part)}
    good, poor, everyone = rows
    # the persistent trait: pupils who felt poorly in år 4 feel poorly in år 7 more often
    assert poor.share_poor_after > good.share_poor_after + 5
    assert poor.lower > good.upper
    # attrition is shown, not hidden: moving away, non-participation, no consent
    assert everyone.counts["not_followed"] > 0.15 * everyone.counts["total"]


def test_cohorts_across_every_pair_of_waves_the_grades_allow(panel):
    _, db = panel
    with Store(db, read_only=True) as store:
        pairs = {(r.from_wave, r.to_wave) for r in cohort_transitions(store, "somn", "7", "gy1")}
        assert pairs == {("2023", "2026")}
        with pytest.raises(DefinitionError, match="4 års mellanrum"):
            cohort_transitions(store, "halsa", "F", "4")
        with pytest.raises(DefinitionError, match="följ eleverna framåt"):
            cohort_transitions(store, "halsa", "7", "4")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(threshold=st.integers(1, 400), question=st.sampled_from(["halsa", "somn", "trygg_skola"]))
def test_no_count_under_the_threshold_and_none_recoverable(panel, threshold, question):
    _, db = panel
    with Store(db, read_only=True) as store:
        rows = cohort_transitions(store, question, "4", "7", threshold=threshold)
    table = np.array([[r.counts[c] for c in ("after_good", "after_poor", "not_followed", "total")]
                      for r in rows], dtype=object)
    for v in table.ravel():
        assert v is None or v == 0 or v >= threshold
    hidden = np.vectorize(lambda v: v is None)(table)
    # no row or column of the table (inner cells and total) has exactly one hidden cell
    assert all(line.sum() != 1 for line in hidden)
    assert all(line.sum() != 1 for line in hidden.T)
    for r in rows:
        if r.share_poor_after is not None:
            assert r.counts["after_good"] is not None and r.counts["after_poor"] is not None


def test_anonymous_waves_are_never_followed_as_a_panel(tmp_path):
    waves = generate_panel(400, tmp_path / "w", years=4, seed=3)
    for w in waves:
        text = w.questionnaire.read_text(encoding="utf-8")
        w.questionnaire.write_text(text.replace('grades = ["F", "4", "7", "gy1"]',
                                                'grades = ["F", "4", "7", "gy1"]\nlinkable = false'),
                                   encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert _run("survey", "import", str(tmp_path / "w"), "--db", str(db)).exit_code == 0
    result = _run("survey", "cohort", "--question", "halsa", "--from", "4", "--to", "7",
                  "--db", str(db))
    assert result.exit_code == 1
    assert "anonym och kan inte följas över tid" in " ".join(result.output.split())


def test_a_bad_wave_among_several_stores_none_of_them(tmp_path):
    generate_panel(300, tmp_path / "w", years=4, seed=4)
    bad = tmp_path / "w" / "2025" / "responses.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",ja,", ",kanske,", 1).replace(",nej,", ",kanske,", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = _run("survey", "import", str(tmp_path / "w"), "--db", str(db))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "ingenting importerades (fel i 2025)" in text and "responses.csv:4:6" in text
    assert not db.exists() or Store(db, read_only=True).scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'survey_responses'") == 0


def test_cli_json_and_table(panel):
    _, db = panel
    result = _run("survey", "cohort", "--question", "halsa", "--from", "4", "--to", "7",
                  "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"from_wave", "to_wave", "before", "after_good", "after_poor", "not_followed",
            "total", "share_poor_after", "lower", "upper"} <= set(rows[0])
    table = _run("survey", "cohort", "--question", "halsa", "--db", str(db))
    assert table.exit_code == 0
    text = " ".join(table.output.split())
    assert "2023 → 2026, svarade dåligt i år 4:" in text and "kunde inte följas" in text


def test_retention_deletes_old_waves_with_audit(tmp_path):
    generate_panel(200, tmp_path / "w", years=3, seed=6)
    db = tmp_path / "s.duckdb"
    assert _run("survey", "import", str(tmp_path / "w"), "--db", str(db)).exit_code == 0
    result = _run("survey", "prune", "--before", "2026", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "Gallrade omgångarna 2024, 2025" in " ".join(result.output.split())
    with Store(db, read_only=True) as store:
        assert [r[0] for r in store.execute(
            "SELECT DISTINCT wave FROM survey_responses ORDER BY 1").fetchall()] == ["2026"]
        assert store.scalar("SELECT count(*) FROM survey_population WHERE wave < '2026'") == 0
        audit = store.execute("SELECT wave FROM survey_audit WHERE action = 'retention' "
                              "ORDER BY wave").fetchall()
    assert [a[0] for a in audit] == ["2024", "2025"]
    again = _run("survey", "prune", "--before", "2026", "--db", str(db))
    assert "ingenting gallrades" in again.output


def test_a_municipal_survey_owner_sees_only_their_own_pupils(panel, tmp_path):
    """Roles from the steering loop: an analyst of Falun gets Falun's estimates and cohorts
    computed from Falun's pupils alone; a region-wide analyst sees every municipality; a viewer
    sees nothing unpublished."""
    _, db = panel
    env = {**ENV, "JAMLIK_DATABASE_URL": f"sqlite:///{tmp_path / 'wf.sqlite'}",
           "JAMLIK_PASSWORD": "ett-långt-lösenord-för-test"}

    def run(*args: str):
        return runner.invoke(app, list(args), env=env)

    for args in (["user", "add", "anna", "--role", "analyst", "--org", "2080"],
                 ["user", "add", "cecilia", "--role", "analyst"],
                 ["user", "add", "bo", "--role", "viewer"]):
        assert run(*args).exit_code == 0
    est = ["survey", "estimate", "--question", "halsa", "--by", "municipality", "--db", str(db),
           "--format", "json", "--threshold", "1"]
    own = json.loads(run(*est, "--user", "anna").output)
    assert {r["municipality"] for r in own} == {"2080"}
    everyone = json.loads(run(*est, "--user", "cecilia").output)
    assert len({r["municipality"] for r in everyone}) == 15
    falun = [r for r in everyone if r["municipality"] == "2080"][0]
    assert own[0]["value"] == pytest.approx(falun["value"])
    # "all" for Falun's owner is Falun, not the county
    total = json.loads(run("survey", "estimate", "--question", "halsa", "--db", str(db),
                           "--format", "json", "--user", "anna").output)[0]
    assert total["n"] == falun["n"]
    refused = run(*est, "--user", "bo")
    assert refused.exit_code == 1 and "bara användas av den som äger enkäten" in " ".join(
        refused.output.split())
    cohort = json.loads(run("survey", "cohort", "--question", "halsa", "--db", str(db),
                            "--format", "json", "--user", "anna", "--threshold", "1").output)
    region = json.loads(run("survey", "cohort", "--question", "halsa", "--db", str(db),
                            "--format", "json", "--threshold", "1").output)
    assert cohort[2]["total"] < region[2]["total"]
    unknown = run(*est, "--user", "okänd")
    assert unknown.exit_code == 1 and "finns inte" in unknown.output


def test_no_identifier_in_the_panel_store_cohorts_or_published_downloads(panel, tmp_path):
    """Four waves, cohorts, the published indicators and their CSV export: no personnummer
    (12- or 10-digit form) and no key anywhere (the grep would find them: see test_surveys)."""
    waves, db = panel
    ids = pd.concat([pd.read_csv(w / "responses.csv", dtype=str)["personnummer"]
                     for w in sorted(waves.iterdir())]).unique()
    copy = tmp_path / "p.duckdb"
    copy.write_bytes(db.read_bytes())
    outputs = [_run("survey", "cohort", "--question", q, "--db", str(copy), "--format", "json",
                    "--threshold", "1").output for q in ("halsa", "somn")]
    outputs.append(_run("survey", "publish", "--db", str(copy)).output)
    with Store(copy, read_only=True) as store:
        published = store.observations(None).to_csv()
    blobs = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    blobs.append(("\n".join(outputs) + published).encode())
    assert sum(len(b) for b in blobs) > 100_000
    ten = {pnr[2:].encode() for pnr in ids}
    assert len(ten) > 1000

    def leaks(blob: bytes) -> bool:  # every 10-digit window of every run of digits
        return any(run[i:i + 10] in ten for run in re.findall(rb"\d{10,}", blob)
                   for i in range(len(run) - 9))

    assert leaks(b"x;" + str(ids[0]).encode() + b";y")  # the check finds a stored identifier
    for blob in blobs:
        assert not leaks(blob)
    assert KEY.encode() not in b"".join(blobs)
