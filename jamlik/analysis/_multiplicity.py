"""Multiplicity said plainly: how many tests a profile made, how many chance findings to expect,
and each test's Benjamini–Hochberg q-value (the deviation list is ranked by it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jamlik.format import fmt_num
from jamlik.language import word
from jamlik.stats import benchmark_p_value, benjamini_hochberg, expected_chance_findings
from jamlik.stats.compare import with_benchmark_se
from jamlik.stats.estimate import Estimate
from jamlik.stats.trend import FINGERTIPS_ALPHA, MANN_KENDALL_ALPHA

if TYPE_CHECKING:
    from jamlik.analysis._profile import ProfileRow

#: The level a benchmark comparison is called "säkerställd" at (outside the 95 % limits).
COMPARISON_ALPHA = 0.05
#: Test names in the JSON (trend tests keep their own names).
BENCHMARK_TEST = "benchmark_limits"
TARGET_TEST = "target_limits"

#: (indicator, what) → what: vs_nation, vs_county, vs_similar, trend, sex_gap_trend, target
TestKey = tuple[str, str]


@dataclass(frozen=True)
class Multiplicity:
    """The tests behind one area's verdicts.

    tests: how many significance tests were made; expected: Σ αᵢ, the number expected to come
    out "säkerställda" by chance if nothing differed; sentence: that in plain Swedish;
    p_values, q_values, test_names: per test key (indicator, what).
    """

    tests: int
    expected: float
    sentence: str
    sentence_en: str
    p_values: dict[TestKey, float]
    q_values: dict[TestKey, float]
    test_names: dict[TestKey, str]

    def to_dict(self) -> dict[str, Any]:
        return {"tests": self.tests, "expected_chance_findings": self.expected,
                "sentence": self.sentence, "sentence_en": self.sentence_en,
                "method": "benjamini_hochberg"}


def _trend_alpha(test: str | None) -> float:
    return MANN_KENDALL_ALPHA if test == "mann_kendall" else FINGERTIPS_ALPHA


def multiplicity(
    rows: Sequence[ProfileRow], targets: Mapping[str, float] | None = None
) -> Multiplicity:
    """Every significance test in ``rows`` (and against ``targets``), with BH q-values.

    Tests counted: each benchmark comparison made with limits (nation, county, similar; at 95 %,
    p from ``benchmark_p_value``), each recent-trend test and each sex-gap trend test that ran
    (at their own level: 99.8 % Fingertips, 95 % Mann–Kendall), and each target checked against
    limits. Rank colours are not tests. q-values: Benjamini–Hochberg over all of them together.
    """
    p: dict[TestKey, float] = {}
    names: dict[TestKey, str] = {}
    alphas: list[float] = []
    for r in rows:
        if r.value is not None and r.lower is not None and r.upper is not None:
            for b in ("nation", "county", "similar"):
                bench = getattr(r, f"{b}_value")
                if getattr(r, f"vs_{b}") == "not_compared" or bench is None:
                    continue
                key = (r.indicator, f"vs_{b}")
                lower, upper = r.lower, r.upper
                similar_se = getattr(r, "similar_se", None)
                if b == "similar" and similar_se:
                    # The similar mean's own SE enters the test, as in the verdict.
                    w = with_benchmark_se(Estimate(r.value, lower, upper, 0.95, "area"), bench,
                                          similar_se)
                    lower, upper = float(w.lower or lower), float(w.upper or upper)
                p[key] = benchmark_p_value(r.value, lower, upper, bench)
                names[key] = BENCHMARK_TEST
                alphas.append(COMPARISON_ALPHA)
            if targets and r.indicator in targets:
                key = (r.indicator, "target")
                p[key] = benchmark_p_value(r.value, r.lower, r.upper, float(targets[r.indicator]))
                names[key] = TARGET_TEST
                alphas.append(COMPARISON_ALPHA)
        # getattr: callers may pass a lighter row type with only the fields a rule reads
        trend_p, trend_test = getattr(r, "trend_p_value", None), getattr(r, "trend_test", None)
        if trend_p is not None and trend_test:
            key = (r.indicator, "trend")
            p[key], names[key] = float(trend_p), trend_test
            alphas.append(_trend_alpha(trend_test))
        gap = getattr(r, "sex_gap", None) or {}
        if gap.get("trend_p_value") is not None and gap.get("trend_test"):
            key = (r.indicator, "sex_gap_trend")
            p[key], names[key] = float(gap["trend_p_value"]), str(gap["trend_test"])
            alphas.append(_trend_alpha(gap["trend_test"]))
    keys = list(p)
    q = dict(zip(keys, benjamini_hochberg([p[k] for k in keys]), strict=True))
    expected = expected_chance_findings(alphas)
    return Multiplicity(len(keys), expected, multiplicity_sentence_sv(len(keys), expected),
                        multiplicity_sentence_en(len(keys), expected), p, q, names)


def _shown(expected: float, lang: str) -> str:
    if expected < 0.05:
        return word(("färre än 0,1", "fewer than 0.1"), lang)
    return fmt_num(round(expected) if expected >= 1 else round(expected, 1), lang)


def multiplicity_sentence_sv(tests: int, expected: float) -> str:
    """'Av 60 jämförelser väntas ungefär 3 vara "säkerställda" av en slump …' (plain Swedish)."""
    if tests == 0:
        return ("Inga signifikanstest kunde göras för området (osäkerheten är okänd), så inga "
                "avvikelser är statistiskt säkerställda.")
    shown = _shown(expected, "sv")
    return (f"Av {tests} jämförelser väntas ungefär {shown} vara ”säkerställda” av en slump, "
            "även om det inte finns några verkliga skillnader. Avvikelserna ordnas därför efter "
            "q-värde (Benjamini–Hochberg), som tar hänsyn till hur många test som gjorts.")


def multiplicity_sentence_en(tests: int, expected: float) -> str:
    """The English twin of ``multiplicity_sentence_sv``."""
    if tests == 0:
        return ("No significance test could be made for the area (the uncertainty is unknown), "
                "so no deviation is statistically certain.")
    return (f"Of {tests} comparisons, about {_shown(expected, 'en')} are expected to come out "
            "“significant” by chance even if there are no real differences. Deviations are "
            "therefore ordered by q-value (Benjamini–Hochberg), which allows for the number of "
            "tests made.")
