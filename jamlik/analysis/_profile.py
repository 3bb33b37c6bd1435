"""Area profiles: every indicator's latest value, limits, benchmarks, colours, trend, gap, verdict."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from jamlik.analysis import _text as tx
from jamlik.analysis._batch import GapTrend, batch_gap_trends, batch_trends
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD, load
from jamlik.analysis._gap import sex_gap
from jamlik.analysis._limits import derived_counts, limits_for
from jamlik.analysis._rows import build_rows
from jamlik.analysis._series import (
    Series,
    SeriesMap,
    as_float,
    as_text,
    no_gc,
    split_series,
    to_json_dict,
)
from jamlik.analysis._words import NO_LIMITS_REASONS_EN, NO_POPULATION_SERIES, VERDICT
from jamlik.language import LANGUAGES, in_language, is_default, word
from jamlik.stats.compare import (
    benchmark_significance,
    compare_estimates,
    with_benchmark_se,
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
from jamlik.store.model import LABELS_SV, period_label, period_note, period_note_sv

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
    #: standard error of the similar-municipality mean (√Σ SEᵢ² / k), None when unknown
    similar_se: float | None = None
    #: how the limits were computed: "Wilson", "Byars", "Exact", "margin", "source" or None
    limits_method: str | None = None
    #: Swedish: where the limits come from, naming method and denominator for derived limits
    limits_note: str | None = None
    #: the base population behind derived limits (person-years for a pooled period)
    limits_base: float | None = None
    #: whether the value has limits, so its comparisons are significance tests
    tested: bool = False
    #: Swedish: why the value could not be tested (no honest base, margin not loaded …)
    untested_reason: str | None = None
    #: the verdict in English (``verdict`` is the Swedish one; both from ``_words.VERDICT``)
    verdict_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        return to_json_dict(self, _PROFILEROW_FIELDS)


#: Field names in declaration order (the JSON key order of ``to_dict``).
_PROFILEROW_FIELDS = tuple(f.name for f in fields(ProfileRow))










# -- the profile ---------------------------------------------------------------------------------
def profile_many(
    store: Store,
    areas: Sequence[str],
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    sex: str = "T",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    batch: bool = True,
) -> dict[str, list[ProfileRow]]:
    """Profiles of many areas with the same handful of set-based queries (e.g. all 290 for the
    static site). Returns {area code: rows}.

    batch: compute the Mann–Kendall-path trends and sex-gap trends of all series at once
    (``_batch``) and the rows of series without limit inputs with the vectorised row builder
    (``_rows``); False runs the per-series reference ``_row`` for every row (same results).
    """
    with no_gc():
        return _profile_many(store, areas, indicators, similar_theme, sex, threshold, batch)


def _profile_many(store: Store, areas: Sequence[str], indicators: Sequence[str] | None,
                  similar_theme: str, sex: str, threshold: float, batch: bool
                  ) -> dict[str, list[ProfileRow]]:
    prep = _prepare(store, areas, indicators, similar_theme, sex, threshold, batch)
    out: dict[str, list[ProfileRow]] = {code: [] for code in prep.codes}
    if batch:
        columns, rest = prep.plain()
        names = [f for f in _PROFILEROW_FIELDS if f in columns]
        for values in zip(*(columns[f] for f in names), strict=True):
            row = ProfileRow(**dict(zip(names, values, strict=True)))
            out[row.area].append(row)
        for code, ind_id in rest:
            built = prep.row(code, ind_id)
            if built is not None:
                out[code].append(built)
        for rows in out.values():
            rows.sort(key=attrgetter("indicator"))
        return out
    for code in out:
        for ind_id in sorted(prep.by_area.get(code, ())):
            built = prep.row(code, ind_id)
            if built is not None:
                out[code].append(built)
    return out


def profile_columns(
    store: Store,
    areas: Sequence[str],
    indicators: Sequence[str] | None = None,
    similar_theme: str = "socioekonomi",
    *,
    sex: str = "T",
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> tuple[dict[str, list], list[ProfileRow]]:
    """What ``profile_many`` computes, for writers of many rows (``materialise``): the rows of
    series without limit inputs as columns ({``ProfileRow`` field: values}, no objects) and
    every other row as a ``ProfileRow`` from the reference ``_row``. Rows in no set order."""
    prep = _prepare(store, areas, indicators, similar_theme, sex, threshold, True)
    columns, rest = prep.plain()
    rows = [r for r in (prep.row(code, ind_id) for code, ind_id in rest) if r is not None]
    return columns, rows


class _Prepared:
    """Everything ``_row`` and ``_rows.build_rows`` read, from one ``load``."""

    def __init__(self, store: Store, areas: Sequence[str], indicators: Sequence[str] | None,
                 similar_theme: str, sex: str, threshold: float, batch: bool) -> None:
        known = set(store.sql("SELECT code FROM areas")["code"])
        # A canonical code resolves to itself; only names and Kolada codes need the store's lookup.
        codes = [a if isinstance(a, str) and a in known else store.resolve_area(a) for a in areas]
        data = load(store, codes, indicators, sex=sex, similar_theme=similar_theme,
                    threshold=threshold)
        self.codes, self.data, self.sex, self.threshold = codes, data, sex, threshold
        # Series objects only for the rows left to _row (the builder reads the columns).
        self.groups: Mapping[tuple[str, str, str], Series] = (
            SeriesMap(data.series) if batch else split_series(data.series))
        self.trends = batch_trends(data.series, sex) if batch else {}
        self.gap_trends = batch_gap_trends(data.series, dict(data.indicators["measure_type"])) \
            if batch else {}
        bench_areas = {data.nation} | {c for c in data.areas.loc[codes, "county"].dropna()}
        # The benchmarks' shown values of the profile's sex: {(area, indicator, period): value}.
        cols = data.series
        pick = np.flatnonzero(_in(cols["area"], bench_areas) & (cols["sex"] == sex)
                              & ~cols["hidden"].astype(bool))
        self.bench: dict[tuple, float] = dict(zip(
            zip(cols["area"][pick].tolist(), cols["indicator"][pick].tolist(),
                cols["period"][pick].astype(np.int64).tolist(), strict=True),
            cols["value"][pick].astype(float).tolist(), strict=True))
        self.similar = _records(data.similar, "Similar", ("area", "indicator", "period"))
        self.ranks = {(a, i, int(p)): (int(r), int(n), int(t)) for a, i, p, r, n, t in zip(
            *(data.ranks[c].tolist() for c in ("area", "indicator", "period", "rank",
                                               "rank_of", "tied")), strict=True)}
        self.by_area: dict[str, set[str]] = {}
        for area, ind, _ in self.groups:
            self.by_area.setdefault(area, set()).add(ind)
        self.meta = _Meta.all(data.indicators)
        munis = data.areas[data.areas["type"] == "municipality"]
        per_county = munis.groupby("county").size().to_dict()
        self.places: dict[str, _Place] = {}
        for code in dict.fromkeys(codes):
            county_of = as_text(data.areas.at[code, "county"])
            kind = str(data.areas.at[code, "type"])
            self.places[code] = _Place(
                code, str(data.areas.at[code, "name"]), kind, county_of, data.nation,
                whole_county=kind == "municipality" and county_of is not None
                and per_county.get(county_of) == 1)

    def row(self, code: str, ind_id: str) -> ProfileRow | None:
        return _row(self.places[code], ind_id, self.groups, self.meta[ind_id], self.bench,
                    self.similar, self.ranks, self.sex, self.threshold, self.trends,
                    self.gap_trends)

    def plain(self) -> tuple[dict[str, list], list[tuple[str, str]]]:
        """``_rows.build_rows`` of these areas: (columns, the keys left to ``_row``)."""
        untested = {i: (_untested_shown(m, "sv"), _untested_shown(m, "en"))
                    for i, m in self.meta.items()}
        threshold = self.threshold

        def hidden_reason(source_suppressed: bool, reason: str | None, lang: str) -> str:
            return _hidden_reason(source_suppressed, reason, threshold, lang)

        return build_rows(self.data.series, list(dict.fromkeys(self.codes)), self.places,
                          self.meta, untested, self.data.nation, self.bench, self.similar,
                          self.ranks, self.trends, self.gap_trends, self.sex, hidden_reason)


def _in(values: np.ndarray, wanted: set[str]) -> np.ndarray:
    """``np.isin`` for a sorted object column with few distinct values (areas): decided once
    per run of equal values instead of sorting a million Python strings."""
    n = len(values)
    if not n:
        return np.zeros(0, dtype=bool)
    cut = np.concatenate([[0], np.flatnonzero(values[1:] != values[:-1]) + 1, [n]])
    runs = np.array([v in wanted for v in values[cut[:-1]].tolist()], dtype=bool)
    return np.repeat(runs, np.diff(cut))


def _records(frame: pd.DataFrame, name: str, key: tuple[str, ...]) -> dict[tuple, Any]:
    """{key: one named tuple per row} (what ``itertuples`` gives, read column by column)."""
    kind = namedtuple(name, list(frame.columns))  # type: ignore[misc]  # noqa: PYI024
    columns = [frame[c].tolist() for c in frame.columns]
    at = [list(frame.columns).index(k) for k in key]
    out: dict[tuple, Any] = {}
    for values in zip(*columns, strict=True):
        out[tuple(values[k] for k in at)] = kind._make(values)
    return out


def _prepare(store: Store, areas: Sequence[str], indicators: Sequence[str] | None,
             similar_theme: str, sex: str, threshold: float, batch: bool) -> _Prepared:
    return _Prepared(store, areas, indicators, similar_theme, sex, threshold, batch)


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    type: str
    county: str | None
    nation: str
    #: the municipality is the whole county (Gotland), so county = the area itself
    whole_county: bool = False


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
    margin_indicator: str | None = None
    base_label: str | None = None
    no_limits_reason: str | None = None

    @classmethod
    def all(cls, frame: pd.DataFrame) -> dict[str, _Meta]:
        """{id: ``_Meta``} of every row of the indicators frame, read column by column (what
        ``of`` gives per row; ``iterrows`` took half of a one-area profile's CPU)."""
        names = ("title_sv", "unit", "measure_type", "multiplier", "polarity", "data_kind",
                 "source", "attribution", "margin_indicator", "base_label", "no_limits_reason")
        out: dict[str, _Meta] = {}
        for i, t, u, m, x, p, d, s, a, g, b, n in zip(
                frame.index.tolist(), *(frame[c].tolist() for c in names), strict=True):
            out[i] = cls(str(i), str(t), as_text(u), str(m), float(x), str(p), str(d),
                         as_text(s), as_text(a), as_text(g) or None, as_text(b) or None,
                         as_text(n) or None)
        return out

    @classmethod
    def of(cls, r: pd.Series) -> _Meta:
        return cls(str(r.name), str(r["title_sv"]), as_text(r["unit"]), str(r["measure_type"]),
                   float(r["multiplier"]), str(r["polarity"]), str(r["data_kind"]),
                   as_text(r["source"]), as_text(r["attribution"]),
                   as_text(r["margin_indicator"]) or None, as_text(r["base_label"]) or None,
                   as_text(r["no_limits_reason"]) or None)








def _row(
    place: _Place,
    ind_id: str,
    groups: Mapping[tuple[str, str, str], Series],
    meta: _Meta,
    bench: dict[tuple, float],
    similar: dict[tuple, Any],
    ranks: dict[tuple, tuple[int, int, int]],
    sex: str,
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    trends: dict[tuple[str, str, str], TrendResult] | None = None,
    gap_trends: dict[tuple[str, str], GapTrend] | None = None,
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
        value = None if hidden else as_float(main.value[i])
        # Most series carry nothing limits_for could use (it would return None for every point).
        e95, e998, limits_source = limits_for(value, main.rec(i), measure, multiplier) \
            if main.has_limit_inputs else (None, None, None)
        numerator = None if hidden else as_float(main.numerator[i])
        denominator = None if hidden else as_float(main.denominator[i])
        base = as_float(main.base[i]) if limits_source == "derived" else None
        status, source = main.status[i], as_text(main.source[i])
        source_suppressed = bool(main.source_suppressed[i]) or np.isnan(main.value[i])
        reason = as_text(main.reason[i])
    else:
        assert women is not None and men is not None
        period = int(max(women.period[-1], men.period[-1]))
        ref = women if period in women.index else men
        start = int(ref.start[ref.index[period]])
        hidden = source_suppressed = False
        reason = None
        value = numerator = denominator = base = None
        e95 = e998 = None
        limits_source = None
        status, source = "final", as_text(ref.source[ref.index[period]])

    flags: list[str] = []
    if meta.data_kind == "survey":
        flags.append("survey")
    if value is not None and e95 is None:
        flags.append("no_limits")
    derived_num = (derived_counts(value, base, multiplier) or (None,))[0] \
        if base is not None and value is not None else None
    count = numerator if numerator is not None else derived_num
    if count is not None and count < EXACT_BELOW:
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
    similar_se = as_float(getattr(sim, "similar_se", None)) if sim is not None else None
    for b in BENCHMARKS:
        a95, a998 = e95, e998
        mean = bench_values[b]
        if b == "similar" and e95 is not None and mean is not None:
            # The similar-municipality mean is itself an estimate: its SE widens the test.
            if similar_se is None:
                a95 = a998 = None  # members without limits: the mean's uncertainty is unknown
            else:
                a95 = with_benchmark_se(e95, mean, similar_se)
                a998 = with_benchmark_se(e998, mean, similar_se) if e998 else None
        vs[b] = benchmark_significance(
            bench_values[b], a95.lower if a95 else None, a95.upper if a95 else None, polarity,
            lower998=a998.lower if a998 else None, upper998=a998.upper if a998 else None,
        ) if value is not None else "not_compared"
        labels[b] = tx.vs_label(vs[b], b, has_limits=e95 is not None, value=value,
                                bench_value=bench_values[b])
    if (vs["similar"] == "not_compared" and e95 is not None and value is not None
            and bench_values["similar"] is not None):
        labels["similar"] = VERDICT["similar_unknown_se"][0]
    # An area is not compared with itself or with a level it does not belong to.
    if place.whole_county:
        # Gotland is both a municipality and the whole county: comparing them is comparing the
        # area with itself.
        vs["county"] = "not_compared"
        labels["county"] = "Ej tillämpligt: kommunen utgör hela länet"
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

    known = (trends or {}).get((code, ind_id, sex)) if main is not None else None
    trend = known or (_trend(main, measure, multiplier) if main is not None else TrendResult(
        Trend.CANNOT_BE_CALCULATED, None, None, None, (), *VERDICT["trend_sexes_only"]))
    gap = sex_gap(women, men, period, measure, multiplier,
                  (gap_trends or {}).get((code, ind_id))) if women and men else None

    change = _change(main, trend, measure, multiplier) if main is not None and not hidden else None
    limits_note = tx.limits_note(limits_source, e95.method if e95 else None, meta.base_label,
                                 base, meta.attribution)
    untested = None if e95 is not None else _untested_reason(meta, value, main, hidden)
    verdicts = [_verdict(
        meta, value, e95, limits_source, trend, main, flags, vs, colour, rank, rank_of,
        area_type, period, start, denominator, hidden, source_suppressed, gap, change,
        tx.limits_note(limits_source, e95.method if e95 else None, meta.base_label, base,
                       meta.attribution, lang),
        None if e95 is not None else _untested_reason(meta, value, main, hidden, lang),
        reason, threshold, lang,
    ) for lang in LANGUAGES]
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
        sex_gap=gap, flags=flags, verdict=verdicts[0],
        source=source or meta.source, attribution=meta.attribution,
        area=code, area_name=place.name, sex=sex, measure_type=measure,
        polarity_label=LABELS_SV.get(polarity, polarity),
        data_kind_label=LABELS_SV.get(meta.data_kind, meta.data_kind),
        lower_998=e998.lower if e998 else None, upper_998=e998.upper if e998 else None,
        numerator=numerator, denominator=denominator,
        similar_group=sim.similar_group if sim is not None else None,
        similar_n=int(sim.similar_n) if sim is not None else None,
        similar_se=similar_se,
        rank_colour_label=tx.rank_label(colour, rank, rank_of, area_type),
        trend_test_label=TEST_LABELS_SV.get(str(trend.test)) if trend.test else None,
        trend_periods=list(trend.periods), trend_slope=trend.slope,
        flag_labels=[tx.FLAG_LABELS_SV[f] for f in flags], change=change,
        limits_method=e95.method if e95 else None, limits_note=limits_note, limits_base=base,
        tested=e95 is not None, untested_reason=untested, verdict_en=verdicts[1],
    )


def _hidden_reason(source_suppressed: bool, reason: str | None, threshold: float,
                   lang: str = "sv") -> str:
    """Why a value is not shown, naming the rule (never the hidden count)."""
    t = int(threshold) if float(threshold).is_integer() else threshold
    small = (_w("hidden_small", lang).format(below=t - 1, t=t) if isinstance(t, int) and t > 1
             else _w("hidden_fewer", lang).format(t=t))
    if reason == "small_count" or not source_suppressed:
        return small
    return _w({"confidential": "hidden_confidential", "missing": "hidden_missing",
               "not_applicable": "hidden_not_applicable"}.get(reason or "", "hidden_other"), lang)


def _w(code: str, lang: str) -> str:
    return word(VERDICT[code], lang)


def _untested_reason(meta: _Meta, value: float | None, main: Series | None,
                     hidden: bool, lang: str = "sv") -> str:
    """Why a value has no limits, in ``lang`` (the catalogue's reason first)."""
    if main is None:
        return _w("untested_sexes_only", lang)
    if hidden or value is None:
        return _w("untested_hidden", lang)
    return _untested_shown(meta, lang)


def _untested_shown(meta: _Meta, lang: str = "sv") -> str:
    """Why a shown value of this indicator has no limits, in ``lang``."""
    if meta.no_limits_reason:
        return catalogue_reason(meta.no_limits_reason, lang)
    if meta.margin_indicator:
        return _w("untested_margin", lang).format(kpi=meta.margin_indicator)
    if meta.base_label:
        return _w("untested_base", lang).format(base_label=meta.base_label)
    return _w("untested_none", lang)




def catalogue_reason(reason: str, lang: str = "sv") -> str:
    """The catalogue's (Swedish) reason for missing limits in ``lang``."""
    if is_default(lang):
        return reason
    if reason.endswith(NO_POPULATION_SERIES[0]):
        return NO_POPULATION_SERIES[1]
    return NO_LIMITS_REASONS_EN.get(reason) or _w("untested_default", lang)


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
                           *VERDICT["trend_no_values"])
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
    limits_note: str | None = None, untested: str | None = None,
    suppression_reason: str | None = None, threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
    lang: str = "sv",
) -> str:
    """The plain-language verdict of one profile row in ``lang`` (``_words.VERDICT``)."""
    parts: list[str] = []
    label = period_label(period, start)
    if main is None:
        parts.append(_w("sexes_only", lang))
        if gap is not None:
            parts.append(_w("gap_at", lang).format(
                period=label, label=in_language(lang, gap["label"], gap.get("label_en"))))
        return " ".join(parts)
    if hidden:
        parts.append(_w("not_shown", lang).format(
            period=label, why=_hidden_reason(source_suppressed, suppression_reason, threshold,
                                             lang)))
    base_note = ""
    if denominator is not None and meta.measure == "proportion":
        base_note = _w("base_note", lang).format(n=tx.fmt(denominator, lang=lang))
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
                                        base_note, lang))
        # One threshold per statement about the change: the z test of the two end points
        # (95 %) is shown only when it agrees with the trend test; a verdict never calls the
        # same change both significant and not significant.
        if change is not None and change["test"] == "z_test" and (
                trend.trend == Trend.CANNOT_BE_CALCULATED
                or bool(change["significant"]) == trend.significant):
            parts.append(tx.difference_sentence(
                change, points=meta.measure == "proportion" and meta.unit is not None
                and "%" in meta.unit, lang=lang))
    if value is not None:
        if e95 is None:
            why = untested or _w("untested_default", lang)
            parts.append(_w("uncertainty_unknown", lang).format(why=why))
            if rank is not None and colour != "grey":
                kind = _w("kind_counties" if area_type == "county" else "kind_municipalities",
                          lang)
                parts.append(_w("placing_relative", lang).format(rank=rank, of=rank_of,
                                                                 kind=kind))
        else:
            note = limits_note or tx.limits_note(limits_source or "source", None, None, None,
                                                 None, lang)
            parts.append(_w("ci95", lang).format(lower=tx.fmt(e95.lower, lang=lang),
                                                 upper=tx.fmt(e95.upper, lang=lang), note=note))
            comp = tx.comparison_sentence(vs, lang)
            if comp:
                parts.append(comp)
    if "survey" in flags:
        parts.append(_w("survey", lang))
    if "pooled_period" in flags:
        parts.append(period_note(period, start, lang) or "")
    if "small_count" in flags:
        parts.append(_w("small_count", lang))
    if "preliminary" in flags:
        parts.append(_w("preliminary", lang))
    return " ".join(p for p in parts if p)
