"""The multiplicity sentence and q-values for a whole profile."""

from __future__ import annotations

import pytest

from jamlik.analysis import multiplicity, multiplicity_sentence_sv, profile


def test_sixty_comparisons_at_95_percent_read_as_the_issue_says():
    text = multiplicity_sentence_sv(60, 60 * 0.05)
    assert text.startswith("Av 60 jämförelser väntas ungefär 3 vara ”säkerställda” av en slump")


def test_small_and_empty_families_are_worded_honestly():
    assert "ungefär 0,4" in multiplicity_sentence_sv(8, 0.4)
    assert "färre än 0,1" in multiplicity_sentence_sv(10, 0.02)
    assert "Inga signifikanstest" in multiplicity_sentence_sv(0, 0.0)


def test_falun_counts_every_trend_test_it_made(sample_store):
    # Real Kolada sample, Falun (2080): the trend tests, plus the benchmark comparisons of the
    # 13 indicators with derived limits (population shares and rates).
    rows = profile(sample_store, "2080")
    m = multiplicity(rows)
    trend_tests = sum(r.trend_p_value is not None for r in rows)
    gap_tests = sum(bool(r.sex_gap and r.sex_gap.get("trend_p_value") is not None) for r in rows)
    comparisons = sum(getattr(r, f"vs_{b}") != "not_compared" and r.tested
                      for r in rows for b in ("nation", "county", "similar"))
    assert comparisons > 20
    assert m.tests == trend_tests + gap_tests + comparisons > 40
    assert m.expected == pytest.approx(
        sum(0.05 if k[1] in ("trend", "sex_gap_trend") and m.test_names[k] == "mann_kendall"
            else 0.002 if k[1] in ("trend", "sex_gap_trend") else 0.05 for k in m.p_values))
    assert f"Av {m.tests} jämförelser" in m.sentence
    assert set(m.q_values) == set(m.p_values)
    assert all(m.p_values[k] <= m.q_values[k] <= 1 for k in m.q_values)


def test_synthetic_profile_counts_benchmark_comparisons_with_limits(synthetic_store):
    rows = profile(synthetic_store, "2080")
    m = multiplicity(rows, targets={"SYN_SURVEY": 10.0})
    survey = [k for k in m.p_values if k[0] == "SYN_SURVEY"]
    assert ("SYN_SURVEY", "vs_nation") in survey and ("SYN_SURVEY", "target") in survey
    assert m.test_names[("SYN_SURVEY", "vs_nation")] == "benchmark_limits"
    # worse than the nation at 99.8 %: the p-value is below 0.002
    assert m.p_values[("SYN_SURVEY", "vs_nation")] < 0.002
