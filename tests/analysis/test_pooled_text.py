from __future__ import annotations

from jamlik.analysis import profile


def test_pooled_trend_span_reads_from_first_to_last_period(sample_store):
    verdict = profile(sample_store, "2080", ["N00923"])[0].to_dict()["verdict"]
    assert "1998–2002 till 2018–2022" in verdict
    assert "2002–2018" not in verdict
