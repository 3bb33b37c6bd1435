from __future__ import annotations

import csv
import hashlib
import hmac
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.store import Store
from jamlik.surveys import estimate, generate_wave, import_wave, pseudonym
from jamlik.surveys._import import ensure_tables

_load_commands()
runner = CliRunner()
KEY = "en-hemlig-testnyckel-0123456789"
ENV = {"JAMLIK_SURVEY_KEY": KEY, "COLUMNS": "120"}


def _run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env if env is not None else ENV)


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """A generated wave of 1,500 pupils imported through the CLI: (wave dir, db, outputs)."""
    root = tmp_path_factory.mktemp("survey")
    wave_dir, db = root / "wave", root / "store" / "jamlik.duckdb"
    outputs = []
    for args in (["survey", "generate", "--pupils", "1500", "--out", str(wave_dir), "--seed", "7"],
                 ["survey", "import", str(wave_dir), "--db", str(db)],
                 ["survey", "questions", "--db", str(db), "--format", "json"],
                 ["survey", "estimate", "--question", "halsa", "--by", "municipality,grade,sex",
                  "--db", str(db), "--format", "json"],
                 ["survey", "estimate", "--question", "somn", "--by", "school",
                  "--db", str(db)]):
        result = _run(*args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return wave_dir, db, outputs


def _responses(wave_dir: Path) -> pd.DataFrame:
    return pd.read_csv(wave_dir / "responses.csv", dtype=str, keep_default_na=False)


def test_generate_is_deterministic_and_covers_dalarna(tmp_path):
    a = generate_wave(400, tmp_path / "a", seed=5)
    b = generate_wave(400, tmp_path / "b", seed=5)
    c = generate_wave(400, tmp_path / "c", seed=6)
    assert a.responses.read_bytes() == b.responses.read_bytes()
    assert a.responses.read_bytes() != c.responses.read_bytes()
    frame = _responses(tmp_path / "a")
    assert sorted(frame["municipality"].unique()) == [
        "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081",
        "2082", "2083", "2084", "2085"]
    assert set(frame["grade"]) == {"F", "4", "7", "gy1"} and set(frame["sex"]) == {"K", "M"}
    assert frame["personnummer"].str.fullmatch(r"\d{12}").all()
    assert frame["personnummer"].is_unique
    assert set(frame["consent"]) == {"ja", "nej"}


def test_generated_wellbeing_is_lower_for_older_girls(tmp_path):
    generate_wave(6000, tmp_path, seed=1)
    f = _responses(tmp_path)
    good = f["halsa"].isin(["1", "2"])
    share = good[(f["halsa"] != "")].groupby([f["grade"], f["sex"]]).mean()
    assert share["F", "K"] > share["gy1", "K"] + 0.2
    assert share["gy1", "M"] > share["gy1", "K"] + 0.05


def test_estimate_matches_an_independent_weighted_count_from_the_csv(wave):
    """Weighted shares recomputed with pandas from responses.csv and population.csv alone."""
    wave_dir, db, outputs = wave
    rows = json.loads(outputs[3])
    f = _responses(wave_dir)
    f = f[f["consent"] == "ja"]
    cells = ["municipality", "grade", "sex"]
    population = pd.read_csv(wave_dir / "population.csv", dtype=str).astype({"pupils": int})
    f = f.join(f.groupby(cells).size().rename("stored"), on=cells).join(
        population.set_index(cells)["pupils"], on=cells)
    f["w"] = f["pupils"] / f["stored"]
    f = f[f["halsa"] != ""]
    f["wy"] = f["w"] * f["halsa"].isin(["1", "2"])
    counted = f.groupby(cells).agg(n=("w", "size"), W=("w", "sum"), WY=("wy", "sum"))
    enrolled = population.set_index(cells)["pupils"]
    assert len(rows) == len(counted)
    for row in rows:
        assert set(row) == {"municipality", "grade", "sex", "value", "lower", "upper", "n",
                            "suppressed", "response_rate", "weighted"}
        key = (row["municipality"], row["grade"], row["sex"])
        cell = counted.loc[key]
        if cell["n"] < 5:
            assert row["suppressed"] is True
            assert row["value"] is row["lower"] is row["upper"] is row["n"] is None
            assert row["response_rate"] is None
        else:
            assert row["suppressed"] is False and row["n"] == cell["n"] and row["weighted"]
            # within one post-stratum every weight is equal: the weighted share is the plain one
            assert row["value"] == pytest.approx(100 * cell["WY"] / cell["W"])
            assert row["lower"] <= row["value"] <= row["upper"]
            assert row["response_rate"] == pytest.approx(cell["n"] / enrolled.loc[key], abs=1e-4)
    assert "viktade till de inskrivna eleverna" in " ".join(outputs[4].split())
    assert "svarsfrekvens" not in outputs[4]  # schools have no enrolment count: no rate shown


def test_weights_correct_for_non_response_that_differs_by_grade_and_sex(wave):
    """Older boys take part less often and feel better than older girls: unweighted, the county
    share under-represents them; weighted, every grade × sex counts as many pupils as are
    enrolled. The county share equals the population-weighted mean of the cell shares."""
    wave_dir, db, _ = wave
    with Store(db, read_only=True) as store:
        county = estimate(store, "halsa", [], threshold=1)[0]
        cells = estimate(store, "halsa", ["grade", "sex"], threshold=1)
    population = pd.read_csv(wave_dir / "population.csv", dtype=str).astype({"pupils": int})
    enrolled = population.groupby(["grade", "sex"])["pupils"].sum()
    # each cell's weight total is its enrolment, so the county share is their enrolment mean
    # (item non-response makes that approximate: the weights are set on pupils, not answers)
    mean = sum(c.value * enrolled[c.keys["grade"], c.keys["sex"]] for c in cells) / enrolled.sum()
    assert county.value == pytest.approx(mean, abs=0.3)
    f = _responses(wave_dir)
    f = f[(f["consent"] == "ja") & (f["halsa"] != "")]
    unweighted = 100 * f["halsa"].isin(["1", "2"]).mean()
    assert county.weighted and county.value != pytest.approx(unweighted, abs=1e-9)


def test_batched_estimates_equal_the_per_domain_reference(wave):
    """The all-cells-at-once computation gives the same value and limits as
    jamlik.stats.design_proportion run domain by domain (to 1e-9)."""
    from jamlik.stats import design_proportion
    from jamlik.surveys import weighted_responses

    _wave_dir, db, _ = wave
    with Store(db, read_only=True) as store:
        frame = weighted_responses(store, "somn")
        for by in (["municipality", "grade", "sex"], ["school"], ["sex"], []):
            rows = estimate(store, "somn", by, threshold=5)
            assert rows
            for r in rows:
                if r.suppressed:
                    continue
                in_domain = frame["answer"].notna()
                for k, v in r.keys.items():
                    in_domain &= frame[k].astype(str) == v
                ref = design_proportion(frame["y"], frame["w"], frame["municipality"],
                                        frame["municipality"] + "|" + frame["school"],
                                        domain=in_domain, multiplier=100)
                assert r.n == ref.n
                for got, want in ((r.value, ref.estimate.value), (r.lower, ref.estimate.lower),
                                  (r.upper, ref.estimate.upper)):
                    assert got == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_threshold_is_configurable_and_nothing_below_it_shows(wave):
    _wave_dir, db, _ = wave
    with Store(db, read_only=True) as store:
        for threshold in (1, 5, 40, 10_000):
            rows = estimate(store, "trygg_skola", ["school", "sex"], threshold=threshold)
            shown = [r for r in rows if not r.suppressed]
            assert all(r.n is not None and r.n >= threshold for r in shown)
            assert all(r.n is None and r.value is None for r in rows if r.suppressed)
        assert all(r.suppressed for r in estimate(store, "halsa", ["school"], threshold=10_000))
        assert not any(r.suppressed for r in estimate(store, "halsa", [], threshold=1))


def test_questions_lists_ids(wave):
    ids = [q["id"] for q in json.loads(wave[2][2])]
    assert ids == ["halsa", "somn", "trygg_skola", "fysisk_aktivitet"]


def test_pupils_without_consent_are_not_stored_and_pseudonyms_are_keyed(wave):
    wave_dir, db, _ = wave
    f = _responses(wave_dir)
    with Store(db, read_only=True) as store:
        stored = {r[0] for r in store.execute(
            "SELECT DISTINCT pseudonym FROM survey_responses").fetchall()}
    expected = {hmac.new(KEY.encode(), p.encode(), hashlib.sha256).hexdigest()
                for p in f.loc[f["consent"] == "ja", "personnummer"]}
    assert stored == expected
    assert pseudonym(f["personnummer"].iat[0], b"another-key-0123456789") not in stored


def test_no_identifier_in_the_database_file_or_any_output(wave):
    wave_dir, db, outputs = wave
    ids = _responses(wave_dir)["personnummer"].tolist()
    blobs = [p.read_bytes() for p in db.parent.rglob("*") if p.is_file()]
    assert blobs and sum(len(b) for b in blobs) > 100_000
    text = "\n".join(outputs).encode()
    for blob in [*blobs, text]:
        for pnr in ids:
            assert pnr[2:].encode() not in blob  # also the 10-digit form
    assert KEY.encode() not in b"".join(blobs)


def _write(tmp_path: Path, source: Path, edit) -> Path:  # noqa: ANN001
    out = tmp_path / "bad"
    out.mkdir()
    (out / "questionnaire.toml").write_bytes((source / "questionnaire.toml").read_bytes())
    with (source / "responses.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = edit(rows)
    with (out / "responses.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return out


def _unknown_code(rows):
    rows[3][6] = "9"
    return rows


def _twice(rows):
    rows[5][0] = rows[2][0]
    return rows


def _no_consent_column(rows):
    return [r[:5] + r[6:] for r in rows]


@pytest.mark.parametrize(("edit", "expected"), [
    (_unknown_code, "responses.csv:4:7: okänd svarskod '9'"),
    (_twice, "responses.csv:6:1: samma elev finns två gånger i omgången (första gången på rad 3)"),
    (_no_consent_column, "responses.csv:1: samtyckeskolumnen saknas"),
])
def test_bad_input_gets_a_swedish_error_and_nothing_is_stored(tmp_path, edit, expected):
    generate_wave(60, tmp_path / "ok", seed=2)
    bad = _write(tmp_path, tmp_path / "ok", edit)
    db = tmp_path / "store.duckdb"
    result = _run("survey", "import", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert expected in " ".join(result.output.split())
    assert "ingenting importerades" in result.output
    with Store(db) as store:
        ensure_tables(store)
        assert store.scalar("SELECT count(*) FROM survey_responses") == 0
        assert store.scalar("SELECT count(*) FROM survey_waves") == 0


def test_import_refuses_without_a_key(tmp_path):
    generate_wave(10, tmp_path / "w", seed=1)
    result = _run("survey", "import", str(tmp_path / "w"), "--db", str(tmp_path / "s.duckdb"),
                  env={"JAMLIK_SURVEY_KEY": ""})
    assert result.exit_code == 1 and "JAMLIK_SURVEY_KEY" in result.output
    assert not (tmp_path / "s.duckdb").exists()


def test_key_file_and_reimport_replaces_the_wave(tmp_path):
    generate_wave(50, tmp_path / "w", seed=1)
    key_file = tmp_path / "nyckel.txt"
    key_file.write_text("nyckel-i-en-fil-0123456789\n")
    from jamlik.surveys import survey_key

    with Store(tmp_path / "s.duckdb") as store:
        for _ in range(2):
            report = import_wave(store, tmp_path / "w", survey_key(key_file))
        assert store.scalar("SELECT count(DISTINCT pseudonym) FROM survey_responses") \
            == report.stored


def test_the_identifier_grep_finds_identifiers_when_they_are_stored(tmp_path, monkeypatch):
    """Negative control for the grep above: DuckDB's compression does not hide stored text."""
    import jamlik.surveys._import as imp

    generate_wave(300, tmp_path / "w", seed=4)
    monkeypatch.setattr(imp, "pseudonym", lambda identifier, key: identifier)
    db = tmp_path / "s" / "leak.duckdb"
    with Store(db) as store:
        import_wave(store, tmp_path / "w", b"0123456789abcdef")
    ids = _responses(tmp_path / "w").query("consent == 'ja'")["personnummer"]
    blob = b"".join(p.read_bytes() for p in db.parent.rglob("*") if p.is_file())
    assert sum(pnr[2:].encode() in blob for pnr in ids) > len(ids) // 2


def test_withdrawn_consent_removes_the_pupil_from_estimates_and_future_imports(tmp_path):
    generate_wave(200, tmp_path / "w", seed=9)
    f = _responses(tmp_path / "w")
    consenting = f[f["consent"] == "ja"]
    gone = consenting["personnummer"].iloc[:3].tolist()
    id_file = tmp_path / "aterkallade.txt"
    id_file.write_text("\n".join(gone) + "\n")
    db = tmp_path / "s.duckdb"
    assert _run("survey", "import", str(tmp_path / "w"), "--db", str(db)).exit_code == 0
    with Store(db, read_only=True) as store:
        before = estimate(store, "halsa", [], threshold=1)[0].n
    result = _run("survey", "withdraw", str(id_file), "--db", str(db))
    assert result.exit_code == 0, result.output
    answered = int((consenting["personnummer"].isin(gone)
                    & consenting["halsa"].ne("")).sum())
    with Store(db, read_only=True) as store:
        assert estimate(store, "halsa", [], threshold=1)[0].n == before - answered
        left = {r[0] for r in store.execute("SELECT pseudonym FROM survey_responses").fetchall()}
    assert not {pseudonym(p, KEY.encode()) for p in gone} & left
    # a re-import of the same file (consent = ja) does not bring them back
    result = _run("survey", "import", str(tmp_path / "w"), "--db", str(db))
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        assert estimate(store, "halsa", [], threshold=1)[0].n == before - answered
    audit = _run("survey", "audit", "--db", str(db), "--format", "json")
    entries = json.loads(audit.output)
    assert [e["action"] for e in entries].count("withdraw") == 3
    assert "3 som tidigare återkallat" in entries[-1]["detail"]
    everything = (audit.output + result.output).encode() + db.read_bytes()
    assert not any(p[2:].encode() in everything for p in gone)


def test_withdraw_rejects_a_malformed_identifier_and_deletes_nothing(tmp_path):
    generate_wave(30, tmp_path / "w", seed=9)
    db = tmp_path / "s.duckdb"
    assert _run("survey", "import", str(tmp_path / "w"), "--db", str(db)).exit_code == 0
    ok = _responses(tmp_path / "w").query("consent == 'ja'")["personnummer"].iat[0]
    (tmp_path / "ids.txt").write_text(f"{ok}\n12345\n")
    result = _run("survey", "withdraw", str(tmp_path / "ids.txt"), "--db", str(db))
    assert result.exit_code == 1 and "ids.txt: rad 2" in result.output
    with Store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM survey_responses WHERE pseudonym = ?",
                            [pseudonym(ok, KEY.encode())]) == 4


_BY = st.lists(st.sampled_from(["municipality", "school", "grade", "sex"]), unique=True,
               max_size=4)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by=_BY, question=st.sampled_from(["halsa", "somn", "trygg_skola", "fysisk_aktivitet"]),
       threshold=st.integers(1, 60))
def test_no_cell_under_the_threshold_appears_for_any_query(wave, by, question, threshold):
    _wave_dir, db, _ = wave
    with Store(db, read_only=True) as store:
        rows = estimate(store, question, by, threshold=threshold)
    assert rows
    for r in rows:
        assert set(r.keys) == set(by)
        if r.suppressed:
            assert (r.value, r.lower, r.upper, r.n) == (None, None, None, None)
        else:
            assert r.n is not None and r.n >= threshold
            assert r.lower is not None and r.upper is not None and r.value is not None
            assert 0 <= r.lower <= r.value <= r.upper <= 100


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda rows: rows[:1] + [[*rows[1][:3], "1"]] + rows[2:],
     "population.csv:2:4: {muni}, årskurs {grade}, {sex}: "),
    (lambda rows: rows[:1] + [["9999", *rows[1][1:]]] + rows[2:],
     "population.csv:2:1: okänd kommunkod '9999'"),
    (lambda rows: rows[:1] + [[*rows[1][:3], "-3"]] + rows[2:],
     "population.csv:2:4: antalet elever '-3' ska vara ett heltal ≥ 0"),
    (lambda rows: [*rows, rows[1]], "population.csv:{last}:1: samma kommun, årskurs och kön finns "
                                    "redan på rad 2"),
])
def test_a_bad_population_file_stores_nothing(tmp_path, edit, expected):
    source = tmp_path / "src"
    generate_wave(300, source, seed=3)
    out = _write(tmp_path, source, lambda rows: rows)
    with (source / "population.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    first = rows[1]
    sexes = {"K": "flickor", "M": "pojkar"}
    edited = edit([list(r) for r in rows])
    with (out / "population.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(edited)
    db = tmp_path / "s.duckdb"
    result = _run("survey", "import", str(out), "--db", str(db))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    want = expected.format(muni=first[0], grade=first[1], sex=sexes[first[2]], last=len(edited))
    assert want in text and "ingenting importerades" in text
    with Store(db) as store:
        ensure_tables(store)
        for table in ("survey_responses", "survey_waves", "survey_population"):
            assert store.scalar(f"SELECT count(*) FROM {table}") == 0


def test_a_sensitive_question_is_never_shown_below_ten_respondents(tmp_path):
    generate_wave(900, tmp_path / "w", seed=8)
    q = tmp_path / "w" / "questionnaire.toml"
    text = q.read_text(encoding="utf-8")
    q.write_text(text.replace('indicator_codes = ["1"]\nindicator_sv = "Andel som oftast sover',
                              'sensitive = true\nindicator_codes = ["1"]\nindicator_sv = '
                              '"Andel som oftast sover'), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        import_wave(store, tmp_path / "w", KEY.encode())
        sensitive = estimate(store, "somn", ["municipality", "grade", "sex"], threshold=1)
        ordinary = estimate(store, "halsa", ["municipality", "grade", "sex"], threshold=1)
    assert any(r.suppressed for r in sensitive)
    assert all(r.n >= 10 for r in sensitive if not r.suppressed)
    # the same cells of an ordinary question are shown from one respondent when asked
    assert any(r.n is not None and r.n < 10 for r in ordinary)


def _stored(db: Path) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.execute("SELECT pseudonym, municipality, school, grade, sex, question, "
                             "answer FROM survey_responses ORDER BY ALL").fetchall()


def test_excel_and_spss_files_import_like_the_csv(tmp_path):
    import pyreadstat

    generate_wave(300, tmp_path / "csv", seed=9)
    frame = _responses(tmp_path / "csv")
    for kind in ("xlsx", "sav"):
        folder = tmp_path / kind
        folder.mkdir()
        for f in ("questionnaire.toml", "population.csv"):
            (folder / f).write_bytes((tmp_path / "csv" / f).read_bytes())
        if kind == "xlsx":
            frame.to_excel(folder / "responses.xlsx", index=False)
        else:  # SPSS keeps answer codes as numbers; an empty answer is system-missing
            numeric = frame.copy()
            for q in ("halsa", "somn", "trygg_skola", "fysisk_aktivitet"):
                numeric[q] = pd.to_numeric(numeric[q].replace("", None))
            pyreadstat.write_sav(numeric, str(folder / "responses.sav"))
    dbs = {}
    for kind in ("csv", "xlsx", "sav"):
        dbs[kind] = tmp_path / f"{kind}.duckdb"
        result = _run("survey", "import", str(tmp_path / kind), "--db", str(dbs[kind]))
        assert result.exit_code == 0, result.output
    assert _stored(dbs["csv"]) == _stored(dbs["xlsx"]) == _stored(dbs["sav"])
    assert len(_stored(dbs["csv"])) > 1000


def test_a_bad_excel_cell_is_named_by_sheet_row_and_column(tmp_path):
    generate_wave(60, tmp_path / "ok", seed=2)
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "questionnaire.toml").write_bytes((tmp_path / "ok" / "questionnaire.toml").read_bytes())
    frame = _responses(tmp_path / "ok")
    frame.loc[2, "halsa"] = "9"  # Excel row 4 (row 1 is the header), column G
    frame.to_excel(folder / "responses.xlsx", index=False, sheet_name="Svar")
    db = tmp_path / "s.duckdb"
    result = _run("survey", "import", str(folder), "--db", str(db))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert 'responses.xlsx (blad "Svar"), rad 4, kolumn G: okänd svarskod \'9\'' in text
    assert "ingenting importerades" in text


def test_two_response_files_in_one_wave_are_refused(tmp_path):
    generate_wave(60, tmp_path / "w", seed=2)
    _responses(tmp_path / "w").to_excel(tmp_path / "w" / "responses.xlsx", index=False)
    result = _run("survey", "import", str(tmp_path / "w"), "--db", str(tmp_path / "s.duckdb"))
    assert result.exit_code == 1
    assert "precis en svarsfil" in " ".join(result.output.split())


def test_means_of_scored_answers_match_the_per_domain_reference(wave):
    """Days a week with ≥ 60 minutes of activity (the scores of fysisk_aktivitet), batched,
    against jamlik.stats.design_mean domain by domain."""
    from jamlik.stats import design_mean
    from jamlik.surveys import weighted_responses

    _wave_dir, db, _ = wave
    scores = {"1": 7.0, "2": 4.5, "3": 1.5, "4": 0.0}
    with Store(db, read_only=True) as store:
        frame = weighted_responses(store, "fysisk_aktivitet")
        score = frame["answer"].map(scores).fillna(0.0)
        for by in (["grade", "sex"], ["school"], []):
            rows = estimate(store, "fysisk_aktivitet", by, statistic="mean")
            assert rows
            for r in rows:
                if r.suppressed:
                    continue
                in_domain = frame["answer"].notna()
                for k, v in r.keys.items():
                    in_domain &= frame[k].astype(str) == v
                ref = design_mean(score, frame["w"], frame["municipality"],
                                  frame["municipality"] + "|" + frame["school"],
                                  domain=in_domain)
                assert r.n == ref.n
                for got, want in ((r.value, ref.estimate.value), (r.lower, ref.estimate.lower),
                                  (r.upper, ref.estimate.upper)):
                    assert got == pytest.approx(want, rel=1e-9, abs=1e-9)
                assert 0 <= r.value <= 7
        with pytest.raises(Exception, match="inga poäng"):
            estimate(store, "halsa", [], statistic="mean")
