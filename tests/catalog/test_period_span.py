"""Rolling averages get their true period_span: checked against every Kolada KPI description.

tests/catalog/data/kolada_kpi_descriptions.csv.gz is a copy of the id, title and description of
all 2,039 measures in open-numbers/ddf--kolada--dump ddf--concepts.csv (commit 8501d5c, scraped
from the Kolada API in August 2024; "Källa: Kolada (RKA)"), written by scripts/build_catalog.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jamlik import catalog
from jamlik.sources.kolada import indicator_from_kolada
from jamlik.store.model import described_period_span

DESCRIPTIONS = Path(__file__).parent / "data" / "kolada_kpi_descriptions.csv.gz"


@pytest.fixture(scope="module")
def kolada():
    frame = pd.read_csv(DESCRIPTIONS, dtype=str, keep_default_na=False)
    assert len(frame) == 2039
    return frame


@pytest.mark.parametrize(("text", "span"), [
    ("Hälsa på lika villkor (HLV), med urval på invånare 16-84 år, avser år T-3 till T.", 4),
    ("Avser genomsnitt för tidsperioden år T-2 till år T. Källa: Socialstyrelsen", 3),
    ("ett glidande flerårsmedelvärde för åren T till T-3.", 4),
    ("Uppgiften avser glidande flerårsmedelvärde för åren T-3 t.o.m. år T", 4),
    ("medellivslängd i antal år vid födelsen perioden T-4 till år T", 5),
    ("deltagande bland befolkning 16-84 år, perioden år T, T-1 och T-2.", 3),
    ("Självmord, 5-årsmedelvärde, antal/100 000 inv, 25 år+", 5),
    ("Sjukvårdsrelaterad åtgärdbar dödlighet (treårsmedelvärde), antal/100 000", 3),
    # not multi-year averages:
    ("Arbetslöshet 18-65 år, årsmedelvärde, andel (%) av bef.", None),
    ("Antal invånare 31/12 år T minus antal invånare 31/12 år T-5", None),
    ("Data avser elever som avslutat sina studier på komvux år T-1.", None),
    ("dividerat med antal inskrivna, medelvärde för åren T och T-1. Uppgiften avser", None),
])
def test_described_span_reads_kolada_wording(text, span):
    assert described_period_span(text) == span


def test_a_title_quoted_inside_a_description_does_not_count():
    # N00372 "Social hållbarhet - Kommunindex" lists its parts, one of them a 3-year average.
    assert described_period_span("Social hållbarhet - Kommunindex",
                                 "Fallskador bland personer 65+, 3-årsm, antal/100 000 inv") is None


def test_every_catalogue_indicator_has_the_span_its_description_names(kolada):
    texts = kolada.set_index("id")
    wrong = []
    for ind in catalog.catalogue_indicators():
        spans = [described_period_span(ind.title_sv, ind.description)]
        if ind.id in texts.index:
            spans.append(described_period_span(texts.at[ind.id, "title"],
                                                texts.at[ind.id, "description"]))
        named = max((s for s in spans if s), default=None)
        if named and ind.period_span != named:
            wrong.append((ind.id, named, ind.period_span))
    assert not wrong, f"(id, named span, catalogue span): {wrong}"


def test_known_rolling_averages_in_the_catalogue():
    spans = {i.id: i.period_span for i in catalog.catalogue_indicators()}
    # N60920 heart-attack incidence "år T-3 till år T" (in the sample), N20402 fall injuries
    # 80+ "3-årsm", N61603 suicide "5-årsmedelvärde", U01405 HLV survey, N00923 life expectancy.
    assert (spans["N60920"], spans["N20402"], spans["N61603"]) == (4, 3, 5)
    assert (spans["U01405"], spans["N00923"], spans["N03920"]) == (4, 5, 1)


def test_every_kolada_kpi_synced_without_curation_gets_its_span(kolada):
    # A KPI the catalogue does not know becomes an indicator from Kolada's metadata; a
    # description naming a multi-year average must not leave period_span at 1.
    failures = []
    for r in kolada.itertuples(index=False):
        named = described_period_span(r.title, r.description)
        if named is None:
            continue
        ind = indicator_from_kolada({"id": r.id, "title": r.title, "description": r.description})
        if ind.period_span != named:
            failures.append((r.id, named, ind.period_span))
    assert not failures
    assert sum(described_period_span(t, d) is not None
               for t, d in zip(kolada["title"], kolada["description"], strict=True)) == 31


def test_sample_periods_follow_the_catalogue_span():
    frame = pd.read_parquet(catalog.sample_path())
    n60920 = frame[frame["indicator"] == "N60920"]
    assert ((n60920["period"] - n60920["period_start"]) == 3).all()
