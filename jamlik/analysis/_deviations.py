"""The deviation list ("fokusera på avvikelserna"): where an area is worse, trends worse, or a gap widens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from jamlik.analysis import _text as tx
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.analysis._multiplicity import multiplicity
from jamlik.analysis._profile import BENCHMARKS, ProfileRow, profile_many
from jamlik.analysis._series import to_json_dict
from jamlik.analysis._targets import assess_target, direction_from_polarity
from jamlik.analysis._words import BENCHMARK_NAMES, KINDS, en, sv
from jamlik.store import Store

KINDS_SV = sv(KINDS)
KINDS_EN = en(KINDS)

# Base severity per kind of evidence; a magnitude term (0–1) is added on top.
# Significance-tested evidence outranks evidence from Mann–Kendall or rank alone.
_SEVERITY = {
    "worse_998": 3.0, "worse": 2.0, "rank_red": 1.0,
    "trend_fingertips": 2.0, "trend_mann_kendall": 1.25,
    "gap_fingertips": 2.0, "gap_mann_kendall": 1.25,
}  # fmt: skip
_MAGNITUDE_WEIGHT = 0.5


@dataclass
class Deviation:
    indicator: str
    title: str
    kind: str  # worse_than_benchmark | trending_worse | widening_gap | missed_target
    benchmark: str | None  # nation | county | similar | rank | None
    severity: float
    text: str
    evidence: dict[str, Any] = field(default_factory=dict)
    area: str = ""
    kind_label: str = ""
    #: the same statement and label in English (``?lang=en``)
    text_en: str = ""
    kind_label_en: str = ""
    #: the test behind the deviation, its p-value and Benjamini–Hochberg q-value over every test
    #: in the profile (None for rank positions and other untested evidence)
    test: str | None = None
    p_value: float | None = None
    q_value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_json_dict(self, _DEVIATION_FIELDS)


#: Field names in declaration order (the JSON key order of ``to_dict``).
_DEVIATION_FIELDS = tuple(f.name for f in fields(Deviation))


def deviations(
    store: Store,
    area: str,
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    targets: Mapping[str, float] | None = None,
) -> list[Deviation]:
    """All deviations for one area, strongest evidence first (see ``deviations_from_profile``)."""
    code = store.resolve_area(area)
    rows = profile_many(store, [code], indicators, similar_theme, threshold=threshold)[code]
    return deviations_from_profile(rows, targets=targets)


def deviations_from_profile(
    rows: Sequence[ProfileRow], *, targets: Mapping[str, float] | None = None
) -> list[Deviation]:
    """Deviations from already computed profile rows (no store access), strongest evidence first.

    Order: tested deviations by Benjamini–Hochberg q-value, then p-value (q over every test in
    the profile, ``multiplicity``), so a p = 0.047 never tops stronger evidence; then untested
    ones (rank positions, targets without limits) by severity.

    - worse_than_benchmark: significantly worse than the nation, county or similar municipalities
      (99.8 % before 95 %); without limits, the worst 25 % among municipalities (rank colour red),
      and the text says it is a relative position, not a significance test;
    - trending_worse: a significant recent trend in the wrong direction;
    - widening_gap: the women–men gap grows significantly;
    - missed_target: with ``targets`` ({indicator: target value due now}, e.g. from a steering
      plan), ``assess_target`` finds the target off track (the latest value on the wrong side
      of it, given the polarity); with limits the text says whether the shortfall is
      statistically certain (the target outside the 95 % limits).
    """
    out: list[Deviation] = []
    for r in rows:
        if targets and r.indicator in targets:
            missed = _target_deviation(r, float(targets[r.indicator]))
            if missed:
                out.append(missed)
        out.extend(_benchmark_deviation(r))
        trend = _trend_deviation(r)
        if trend:
            out.append(trend)
        gap = _gap_deviation(r)
        if gap:
            out.append(gap)
    tests = multiplicity(rows, targets)
    for d in out:
        key = (d.indicator, _TEST_KEY[d.kind] if d.kind != "worse_than_benchmark"
               else f"vs_{d.benchmark}")
        if key in tests.q_values:
            d.test, d.p_value, d.q_value = (tests.test_names[key], tests.p_values[key],
                                            tests.q_values[key])
    out.sort(key=_evidence_order)
    return out



_TEST_KEY = {"trending_worse": "trend", "widening_gap": "sex_gap_trend", "missed_target": "target"}


def _evidence_order(d: Deviation) -> tuple:
    if d.q_value is None or d.p_value is None:
        return (1, 0.0, 0.0, -d.severity, d.indicator, d.kind)
    return (0, d.q_value, d.p_value, -d.severity, d.indicator, d.kind)


def _target_deviation(r: ProfileRow, target: float) -> Deviation | None:
    status, _ = assess_target(r.value, r.period_label, target, None,
                              direction_from_polarity(r.polarity), [], r.period)
    if status != "off_track" or r.value is None:
        return None
    text = f"{r.title}: målvärdet {tx.fmt(target)} nås inte – {tx.fmt(r.value)} ({r.period_label})."
    text_en = (f"{r.title}: the target {tx.fmt(target, lang='en')} is not met – "
               f"{tx.fmt(r.value, lang='en')} ({r.period_label}).")
    certain: bool | None = None
    if r.lower is not None and r.upper is not None:
        certain = not (r.lower <= target <= r.upper)
        text += (" Skillnaden mot målvärdet är statistiskt säkerställd (målvärdet ligger utanför "
                 "95 %-konfidensintervallet)." if certain else
                 " Målvärdet ligger inom konfidensintervallet, så det är inte säkerställt att "
                 "målet missas.")
    else:
        text += " Osäkerheten är okänd, så det går inte att säga om skillnaden är säkerställd."
    base = 2.0 if certain else 1.0 if certain is None else 0.5
    evidence = {"value": r.value, "target": target, "period": r.period, "lower": r.lower,
                "upper": r.upper, "significant": certain}
    return Deviation(r.indicator, r.title, "missed_target", "target",
                     base + _magnitude(r.value, target), text, evidence, r.area,
                     KINDS_SV["missed_target"], text_en, KINDS["missed_target"][1])


def _magnitude(value: float | None, reference: float | None) -> float:
    if value is None or reference is None or reference == 0:
        return 0.0
    return _MAGNITUDE_WEIGHT * min(1.0, abs(value - reference) / abs(reference))


def _benchmark_deviation(r: ProfileRow) -> list[Deviation]:
    worse = {b: getattr(r, f"vs_{b}") for b in BENCHMARKS
             if getattr(r, f"vs_{b}") in ("worse", "worse_998")}
    if worse:
        strongest = "worse_998" if "worse_998" in worse.values() else "worse"
        main = next(b for b in BENCHMARKS if worse.get(b) == strongest)
        ref = getattr(r, f"{main}_value")
        level = "99,8 %" if strongest == "worse_998" else "95 %"
        names = [tx.BENCHMARK_NAMES_SV[b] for b in BENCHMARKS if b in worse]
        text = (
            f"{r.title}: {tx.fmt(r.value)} ({r.period_label}) är statistiskt säkerställt sämre än "
            f"{tx.join_sv(names)} (konfidensintervall {tx.fmt(r.lower)}–{tx.fmt(r.upper)}, {level}); "
            f"{tx.BENCHMARK_NAMES_SV[main]}: {tx.fmt(ref)}."
        )
        names_en = [BENCHMARK_NAMES[b][1] for b in BENCHMARKS if b in worse]
        text_en = (
            f"{r.title}: {tx.fmt(r.value, lang='en')} ({r.period_label}) is statistically "
            f"significantly worse than {' and '.join(names_en)} (confidence interval "
            f"{tx.fmt(r.lower, lang='en')}–{tx.fmt(r.upper, lang='en')}, "
            f"{level.replace(',', '.').replace(' %', '%')}); {BENCHMARK_NAMES[main][1]}: "
            f"{tx.fmt(ref, lang='en')}."
        )
        # Say what the comparison is: "Sämre än riket", not "Sämre än jämförelsen".
        label = f"Sämre än {tx.BENCHMARK_NAMES_SV[main]}"
        label_en = f"Worse than {BENCHMARK_NAMES[main][1]}"
        evidence = {
            "value": r.value, "lower": r.lower, "upper": r.upper, "period": r.period,
            "limits_source": r.limits_source,
            **{f"vs_{b}": getattr(r, f"vs_{b}") for b in BENCHMARKS},
            **{f"{b}_value": getattr(r, f"{b}_value") for b in BENCHMARKS},
        }
        return [Deviation(r.indicator, r.title, "worse_than_benchmark", main,
                          _SEVERITY[strongest] + _magnitude(r.value, ref), text, evidence,
                          r.area, label, text_en, label_en)]
    if r.lower is None and r.rank_colour == "red" and r.value is not None:
        # A county (code "20") is ranked among the 21 län, a municipality among the kommuner.
        among, among_en = (("länen", "counties") if len(r.area) == 2 else
                           ("kommunerna", "municipalities"))
        text = (
            f"{r.title}: {tx.fmt(r.value)} ({r.period_label}) hör till de 25 % sämsta {among} "
            f"(plats {r.rank} av {r.rank_of}). Detta är en relativ placering, inte ett "
            "signifikanstest: källan redovisar ingen osäkerhet."
        )
        text_en = (
            f"{r.title}: {tx.fmt(r.value, lang='en')} ({r.period_label}) is among the worst 25% "
            f"of {among_en} (place {r.rank} of {r.rank_of}). This is a relative position, not a "
            "significance test: the source publishes no uncertainty."
        )
        if r.nation_value is not None:
            text += f" Riket: {tx.fmt(r.nation_value)}."
            text_en += f" Sweden: {tx.fmt(r.nation_value, lang='en')}."
        label = f"Bland de 25 % sämsta {among} (placering)"
        label_en = f"Among the worst 25% of {among_en} (rank)"
        evidence = {"value": r.value, "period": r.period, "rank": r.rank, "rank_of": r.rank_of,
                    "rank_colour": r.rank_colour, "nation_value": r.nation_value,
                    "significance_tested": False}
        sev = _SEVERITY["rank_red"] + _MAGNITUDE_WEIGHT * (r.rank / r.rank_of if r.rank and r.rank_of else 0)
        return [Deviation(r.indicator, r.title, "worse_than_benchmark", "rank", sev, text,
                          evidence, r.area, label, text_en, label_en)]
    return []


def _trend_deviation(r: ProfileRow) -> Deviation | None:
    if r.trend_direction != "worse":
        return None
    periods = r.trend_periods
    span = f" {periods[0]}–{periods[-1]}" if periods else ""
    # Plain words for politicians: the test's name and p-value stay in ``evidence``/``test``/
    # ``p_value`` (JSON, the profile's details), not in the sentence.
    text = f"{r.title}: {r.trend_label}{span} (statistiskt säkerställd trend)."
    text_en = f"{r.title}: trending the wrong way{span} (statistically significant trend)."
    if r.trend_test == "mann_kendall":
        text += (" Värdena rör sig konsekvent åt fel håll; källans osäkerhet "
                 "är okänd.")
        text_en += (" The values move consistently the wrong way; the source's uncertainty is "
                    "unknown.")
    key = "trend_mann_kendall" if r.trend_test == "mann_kendall" else "trend_fingertips"
    slope_share = 0.0
    if r.trend_slope is not None and r.value and periods:
        slope_share = _MAGNITUDE_WEIGHT * min(
            1.0, abs(r.trend_slope) * max(1, periods[-1] - periods[0]) / abs(r.value))
    evidence = {"trend": r.trend, "trend_test": r.trend_test, "p_value": r.trend_p_value,
                "slope_per_year": r.trend_slope, "periods": periods}
    return Deviation(r.indicator, r.title, "trending_worse", None, _SEVERITY[key] + slope_share,
                     text, evidence, r.area, KINDS_SV["trending_worse"], text_en,
                     KINDS["trending_worse"][1])


def _gap_deviation(r: ProfileRow) -> Deviation | None:
    gap = r.sex_gap
    if not gap or gap.get("trend") != "widening":
        return None
    periods = gap.get("trend_periods") or []
    span = f" {periods[0]}–{periods[-1]}" if periods else ""
    text = (
        f"{r.title}: skillnaden mellan kvinnor och män växer{span} (statistiskt säkerställt). "
        f"{gap['period']}: kvinnor {tx.fmt(gap['women'])}, män {tx.fmt(gap['men'])}."
    )
    text_en = (
        f"{r.title}: the gap between women and men is widening{span} (statistically "
        f"significant). {gap['period']}: women {tx.fmt(gap['women'], lang='en')}, men "
        f"{tx.fmt(gap['men'], lang='en')}."
    )
    evidence = {k: gap.get(k) for k in ("women", "men", "difference", "ratio", "lower", "upper",
                                        "trend", "trend_test", "trend_p_value", "trend_periods")}
    mag = _magnitude(gap["women"], gap["men"])
    key = "gap_mann_kendall" if gap.get("trend_test") == "mann_kendall" else "gap_fingertips"
    return Deviation(r.indicator, r.title, "widening_gap", None, _SEVERITY[key] + mag,
                     text, evidence, r.area, KINDS_SV["widening_gap"], text_en,
                     KINDS["widening_gap"][1])
