"""Area profiles: every indicator's latest value, limits, benchmarks, colours, trend, gap, verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from jamlik.analysis import _text as tx
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD, load
from jamlik.analysis._gap import sex_gap
from jamlik.analysis._limits import limits_for
from jamlik.analysis._series import Series, as_float, as_text, split_series, to_json_dict
from jamlik.stats.compare import (
    benchmark_significance,
    compare_estimates,
)
from jamlik.stats.counts import EXACT_BELOW
from jamlik.stats.estimate import Estimate
from jamlik.stats.trend import (
    TEST_LABELS_SV,
    Trend,
    TrendResult,
    non_overlapping,
    recent_trend,
    trend_direction,
    trend_label_sv,
)
from jamlik.store import Store
from jamlik.store.model import LABELS_SV, period_label, period_note_sv

BENCHMARKS = ("nation", "county", "similar")


@dataclass
class ProfileRow:
    """One indicator in an area's profile; ``to_dict()`` is the JSON contract (docs/ANALYSIS.md)."""

    indicator: str
    title: str
    unit: str | None
    polarity: str
    data_kind: str
    period: int
    period_label: str
    period_note: str | None
    value: float | None
    lower: float | None
    upper: float | None
    limits_source: str | None
    nation_value: float | None
    county_value: float | None
    similar_value: float | None
    vs_nation: str
    vs_county: str
    vs_similar: str
    vs_nation_label: str
    vs_county_label: str
    vs_similar_label: str
    rank: int | None
    rank_of: int | None
    rank_colour: str
    trend: str
    trend_direction: str | None
    trend_label: str
    trend_test: str | None
    trend_p_value: float | None
    sex_gap: dict[str, Any] | None
    flags: list[str]
    verdict: str
    source: str | None
    attribution: str | None
    # -- additions beyond the contract --
    area: str = ""
    area_name: str = ""
    sex: str = "T"
    measure_type: str = ""
    polarity_label: str = ""
    data_kind_label: str = ""
    lower_998: float | None = None
    upper_998: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    similar_group: str | None = None
    similar_n: int | None = None
    rank_colour_label: str = ""
    trend_test_label: str | None = None
    trend_periods: list[int] = field(default_factory=list)
    trend_slope: float | None = None
    flag_labels: list[str] = field(default_factory=list)
    #: latest vs the first point of the trend window, with a z test when both have limits
    change: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return to_json_dict(self, _PROFILEROW_FIELDS)


#: Field names in declaration order (the JSON key order of ``to_dict``).
_PROFILEROW_FIELDS = tuple(f.name for f in fields(ProfileRow))










# -- the profile ---------------------------------------------------------------------------------
def profile(
    store: Store,
    area: str,
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    sex: str = "T",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> list[ProfileRow]:
    """Every indicator's latest value for one area with limits, the three benchmarks, rank colour,
    trend, sex gap, data-quality flags and a Swedish verdict. Indicators without data are left out.

    area: an SCB or Kolada code or a name. threshold: values based on fewer cases are suppressed.
    Raises KeyError (Swedish) for an unknown area or indicator.
    """
    code = store.resolve_area(area)
    return profile_many(store, [code], indicators, similar_theme, sex=sex, threshold=threshold)[code]


def profile_many(
    store: Store,
    areas: Sequence[str],
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    sex: str = "T",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> dict[str, list[ProfileRow]]:
    """Profiles of many areas with the same handful of set-based queries (e.g. all 290 for the
    static site). Returns {area code: rows}."""
    known = set(store.sql("SELECT code FROM areas")["code"])
    # A canonical code resolves to itself; only names and Kolada codes need the store's lookup.
    codes = [a if isinstance(a, str) and a in known else store.resolve_area(a) for a in areas]
    data = load(store, codes, indicators, sex=sex, similar_theme=similar_theme, threshold=threshold)
    groups = split_series(data.series)
    bench_areas = {data.nation} | {c for c in data.areas.loc[codes, "county"].dropna()}
    bench: dict[tuple, float] = {}
    for (area, ind, sx), ser in groups.items():
        if area in bench_areas and sx == sex:
            for i in np.flatnonzero(~ser.hidden):
                bench[(area, ind, int(ser.period[i]))] = float(ser.value[i])
    similar = {(r.area, r.indicator, r.period): r for r in data.similar.itertuples(index=False)}
    ranks = {(r.area, r.indicator, r.period): (int(r.rank), int(r.rank_of), int(r.tied))
             for r in data.ranks.itertuples(index=False)}
    by_area: dict[str, set[str]] = {}
    for area, ind, _ in groups:
        by_area.setdefault(area, set()).add(ind)
    meta = {i: _Meta.of(r) for i, r in data.indicators.iterrows()}
    out: dict[str, list[ProfileRow]] = {}
    for code in codes:
        rows: list[ProfileRow] = []
        place = _Place(code, str(data.areas.at[code, "name"]), str(data.areas.at[code, "type"]),
                       as_text(data.areas.at[code, "county"]), data.nation)
        for ind_id in sorted(by_area.get(code, ())):
            row = _row(place, ind_id, groups, meta[ind_id], bench, similar, ranks, sex)
            if row is not None:
                rows.append(row)
        out[code] = rows
    return out


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    type: str
    county: str | None
    nation: str


@dataclass(frozen=True)
class _Meta:
    id: str
    title: str
    unit: str | None
    measure: str
    multiplier: float
    polarity: str
    data_kind: str
    source: str | None
    attribution: str | None

    @classmethod
    def of(cls, r: pd.Series) -> _Meta:
        return cls(str(r.name), str(r["title_sv"]), as_text(r["unit"]), str(r["measure_type"]),
                   float(r["multiplier"]), str(r["polarity"]), str(r["data_kind"]),
                   as_text(r["source"]), as_text(r["attribution"]))








def _row(
    place: _Place,
    ind_id: str,
    groups: dict[tuple[str, str, str], Series],
    meta: _Meta,
    bench: dict[tuple, float],
    similar: dict[tuple, Any],
    ranks: dict[tuple, tuple[int, int, int]],
    sex: str,
) -> ProfileRow | None:
    polarity, measure, multiplier = meta.polarity, meta.measure, meta.multiplier
    code, area_type, county = place.code, place.type, place.county
    main = groups.get((code, ind_id, sex))
    women, men = groups.get((code, ind_id, "K")), groups.get((code, ind_id, "M"))
    if main is None and (women is None or men is None):
        return None
    if main is not None:
        i = len(main.period) - 1
        period, start = int(main.period[i]), int(main.start[i])
        hidden = bool(main.hidden[i])
        rec = main.rec(i)
        value = None if hidden else as_float(main.value[i])
        e95, e998, limits_source = limits_for(value, rec, measure, multiplier)
        numerator = None if hidden else as_float(main.numerator[i])
        denominator = None if hidden else as_float(main.denominator[i])
        status, source = main.status[i], as_text(main.source[i])
        source_suppressed = bool(main.source_suppressed[i]) or np.isnan(main.value[i])
    else:
        assert women is not None and men is not None
        period = int(max(women.period[-1], men.period[-1]))
        ref = women if period in women.index else men
        start = int(ref.start[ref.index[period]])
        hidden = source_suppressed = False
        value = numerator = denominator = None
        e95 = e998 = None
        limits_source = None
        status, source = "final", as_text(ref.source[ref.index[period]])

    flags: list[str] = []
    if meta.data_kind == "survey":
        flags.append("survey")
    if value is not None and e95 is None:
        flags.append("no_limits")
    if numerator is not None and numerator < EXACT_BELOW:
        flags.append("small_count")
    if status == "preliminary":
        flags.append("preliminary")
    if start < period:
        flags.append("pooled_period")
    if hidden:
        flags.append("suppressed")

    bench_values = {
        "nation": bench.get((place.nation, ind_id, period)) if code != place.nation else None,
        "county": bench.get((county, ind_id, period)) if county and county != code else None,
    }
    sim = similar.get((code, ind_id, period))
    bench_values["similar"] = as_float(sim.similar_value) if sim is not None else None
    vs: dict[str, str] = {}
    labels: dict[str, str] = {}
    for b in BENCHMARKS:
        vs[b] = benchmark_significance(
            bench_values[b], e95.lower if e95 else None, e95.upper if e95 else None, polarity,
            lower998=e998.lower if e998 else None, upper998=e998.upper if e998 else None,
        ) if value is not None else "not_compared"
        labels[b] = tx.vs_label(vs[b], b, has_limits=e95 is not None, value=value,
                                bench_value=bench_values[b])
    # An area is not compared with itself or with a level it does not belong to.
    if code == place.nation:
        labels["nation"] = labels["county"] = "Ej tillämpligt: området är riket"
    elif area_type == "county":
        labels["county"] = "Ej tillämpligt: området är ett län"
    if area_type in ("nation", "county"):
        labels["similar"] = "Ej tillämpligt: liknande kommuner finns bara för kommuner"

    # The nation has nothing to be ranked against.
    rk = ranks.get((code, ind_id, period)) if value is not None and area_type != "nation" else None
    rank, rank_of, tied = rk if rk is not None else (None, None, 1)
    colour = _rank_colour(rank, rank_of, polarity, tied)

    trend = _trend(main, measure, multiplier) if main is not None else TrendResult(
        Trend.CANNOT_BE_CALCULATED, None, None, None, (),
        "Trenden kan inte beräknas: indikatorn redovisas bara för kvinnor och män var för sig.")
    gap = sex_gap(women, men, period, measure, multiplier) if women and men else None

    change = _change(main, trend, measure, multiplier) if main is not None and not hidden else None
    verdict = _verdict(
        meta, value, e95, limits_source, trend, main, flags, vs, colour, rank, rank_of,
        area_type, period, start, denominator, hidden, source_suppressed, gap, change,
    )
    return ProfileRow(
        indicator=ind_id, title=meta.title, unit=meta.unit, polarity=polarity,
        data_kind=meta.data_kind, period=period, period_label=period_label(period, start),
        period_note=period_note_sv(period, start), value=value,
        lower=e95.lower if e95 else None, upper=e95.upper if e95 else None,
        limits_source=limits_source, nation_value=bench_values["nation"],
        county_value=bench_values["county"], similar_value=bench_values["similar"],
        vs_nation=vs["nation"], vs_county=vs["county"], vs_similar=vs["similar"],
        vs_nation_label=labels["nation"], vs_county_label=labels["county"],
        vs_similar_label=labels["similar"], rank=rank, rank_of=rank_of, rank_colour=colour,
        trend=str(trend.trend), trend_direction=trend_direction(trend.trend, polarity),
        trend_label=trend_label_sv(trend.trend, polarity),
        trend_test=str(trend.test) if trend.test else None, trend_p_value=trend.p_value,
        sex_gap=gap, flags=flags, verdict=verdict,
        source=source or meta.source, attribution=meta.attribution,
        area=code, area_name=place.name, sex=sex, measure_type=measure,
        polarity_label=LABELS_SV.get(polarity, polarity),
        data_kind_label=LABELS_SV.get(meta.data_kind, meta.data_kind),
        lower_998=e998.lower if e998 else None, upper_998=e998.upper if e998 else None,
        numerator=numerator, denominator=denominator,
        similar_group=sim.similar_group if sim is not None else None,
        similar_n=int(sim.similar_n) if sim is not None else None,
        rank_colour_label=tx.rank_label(colour, rank, rank_of, area_type),
        trend_test_label=TEST_LABELS_SV.get(str(trend.test)) if trend.test else None,
        trend_periods=list(trend.periods), trend_slope=trend.slope,
        flag_labels=[tx.FLAG_LABELS_SV[f] for f in flags], change=change,
    )




def _rank_colour(rank: int | None, rank_of: int | None, polarity: str, tied: int = 1) -> str:
    """Kolada's relative colouring: best 25 % green, middle 50 % yellow, worst 25 % red.

    rank: the competition rank (1 + the number of better areas); tied: how many areas share the
    value. Tied areas are coloured by their shared middle rank, rank + (tied − 1)/2, so a block
    of equal values never takes a whole colour band by sitting at its best position, and each
    colour keeps its 25/50/25 share up to half a tie block.
    """
    if rank is None or not rank_of or polarity == "no_judgement":
        return "grey"
    # floor(n/4) areas at each end, so the rule is symmetric when the order is reversed.
    quarter = rank_of // 4
    middle = rank + (max(tied, 1) - 1) / 2
    if middle <= quarter:
        return "green"
    if middle >= rank_of + 1 - quarter:
        return "red"
    return "yellow"


def _limits_at(ser: Series, idx: Sequence[int], measure: str, multiplier: float
               ) -> tuple[list[float | None], list[float | None]]:
    if not ser.has_limit_inputs:  # limits_for would return None for every point
        return [None] * len(idx), [None] * len(idx)
    lows: list[float | None] = []
    highs: list[float | None] = []
    for i in idx:
        e, _, _ = limits_for(as_float(ser.value[i]), ser.rec(i), measure, multiplier, with_998=False)
        lows.append(e.lower if e else None)
        highs.append(e.upper if e else None)
    return lows, highs


def _trend(ser: Series, measure: str, multiplier: float) -> TrendResult:
    idx = ser.shown()
    if not idx.size:
        return TrendResult(Trend.CANNOT_BE_CALCULATED, None, None, None, (),
                           "Trenden kan inte beräknas: inga publicerade värden.")
    periods, starts, values = ser.period[idx], ser.start[idx], ser.value[idx]
    num = den = lower = upper = None
    if measure == "proportion" and np.isfinite(ser.numerator[idx][-5:]).all():
        num, den = ser.numerator[idx], ser.denominator[idx]
    else:
        # Only the last 5 points (after thinning) can feed a limits-based test; Mann–Kendall over
        # up to 10 points ignores limits, so the rest need none.
        keep = non_overlapping(periods.tolist(), starts.tolist())[-10:]
        lo, hi = _limits_at(ser, [int(idx[k]) for k in keep[-5:]], measure, multiplier)
        periods, starts, values = periods[keep], starts[keep], values[keep]
        pad: list[float | None] = [None] * (len(keep) - len(lo))
        lower, upper = pad + lo, pad + hi
    return recent_trend(periods, values, period_starts=starts, numerators=num,
                        denominators=den, lower=lower, upper=upper)








def _change(ser: Series, trend: TrendResult, measure: str, multiplier: float
            ) -> dict[str, Any] | None:
    """Latest value against the first (non-overlapping) point of the trend window."""
    if len(trend.periods) < 2:
        return None
    i, j = ser.index.get(trend.periods[0]), ser.index.get(trend.periods[-1])
    if i is None or j is None or ser.hidden[i] or ser.hidden[j]:
        return None
    a, b = float(ser.value[i]), float(ser.value[j])
    out: dict[str, Any] = {
        "from_period": int(ser.period[i]),
        "from_period_label": period_label(int(ser.period[i]), int(ser.start[i])),
        "from_value": a, "to_value": b, "difference": b - a,
        "lower": None, "upper": None, "p_value": None, "significant": None, "test": None,
    }
    if not ser.has_limit_inputs:  # neither point can have limits: no z test
        return out
    ea, _, _ = limits_for(a, ser.rec(i), measure, multiplier, with_998=False)
    eb, _, _ = limits_for(b, ser.rec(j), measure, multiplier, with_998=False)
    if ea is not None and eb is not None:
        try:
            c = compare_estimates(eb, ea)
        except ValueError:
            return out
        out.update(lower=c.lower, upper=c.upper, p_value=c.p_value, significant=c.significant,
                   test="z_test")
    return out


def _verdict(
    meta: _Meta, value: float | None, e95: Estimate | None, limits_source: str | None,
    trend: TrendResult, main: Series | None, flags: list[str], vs: dict[str, str], colour: str,
    rank: int | None, rank_of: int | None, area_type: str, period: int, start: int,
    denominator: float | None, hidden: bool, source_suppressed: bool,
    gap: dict[str, Any] | None, change: dict[str, Any] | None,
) -> str:
    parts: list[str] = []
    label = period_label(period, start)
    if main is None:
        parts.append("Indikatorn redovisas bara för kvinnor och män var för sig; se könsskillnaden.")
        if gap is not None:
            parts.append(f"{label}: {gap['label']}.")
        return " ".join(parts)
    if hidden:
        if source_suppressed:
            parts.append(f"Värdet för {label} redovisas inte: källan har skyddat det "
                         "(sekretess, för få svar eller uppgift saknas).")
        else:
            parts.append(f"Värdet för {label} redovisas inte: underlaget är för litet "
                         "(färre fall än gränsen för att visa värden).")
    base_note = ""
    if denominator is not None and meta.measure == "proportion":
        base_note = f" (underlaget är {tx.fmt(denominator)} personer)"
    start_pt = end_pt = None
    if len(trend.periods) >= 2:
        first, last = main.index.get(trend.periods[0]), main.index.get(trend.periods[-1])
        if first is not None and last is not None:
            start_pt = (period_label(int(main.period[first]), int(main.start[first])),
                        float(main.value[first]))
            end_pt = (period_label(int(main.period[last]), int(main.start[last])),
                      float(main.value[last]))
    if not hidden:
        parts.append(tx.change_sentence(meta.measure, trend, start_pt, end_pt, meta.polarity,
                                        base_note))
        if change is not None and change["test"] == "z_test":
            parts.append(tx.difference_sentence(
                change, points=meta.measure == "proportion" and meta.unit is not None
                and "%" in meta.unit))
    if value is not None:
        if e95 is None:
            parts.append(
                "Osäkerheten är okänd: källan redovisar inga konfidensintervall, så jämförelserna "
                "bygger på rangordning och inte på signifikanstest."
            )
            if rank is not None and colour != "grey":
                kind = "länen" if area_type == "county" else "kommunerna"
                parts.append(f"Placeringen ({rank} av {rank_of} bland {kind}) är relativ, inte ett "
                             "mått på om nivån är bra eller dålig.")
        else:
            parts.append(f"95 % konfidensintervall {tx.fmt(e95.lower)}–{tx.fmt(e95.upper)} "
                         f"({tx.LIMITS_SOURCES_SV[limits_source or 'source']}).")
            comp = tx.comparison_sentence(vs)
            if comp:
                parts.append(comp)
    if "survey" in flags:
        parts.append("Enkätdata: värdet bygger på ett urval och kan variera av slumpen.")
    if "pooled_period" in flags:
        parts.append(period_note_sv(period, start) or "")
    if "small_count" in flags:
        parts.append("Underlaget är litet (färre än 10 fall); gränserna är beräknade med exakt metod.")
    if "preliminary" in flags:
        parts.append("Värdet är preliminärt och kan ändras.")
    return " ".join(p for p in parts if p)
