"""Every word the analysis layer shows users, Swedish and English side by side.

One catalogue per layer: code → (Swedish, English). The ``*_SV`` tables elsewhere in analysis
are read from here (``sv(...)``), so a code cannot have a Swedish text without an English one
(tests/web/test_words.py checks every table). Verdict sentences stay Swedish-only prose.
"""

from __future__ import annotations

from collections.abc import Mapping

#: code → (Swedish, English)
Words = Mapping[str, tuple[str, str]]

BENCHMARK_NAMES: dict[str, tuple[str, str]] = {
    "nation": ("riket", "Sweden"),
    "county": ("länet", "the county"),
    "similar": ("liknande kommuner", "similar municipalities"),
}

LIMITS_SOURCES: dict[str, tuple[str, str]] = {
    "source": ("från källan", "from the source"),
    "margin": ("från källans osäkerhetstal", "from the source's margin of error"),
    "wilson": ("beräknat med Wilsons metod", "computed with Wilson's method"),
    "poisson": ("beräknat med Poissonfördelningen", "computed with the Poisson distribution"),
    "derived": ("härlett ur värdet och befolkningen som nämnare",
                "derived from the value with the population as denominator"),
}

#: How limits were computed (``Estimate.method``), for the derived-limits note.
LIMITS_METHODS: dict[str, tuple[str, str]] = {
    "Wilson": ("Wilsons metod", "Wilson's method"),
    "Byars": ("Byars metod (Poisson)", "Byar's method (Poisson)"),
    "Exact": ("exakt Poissonmetod", "exact Poisson method"),
}

#: The confidence level each trend test is judged at.
TEST_LEVELS: dict[str, tuple[str, str]] = {
    "chi2_trend": ("99,8 % konfidensgrad", "99.8% confidence"),
    "weighted_regression": ("99,8 % konfidensgrad", "99.8% confidence"),
    "mann_kendall": ("95 % konfidensgrad", "95% confidence"),
}

FLAG_LABELS: dict[str, tuple[str, str]] = {
    "survey": ("Enkätdata (urval)", "Survey data (sample)"),
    "no_limits": ("Osäkerhet okänd", "Uncertainty unknown"),
    "small_count": ("Litet underlag", "Small numbers"),
    "preliminary": ("Preliminärt", "Preliminary"),
    "pooled_period": ("Sammanslagen period", "Pooled period"),
    "suppressed": ("Skyddat värde", "Suppressed value"),
}

TEST_SHORT: dict[str, tuple[str, str]] = {
    "chi2_trend": ("chi2-test för trend", "chi-squared test for trend"),
    "weighted_regression": ("viktad regression", "weighted regression"),
    "mann_kendall": ("Mann–Kendall-test korrigerat för autokorrelation",
                     "Mann–Kendall test corrected for autocorrelation"),
}

GAP_TREND_LABELS: dict[str, tuple[str, str]] = {
    "widening": ("växande skillnad", "widening gap"),
    "narrowing": ("minskande skillnad", "narrowing gap"),
    "stable": ("ingen säkerställd förändring av skillnaden",
               "no significant change in the gap"),
    "sign_changed": ("skillnaden har bytt tecken", "the gap has changed sign"),
    "cannot_be_calculated": ("förändringen av skillnaden kan inte beräknas",
                             "the change in the gap cannot be calculated"),
}

COLOURING_LABELS: dict[str, tuple[str, str]] = {
    "significance": ("Jämförelse med statistisk säkerhet (konfidensintervall, som Fingertips)",
                     "Comparison with statistical certainty (confidence intervals, as Fingertips)"),
    "rank": ("Relativ placering bland kommunerna (rangordning, som Kolada) – inte bra/dåligt",
             "Relative position among municipalities (ranking, as Kolada) – not good/bad"),
}

#: Every kind of deviation, one word each. The steering loop's follow-up uses the same kinds
#: and words ("worse_than_similar" is worse_than_benchmark with the similar municipalities as
#: the benchmark, named so on the follow-up pages).
KINDS: dict[str, tuple[str, str]] = {
    "worse_than_benchmark": ("Sämre än jämförelsen", "Worse than the benchmark"),
    "worse_than_similar": ("Sämre än liknande kommuner", "Worse than similar municipalities"),
    "trending_worse": ("Utvecklas åt fel håll", "Trending the wrong way"),
    "widening_gap": ("Växande skillnad mellan kvinnor och män",
                     "Widening gap between women and men"),
    "missed_target": ("Målvärdet nås inte", "Target not met"),
}

#: Target statuses (``assess_target``).
STATUSES: dict[str, tuple[str, str]] = {
    "achieved": ("uppnått", "achieved"),
    "on_track": ("på väg", "on track"),
    "off_track": ("ej på väg", "not on track"),
    "cannot_assess": ("kan inte bedömas", "cannot be assessed"),
}

#: Every table of this catalogue, by name (for the tests and for translators).
CATALOGUE: dict[str, dict[str, tuple[str, str]]] = {
    "benchmark_names": BENCHMARK_NAMES, "limits_sources": LIMITS_SOURCES,
    "flag_labels": FLAG_LABELS, "test_short": TEST_SHORT, "gap_trend_labels": GAP_TREND_LABELS,
    "colouring_labels": COLOURING_LABELS, "kinds": KINDS, "statuses": STATUSES,
    "limits_methods": LIMITS_METHODS, "test_levels": TEST_LEVELS,
}


def sv(words: Words) -> dict[str, str]:
    """The Swedish column of a table."""
    return {code: pair[0] for code, pair in words.items()}


def en(words: Words) -> dict[str, str]:
    """The English column of a table."""
    return {code: pair[1] for code, pair in words.items()}
