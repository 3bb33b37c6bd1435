"""Every error class in the bad-file corpus: the exact Swedish message, and an unchanged store."""

from __future__ import annotations

import pytest

from jamlik.io import ImportRejected, import_file
from tests.io.io_support import DATA, snapshot

MAPPING = DATA / "kommuner.toml"
AREA_HINT = ("använd SCB:s kod (t.ex. 2080 eller 20), Koladas kod (t.ex. 0020) eller namnet "
             "(t.ex. Falun).")
SEX_HINT = ("använd T (totalt), K (kvinnor) eller M (män), eller översätt värdet under "
            "[values.sex] i mappningen.")

CASES = [
    ("kommuner.csv", MAPPING, [
        'kommuner.csv:14:3: "12,5%" i kolumnen "Andel" är inte ett tal — ta bort procenttecknet '
        "eller ange enheten i mappningen.",
    ]),
    ("okant_omrade.csv", MAPPING, [
        'okant_omrade.csv:3:1: "9999" i kolumnen "Kommun" är ingen känd områdeskod eller '
        f"områdesnamn — {AREA_HINT}",
    ]),
    ("text_i_talkolumn.csv", MAPPING, [
        'text_i_talkolumn.csv:4:3: "cirka 12" i kolumnen "Andel" är inte ett tal — skriv bara '
        "siffror med decimalkomma (t.ex. 12,5), utan enhet eller andra tecken.",
    ]),
    ("dubblett.csv", MAPPING, [
        "dubblett.csv:5: rad 5 och rad 2 har samma indikator, område, period, kön och uppdelning "
        "(N00001, 2080 Falun, 2022, kön T) — ta bort den ena raden, eller mappa kolumnen som "
        "skiljer dem åt (t.ex. uppdelning).",
    ]),
    ("taljare_over_namnare.csv", MAPPING, [
        'taljare_over_namnare.csv:3:5: täljaren 600 i kolumnen "Antal" är större än nämnaren 500 '
        'i kolumnen "Befolkning" (kolumn 6) — en andel kan inte vara större än 1; kontrollera '
        "att kolumnerna inte är förväxlade.",
    ]),
    ("negativt_antal.csv", MAPPING, [
        'negativt_antal.csv:2:5: "-3" i kolumnen "Antal" är negativt — en täljare är ett antal '
        "och kan inte vara mindre än 0.",
        'negativt_antal.csv:4:6: "-10" i kolumnen "Befolkning" är negativt — en nämnare är ett '
        "antal och kan inte vara mindre än 0.",
    ]),
    ("okant_kon.csv", MAPPING, [
        f'okant_kon.csv:3:4: "Okänt" i kolumnen "Kön" är ingen känd kod för kön — {SEX_HINT}',
    ]),
    ("felaktig_period.csv", MAPPING, [
        'felaktig_period.csv:2:2: "20x2" i kolumnen "År" är ingen giltig period — ange ett år '
        "(t.ex. 2022) eller ett spann (t.ex. 2015–2018).",
        'felaktig_period.csv:4:2: "2018-2015" i kolumnen "År" är ingen giltig period: den börjar '
        "efter att den slutar — skriv det tidigare året först (t.ex. 2015–2018).",
    ]),
    ("okand_indikator.csv", None, [
        'okand_indikator.csv:3:1: indikatorn "X99999" i kolumnen "indicator" (2 rader) finns inte '
        "i databasen — läs in indikatorn först (jamlik init eller en import med mappning och "
        "[indicator]), eller rätta id:t.",
    ]),
    ("okand_indikator_mappning.csv", DATA / "okand_indikator.toml", [
        'okand_indikator.toml: [fixed] indicator: indikatorn "U12345" finns inte i databasen — '
        "lägg till [indicator] med title, unit, measure_type, polarity och data_kind i "
        "okand_indikator.toml så skapas den, eller rätta id:t.",
    ]),
    ("saknad_kolumn.csv", MAPPING, [
        'saknad_kolumn.csv:1: kolumnen "Andel" (värde) finns inte i filen — filen har kolumnerna '
        '"Kommun", "År", "Värde", "Kön", "Antal", "Befolkning", "KI nedre", "KI övre"; rätta '
        "namnet i kommuner.toml.",
    ]),
    ("nedre_over_ovre.csv", MAPPING, [
        'nedre_over_ovre.csv:3:7: nedre gränsen 60,2 i kolumnen "KI nedre" är större än övre '
        'gränsen 55,1 i kolumnen "KI övre" (kolumn 8) — kontrollera att kolumnerna inte är '
        "förväxlade.",
    ]),
    ("trasig_rad.csv", MAPPING, [
        "trasig_rad.csv:3: raden har 5 fält men rubrikraden har 8 — kontrollera avgränsaren "
        "(semikolon) och citattecknen på raden.",
    ]),
    ("flera_fel.csv", MAPPING, [
        f'flera_fel.csv:2:1: "Atlantis" i kolumnen "Kommun" är ingen känd områdeskod eller '
        f"områdesnamn — {AREA_HINT}",
        'flera_fel.csv:4:3: "1.234,5" i kolumnen "Andel" är inte ett tal — använd inte punkt '
        'eller komma som tusentalsavgränsare; skriv t.ex. "1 234,5" eller "1234.5".',
        f'flera_fel.csv:6:4: "X" i kolumnen "Kön" är ingen känd kod för kön — {SEX_HINT}',
        'flera_fel.csv:7:2: "22" i kolumnen "År" är ingen giltig period — ange ett år '
        "(t.ex. 2022) eller ett spann (t.ex. 2015–2018).",
    ]),
]


@pytest.mark.parametrize(("name", "mapping", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_rejected_with_exact_messages_and_store_unchanged(store, name, mapping,
                                                                      expected):
    # a first, good import so that "unchanged" covers existing rows, not just an empty table
    import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, DATA / name, mapping)
    assert [str(e) for e in caught.value.errors] == expected
    assert caught.value.total == len(expected)
    assert snapshot(store) == before


def test_dry_run_of_bad_file_is_rejected_the_same_way(store):
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, DATA / "kommuner.csv", MAPPING, dry_run=True)
    assert caught.value.errors[0].line == 14
    assert snapshot(store) == before


def test_errors_are_listed_up_to_the_limit_then_counted(store):
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, DATA / "manga_fel.csv", MAPPING)
    rejected = caught.value
    assert rejected.total == 150
    assert len(rejected.errors) == 100
    assert [e.line for e in rejected.errors] == list(range(2, 102))
    assert str(rejected).splitlines()[-1] == "… och 50 fel till"
    assert snapshot(store) == before


def test_cell_error_carries_line_column_and_header(store):
    with pytest.raises(ImportRejected) as caught:
        import_file(store, DATA / "kommuner.csv", MAPPING)
    error = caught.value.errors[0]
    assert (error.file, error.line, error.column, error.column_name) == (
        "kommuner.csv", 14, 3, "Andel")
    assert error.location_sv == "rad 14, kolumn 3"


def test_failure_inside_the_write_rolls_everything_back(store, monkeypatch):
    """Even an error after validation (here: the import log) leaves no partial import."""
    before = snapshot(store)

    def broken_log(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "log_import", broken_log)
    with pytest.raises(RuntimeError):
        import_file(store, DATA / "kommuner_ok.csv", DATA / "ny_indikator.toml")
    assert snapshot(store) == before
    with pytest.raises(KeyError):
        store.indicator("RD_HALSA")
