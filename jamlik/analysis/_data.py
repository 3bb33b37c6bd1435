"""The set-based store queries behind a profile: a handful of DuckDB queries for any number of areas.

1. indicator metadata; 2. the series of the target areas, the nation and their counties (all
periods, T/K/M, with the margin KPI joined); 3. the similar-group means and 4. the ranks, both only
at the (indicator, period) pairs the profile shows.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jamlik.store import Store, storable_sql

#: Published values based on fewer cases than this are replaced by null (flag "suppressed").
DEFAULT_SUPPRESSION_THRESHOLD = 5

# An observation counts as suppressed when the source withheld it or its count is under the
# threshold; such values never leave jamlik.analysis (nor enter means or ranks). So does a
# number the store would refuse today (inf, beyond 10^15) should an old file hold one.
# A true zero (numerator 0) is a fact, not a small count: only 1 … threshold−1 cases are hidden.
_SUPPRESSED_SQL = ("(o.suppressed OR " + storable_sql("o.value") + " IS NULL "
                   "OR coalesce(o.numerator > 0 AND o.numerator < {t}, false))")


# The base population of each indicator with a denominator series (a KPI or a sum of KPIs of
# the same sex, e.g. "N01952+N01953+N01954" = invånare 0–19 år); only where every part has a
# value, so a missing band never gives a too-small base. _an_where names the areas wanted.
_BASE_SQL = """
    dparts AS (
        SELECT i.id AS indicator, trim(unnest(string_split(i.denominator_indicator, '+'))) AS kpi,
               len(string_split(i.denominator_indicator, '+')) AS n
        FROM indicators i JOIN _an_ind s ON s.id = i.id
        WHERE coalesce(i.denominator_indicator, '') <> ''
    ),
    base AS (
        SELECT d.indicator, b.area, b.period, b.sex, sum(b.value) AS base
        FROM dparts d
        JOIN observations b ON b.indicator = d.kpi
        JOIN _an_where w ON w.code = b.area
        WHERE b.breakdown_dim = '' AND b.breakdown_cat = '' AND b.subperiod = ''
          AND NOT b.suppressed
          AND b.value IS NOT NULL AND b.value > 0
        GROUP BY d.indicator, b.area, b.period, b.sex
        HAVING count(*) = max(d.n)
    )
"""


# A similar municipality's standard error, for the SE of the group's unweighted mean
# (SE = √Σ SEᵢ² / k): from its own limits (SE = (upper − lower)/(2·1.96)), its osäkerhetstal
# (margin/1.96), or its derived base (Wilson/Poisson's normal SE: m·√(p(1−p)/n), √(r·m/n)).
_MEMBER_SE_SQL = """
    CASE WHEN o.lower IS NOT NULL AND o.upper IS NOT NULL AND o.upper >= o.lower
              THEN (o.upper - o.lower) / 3.919927969080108
         WHEN m.value IS NOT NULL AND m.value >= 0 THEN m.value / 1.959963984540054
         WHEN o.numerator IS NOT NULL AND o.denominator > 0 AND i.measure_type = 'proportion'
              THEN i.multiplier * sqrt(greatest(o.numerator / o.denominator
                   * (1 - o.numerator / o.denominator), 0) / o.denominator)
         WHEN o.numerator IS NOT NULL AND o.denominator > 0 AND i.measure_type = 'rate'
              THEN sqrt(o.numerator) / o.denominator * i.multiplier
         WHEN o.numerator IS NOT NULL THEN NULL
         WHEN i.measure_type = 'proportion' AND b.base > 0 AND i.multiplier > 0
              THEN i.multiplier * sqrt(greatest(o.value / i.multiplier
                   * (1 - o.value / i.multiplier), 0)
                   / (b.base * (o.period - o.period_start + 1)))
         WHEN i.measure_type = 'rate' AND b.base > 0 AND i.multiplier > 0 AND o.value >= 0
              THEN sqrt(o.value * i.multiplier / (b.base * (o.period - o.period_start + 1)))
    END
"""


def _base_label(denominator: object, titles: dict[str, str]) -> str | None:
    """'Invånare 0-19 år (N01952+N01953+N01954)' for a denominator formula."""
    if not isinstance(denominator, str) or not denominator.strip():
        return None
    parts = [k.strip() for k in denominator.split("+")]
    names = {"N01951": "invånare totalt", "N01955": "invånare 20–64 år",
             "N01952+N01953+N01954": "invånare 0–19 år", "N01956+N01957": "invånare 65+"}
    name = names.get("+".join(parts))
    if name is None:
        name = " + ".join(titles.get(k, k).removesuffix(", antal") for k in parts)
    return f"{name} ({'+'.join(parts)})"


# The period each target shows: its latest with a row for the requested sex (a suppressed latest
# value stays the latest; it is not silently replaced by an older one).
_LATEST_SQL = """
    SELECT o.area, o.indicator, max(o.period) AS period FROM observations o
    JOIN _an_targets t ON t.code = o.area JOIN _an_ind s ON s.id = o.indicator
    WHERE o.sex = ? AND o.breakdown_dim = '' AND o.breakdown_cat = '' AND o.subperiod = '' GROUP BY ALL
"""


@dataclass
class ProfileData:
    indicators: pd.DataFrame  # one row per indicator, indexed by id
    series: dict[str, np.ndarray]  # target + benchmark areas, all periods and sexes, sorted
    similar: pd.DataFrame  # area, indicator, period -> similar_value, similar_n, similar_group
    ranks: pd.DataFrame  # area, indicator, period -> rank, rank_of, tied (areas sharing the value)
    areas: pd.DataFrame  # code -> name, type, county
    nation: str


def load(
    store: Store,
    areas: Sequence[str],
    indicators: Sequence[str] | None,
    *,
    sex: str,
    similar_theme: str,
    threshold: float,
) -> ProfileData:
    meta = store.sql(
        "SELECT id, title_sv, unit, measure_type, multiplier, polarity, data_kind, period_span, "
        "margin_indicator, denominator_indicator, no_limits_reason, source, attribution, "
        "id IN (SELECT indicator FROM indicator_themes WHERE theme = 'denominator') "
        "AS is_denominator FROM indicators ORDER BY id"
    ).set_index("id")
    base_titles = dict(store.execute(
        "SELECT id, title_sv FROM indicators WHERE id IN (SELECT indicator FROM indicator_themes "
        "WHERE theme = 'denominator') OR id = 'N01951'").fetchall())
    meta["base_label"] = [_base_label(d, base_titles) for d in meta["denominator_indicator"]]
    if indicators is None:
        # Population series shipped only as denominators are not profile rows of their own.
        meta = meta[~meta["is_denominator"]]
    else:
        # Unknown ids are left out like indicators without data (callers such as a steering plan
        # may name indicators not loaded yet); the CLI checks the ids itself.
        meta = meta.loc[[i for i in dict.fromkeys(indicators) if i in meta.index]]
    nation = store.nation_code()
    area_frame = _areas_with_county(store)
    targets = list(dict.fromkeys(areas))
    counties = {c for c in area_frame.loc[targets, "county"].dropna()}
    wanted = sorted(set(targets) | counties | {nation})
    thr = float(threshold)
    # Per-call view names, so two profiles on one connection never see each other's inputs.
    tag = uuid.uuid4().hex[:12]
    names = {"areas": f"_an_areas_{tag}", "targets": f"_an_targets_{tag}", "ind": f"_an_ind_{tag}"}
    views = contextlib.ExitStack()
    views.enter_context(store.registered(names["areas"], pd.DataFrame({"code": wanted})))
    views.enter_context(store.registered(names["targets"], pd.DataFrame({"code": targets})))
    views.enter_context(store.registered(names["ind"], pd.DataFrame({"id": list(meta.index)})))

    def q(sql: str) -> str:
        return (sql.replace("_an_areas", names["areas"]).replace("_an_targets", names["targets"])
                .replace("_an_ind", names["ind"]))

    try:
        # The margin KPIs are joined through a small pre-filtered set, not the whole table.
        series = _arrow_columns(store.arrow(q(
            f"""
            WITH marg AS (
                SELECT i.id AS indicator, m.area, m.period, m.sex, m.value
                FROM indicators i JOIN _an_ind s ON s.id = i.id
                JOIN observations m ON m.indicator = i.margin_indicator
                JOIN _an_areas w ON w.code = m.area
                WHERE m.breakdown_dim = '' AND m.breakdown_cat = '' AND m.subperiod = ''
                  AND NOT m.suppressed
            )
            , {_BASE_SQL.replace("_an_where", "_an_areas")}
            SELECT o.indicator, o.area, o.period, o.period_start, o.sex, o.value, o.lower, o.upper,
                   o.numerator, o.denominator, o.status, o.source,
                   o.suppressed AS source_suppressed, o.suppression_reason,
                   {_SUPPRESSED_SQL.format(t=thr)} AS hidden,
                   m.value AS margin,
                   b.base * (o.period - o.period_start + 1) AS base
            FROM observations o
            JOIN _an_areas w ON w.code = o.area
            JOIN _an_ind s ON s.id = o.indicator
            LEFT JOIN marg m ON m.indicator = o.indicator AND m.area = o.area
                 AND m.period = o.period AND m.sex = o.sex
            LEFT JOIN base b ON b.indicator = o.indicator AND b.area = o.area
                 AND b.period = o.period AND b.sex = o.sex
            WHERE o.breakdown_dim = '' AND o.breakdown_cat = '' AND o.subperiod = ''
            ORDER BY o.area, o.indicator, o.sex, o.period
            """
        )))
        similar = store.execute(q(
            f"""
            WITH _an_latest AS ({_LATEST_SQL}),
            grp AS (
                SELECT id, owner_area FROM area_groups
                WHERE kind = 'similar' AND theme = ? AND owner_area IN (SELECT code FROM _an_targets)
                QUALIFY row_number() OVER (PARTITION BY owner_area ORDER BY year DESC NULLS LAST, id) = 1
            ),
            simareas AS (SELECT DISTINCT gm.area_code AS code FROM grp g
                         JOIN area_group_members gm ON gm.group_id = g.id),
            {_BASE_SQL.replace("_an_where", "simareas")},
            marg AS (
                SELECT i.id AS indicator, m.area, m.period, m.value
                FROM indicators i JOIN _an_ind s ON s.id = i.id
                JOIN observations m ON m.indicator = i.margin_indicator
                JOIN simareas w ON w.code = m.area
                WHERE m.sex = ? AND m.breakdown_dim = '' AND m.breakdown_cat = ''
                  AND m.subperiod = '' AND NOT m.suppressed
            ),
            -- The (owner, member, indicator, period) keys first, then one hash join of those
            -- keys against observations: left to itself, the planner joined observations to
            -- the margins and bases first and scanned it several times over (58 s of a
            -- 150-KPI × 312-area chunk on the real dump, now about a second).
            keys AS MATERIALIZED (
                SELECT l.area AS owner, l.indicator, l.period, g.id AS similar_group,
                       gm.area_code AS member
                FROM _an_latest l
                JOIN grp g ON g.owner_area = l.area
                JOIN area_group_members gm ON gm.group_id = g.id
            ),
            vals AS MATERIALIZED (
                SELECT k.owner, k.similar_group, o.area, o.indicator, o.period, o.period_start,
                       o.sex, o.value, o.lower, o.upper, o.numerator, o.denominator, o.suppressed
                FROM keys k
                JOIN observations o ON o.area = k.member AND o.indicator = k.indicator
                     AND o.period = k.period
                WHERE o.sex = ? AND o.breakdown_dim = '' AND o.breakdown_cat = ''
                  AND o.subperiod = ''
            ),
            members AS (
                SELECT o.owner AS area, o.indicator, o.period, o.similar_group, o.area AS member,
                       o.value, {_MEMBER_SE_SQL} AS se
                FROM vals o
                JOIN indicators i ON i.id = o.indicator
                LEFT JOIN base b ON b.indicator = o.indicator AND b.area = o.area
                     AND b.period = o.period AND b.sex = o.sex
                LEFT JOIN marg m ON m.indicator = o.indicator AND m.area = o.area
                     AND m.period = o.period
                WHERE NOT {_SUPPRESSED_SQL.format(t=thr)}
            )
            SELECT area, indicator, period, avg(value ORDER BY member) AS similar_value,
                   count(*) AS similar_n, any_value(similar_group) AS similar_group,
                   CASE WHEN count(se) = count(*)
                        THEN sqrt(sum(se * se ORDER BY member)) / count(*) END AS similar_se
            FROM members
            GROUP BY ALL
            """),
            [sex, similar_theme, sex, sex],
        ).df()
        ranks = store.execute(q(
            f"""
            WITH _an_latest AS ({_LATEST_SQL}),
            needed AS (
                SELECT DISTINCT l.indicator, l.period, a.type
                FROM _an_latest l JOIN areas a ON a.code = l.area
            ),
            ranked AS (
                SELECT o.area, o.indicator, o.period,
                       rank() OVER w AS rank, count(*) OVER (PARTITION BY o.indicator, o.period, a.type) AS rank_of,
                       count(*) OVER (PARTITION BY o.indicator, o.period, a.type, o.value) AS tied
                FROM observations o
                JOIN areas a ON a.code = o.area
                JOIN needed n ON n.indicator = o.indicator AND n.period = o.period AND n.type = a.type
                JOIN indicators i ON i.id = o.indicator
                WHERE o.sex = ? AND o.breakdown_dim = '' AND o.breakdown_cat = '' AND o.subperiod = ''
                  AND NOT {_SUPPRESSED_SQL.format(t=thr)}
                WINDOW w AS (PARTITION BY o.indicator, o.period, a.type
                             ORDER BY CASE WHEN i.polarity = 'lower_is_better' THEN o.value
                                           ELSE -o.value END)
            )
            SELECT r.* FROM ranked r JOIN _an_latest l
              ON l.area = r.area AND l.indicator = r.indicator AND l.period = r.period
            """),
            [sex, sex],
        ).df()
    finally:
        views.close()
    return ProfileData(meta, series, similar, ranks, area_frame, nation)


def _areas_with_county(store: Store) -> pd.DataFrame:
    """code -> name, type, parent, county (walking up parents; None above county level)."""
    frame = store.sql("SELECT code, name, type, parent FROM areas").set_index("code")
    parent = frame["parent"].to_dict()
    kind = frame["type"].to_dict()

    def county(code: str) -> str | None:
        current: str | None = code
        for _ in range(6):
            if current is None or current not in kind:
                return None
            if kind[current] == "county":
                return current
            current = parent.get(current)
        return None

    frame["county"] = [county(c) for c in frame.index]
    return frame


def _arrow_columns(table: pa.Table) -> dict[str, np.ndarray]:
    """Columns as plain numpy arrays: NULL → NaN for numbers, None for text (no pandas).

    Text columns are dictionary-encoded first (Arrow, in C++) and taken from the few distinct
    strings by index: a million rows of a dozen areas' codes are a million references to the
    same dozen ``str`` objects, not a million new ones (and equal runs compare by identity)."""
    out: dict[str, np.ndarray] = {}
    for name in table.column_names:
        col = table.column(name)
        kind = col.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) \
                or pa.types.is_string_view(kind):
            if pa.types.is_string_view(kind):
                col = col.cast(pa.string())
            enc = pc.dictionary_encode(col.combine_chunks())
            names = np.array([*enc.dictionary.to_pylist(), None], dtype=object)
            index = enc.indices.fill_null(len(names) - 1).to_numpy(zero_copy_only=False)
            out[name] = names[index]
        elif col.null_count and (pa.types.is_integer(kind) or pa.types.is_floating(kind)
                                 or pa.types.is_decimal(kind)):
            out[name] = col.cast(pa.float64()).to_numpy()
        elif col.null_count:
            out[name] = np.array(col.to_pylist(), dtype=object)
        else:
            out[name] = col.to_numpy()
    return out
