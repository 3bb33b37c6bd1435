"""Page builders shared by the live server and the static site.

Each builder returns a ``Page``: the template, its context and the page's tables (the same
DataFrames are offered as CSV/XLSX downloads), so what a user downloads is what they see.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jamlik.catalog import KOLADA_ATTRIBUTION
from jamlik.language import in_language, index, word
from jamlik.portal import _charts as charts
from jamlik.portal._articles import Article, ArticleLibrary, parse_directive, render_markdown
from jamlik.portal._data import (
    HEADLINE,
    PortalData,
    column_valid,
    polarity_label,
    table_coverage,
)
from jamlik.portal._format import fmt_num, is_missing, split_codes, year_span
from jamlik.portal._i18n import translator
from jamlik.portal._search import SearchDoc, SearchSource
from jamlik.portal._search import search as search_documents
from jamlik.stats.dimensions import dimension_name_sv
from jamlik.store import LABELS_SV, Indicator
from jamlik.store.model import period_note
from jamlik.text import fold
from jamlik.web.pages import Figure, Page
from jamlik.web.palette import SERIES_COLOURS

COLOUR_METHODS = ("signifikans", "rang")
_TREND_ARROWS = {"increasing": "↑", "decreasing": "↓", "no_significant_change": "→",
                 "cannot_be_calculated": "–"}




class NotFound(LookupError):
    """A page for an unknown area, indicator, målområde or article (the message is Swedish)."""


#: ``_split_series`` of frames still alive: id → its split. Nothing here keeps a frame alive
#: (the split holds it weakly and its entry goes with it), so the data cache's byte bound is
#: what bounds these too.
_SPLITS: dict[int, _SeriesSplit] = {}


class _SeriesSplit:
    """A frame of observations cut by (indicator, area, sex): ``get`` gives (periods, values,
    labels, lower, upper) of one key in the frame's row order — what filtering the frame by
    indicator, area and sex gives — from the row positions of each key (one groupby), the
    lists made when first asked for (an indicator page draws 3 of 900 areas × sexes)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = weakref.ref(frame)  # kept alive by whoever asks (a strong one leaked frames)
        self.positions = (frame.groupby(["indicator", "area", "sex"], sort=False,
                                        dropna=False).indices if len(frame) else {})
        self.columns: tuple[Any, ...] | None = None
        self.made: dict[tuple[str, str, str], tuple[list[Any], ...]] = {}

    def get(self, key: tuple[str, str, str]) -> tuple[list[Any], ...] | None:
        hit = self.made.get(key)
        if hit is not None:
            return hit
        at = self.positions.get(key)
        if at is None:
            return None
        if self.columns is None:
            f = self.frame()
            if f is None:  # cannot happen while the caller holds the frame it split
                return None
            self.columns = (f["period"].to_numpy(), f["value"].to_numpy(dtype=object),
                            f["period_label"].to_numpy(dtype=object),
                            f["lower"].to_numpy(dtype=object), f["upper"].to_numpy(dtype=object))
        periods, values, labels, lower, upper = (col[at] for col in self.columns)
        out = ([int(p) for p in periods], values.tolist(), labels.tolist(), lower.tolist(),
               upper.tolist())
        self.made[key] = out
        return out


def _split_series(frame: pd.DataFrame) -> _SeriesSplit:
    """The frame's ``_SeriesSplit``, made once per frame (a fact sheet draws 13 indicators × 3
    areas from one frame; pandas' boolean filters per line were most of its time). Kept while
    the frame lives and no longer (at most 256 frames): holding frames here once kept 256 whole
    indicator series alive past the data cache's bound (1.3 GB when pre-rendering every page)."""
    key = id(frame)
    hit = _SPLITS.get(key)
    if hit is not None and hit.frame() is frame:
        return hit
    split = _SeriesSplit(frame)
    if len(_SPLITS) >= 256:
        _SPLITS.clear()
    _SPLITS[key] = split
    weakref.finalize(frame, _SPLITS.pop, key, None)
    return split


def _clean(values: list[Any]) -> list[Any]:
    """NaN is not JSON; Plotly reads null as a gap."""
    return [None if is_missing(v) else float(v) for v in values]


class Views:
    def __init__(self, data: PortalData, articles: ArticleLibrary):
        self.data = data
        self.articles = articles
        #: further search documents (plans …), registered by the composition root
        self.search_sources: list[SearchSource] = []

    # -- helpers -----------------------------------------------------------------------------
    def title_of(self, ind: Indicator, lang: str) -> str:
        return in_language(lang, ind.title_sv, ind.title_en)

    def source_of(self, ind: Indicator) -> str:
        return ind.attribution or KOLADA_ATTRIBUTION

    def caption(self, ind: Indicator, period_text: str, lang: str) -> str:
        t = translator(lang)
        unit = f"{t('unit')}: {ind.unit}. " if ind.unit else ""
        return f"{self.source_of(ind)}. {unit}{t('period')}: {period_text}. {t('caption_no_limits')}"

    def series_for(self, ind: Indicator, codes: list[str], sex: str = "T",
                   years: tuple[int, int] | None = None, lang: str = "sv",
                   frame: pd.DataFrame | None = None) -> list[charts.Series]:
        """One line per area. frame: rows already read for several indicators and areas
        (``PortalData.series_of``, the same rows ``series`` holds) instead of the whole series."""
        split = _split_series(self.data.series(ind.id) if frame is None else frame)
        out = []
        for code in codes:
            rows = split.get((ind.id, code, sex))
            if rows is None:
                continue
            periods, values, labels, lower, upper = rows
            if years:
                keep = [i for i, p in enumerate(periods) if years[0] <= p <= years[1]]
                if not keep:
                    continue
                periods, values, labels, lower, upper = (
                    [col[i] for i in keep] for col in (periods, values, labels, lower, upper))
            name = self.data.area_name(code)
            if sex != "T":
                name += " – " + translator(lang)(f"sex_lower_{sex}")
            out.append(charts.Series(
                name=name, x=list(periods), y=_clean(values), labels=list(labels),
                lower=_clean(lower), upper=_clean(upper),
                dash="dot" if sex == "M" else "solid"))
        return out

    def series_table(self, series: list[charts.Series], lang: str) -> pd.DataFrame:
        rows = []
        for s in series:
            for lab, x, y in zip(s.labels, s.x, s.y, strict=True):
                rows.append({"område": s.name, "år": x, "period": lab, "värde": y})
        df = pd.DataFrame(rows, columns=["område", "år", "period", "värde"])
        if df.empty:
            return df
        wide = df.pivot_table(index=["år", "period"], columns="område", values="värde",
                              aggfunc="first", sort=False).reset_index()
        wide.columns.name = None
        return wide.drop(columns="år").rename(columns={"period": "Period"})

    def line(self, fig_id: str, ind: Indicator, codes: list[str], lang: str,
             sexes: tuple[str, ...] = ("T",), years: tuple[int, int] | None = None,
             title: str | None = None, extra: list[charts.Series] | None = None
             ) -> Figure | None:
        """Trend lines: one colour per area, one dash per sex (totalt solid, women dashed,
        men dotted) when several sexes share the chart; ``extra`` series (a group mean) last."""
        series = [s for sex in sexes for s in self.series_for(ind, codes, sex, years, lang)]
        if not series:
            return None
        area_colour = {c: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, c in enumerate(codes)}
        names = {self.data.area_name(c): c for c in codes}
        for s in series:
            base = s.name.split(" – ")[0]
            s.colour = area_colour.get(names.get(base, ""))
        if len(sexes) == 1:
            for s in series:
                s.dash = "solid"  # dashes only tell the sexes apart
        else:
            for s in series:
                s.dash = "dash" if s.name.endswith((" – kvinnor", " – women")) else (
                    "dot" if s.name.endswith((" – män", " – men")) else "solid")
        for s in extra or []:
            s.colour = s.colour or "#000000"
            s.dash = "dashdot" if len(sexes) == 1 else s.dash
            series.append(s)
        # Pooled periods keep their span: "1996–2000 till 2018–2022".
        points = sorted((x, lab) for s in series for x, lab in zip(s.x, s.labels, strict=True))
        first, last = points[0][1], points[-1][1]
        period_text = last if first == last else (
            f"{first} till {last}" if "–" in last else f"{first}–{last}")
        decimals = self.data.decimals(ind.id)
        spec = charts.line_figure(series, title or self.title_of(ind, lang), ind.unit,
                                  self.source_of(ind), lang, decimals)
        return Figure(fig_id, spec, self.caption(ind, period_text, lang),
                      self.series_table(series, lang), decimals)

    def legend(self, code: str) -> dict[str, str]:
        return self.data.legends()[code]

    def row_colours(self, row: dict[str, Any]) -> dict[str, str]:
        return {"signifikans": self.legend(row.get("vs_nation") or "not_compared")["colour"],
                "rang": self.legend(row.get("rank_colour") or "grey")["colour"]}

    # -- comparison groups ---------------------------------------------------------------
    def _group(self, code: str, name: str | None):  # -> analysis.AreaGroup | None
        try:
            return self.data.group(code, name)
        except KeyError as exc:
            raise NotFound(f"Jämförelsegruppen finns inte: {exc.args[0]}.") from exc

    def group_names(self, codes: list[str]) -> list[str]:
        return [self.data.area_name(c) for c in codes]

    def _group_rows(self, code: str, group: Any, rows: list[dict[str, Any]], lang: str,
                    partial: bool = False) -> list[dict[str, Any]]:
        """partial: compare only these rows (a page of the profile), not the whole profile."""
        if group is None:
            return []
        from jamlik.analysis import GROUP_VERDICTS_EN, GROUP_VERDICTS_SV

        words = (GROUP_VERDICTS_SV, GROUP_VERDICTS_EN)[index(lang)]
        cmp = self.data.group_comparison(
            code, group, [r["indicator"] for r in rows] if partial else None)
        out = []
        for r in rows:
            c = cmp.get(r["indicator"])
            if c is None or c["mean"] is None:
                continue
            out.append({**c, "title": in_language(lang, r["title"], r.get("title_en")), "unit": r.get("unit"), "period_label": r["period_label"],
                        "decimals": r.get("decimals"), "verdict": words[c["vs_group"]],
                        "colour": self.legend(c["vs_group"] if c["vs_group"] in
                                              self.data.legends() else "not_compared")["colour"],
                        "symbol": self.legend(c["vs_group"] if c["vs_group"] in
                                              self.data.legends() else "not_compared")["symbol"]})
        return out

    def _group_context(self, code: str, group: Any, rows: list[dict[str, Any]], lang: str,
                       partial: bool = False) -> dict[str, Any]:
        groups = self.data.groups(code)
        return {"groups": [(g.id, g.label(lang)) for g in groups], "group": group,
                "group_label": group.label(lang) if group else None,
                "group_members": [(m, self.data.area_name(m)) for m in group.members
                                  if m != code] if group else [],
                "group_rows": self._group_rows(code, group, rows, lang, partial)}

    def _group_tables(self, code: str, group: Any, rows: list[dict[str, Any]], lang: str
                      ) -> dict[str, pd.DataFrame]:
        if group is None:
            return {}
        return {"grupp": pd.DataFrame([{
            "indikator": r["indicator"], "titel": r["title"], "period": r["period_label"],
            "värde": r["value"], "gruppens medelvärde": r["mean"], "nedre": r["lower"],
            "övre": r["upper"], "antal i gruppen": r["n"], "plats": r["place"], "av": r["of"],
            "bedömning": r["verdict"]} for r in self._group_rows(code, group, rows, lang)])}

    def group_figure(self, ind: Indicator, code: str, group: Any, sex: str, lang: str
                     ) -> tuple[Figure | None, dict[str, Any] | None]:
        """Bars of the area and its group members at the latest period, the mean as a line."""
        data = self.data
        period = data.latest_period(ind.id)
        if period is None or group is None:
            return None, None
        values = data.group_values(group, ind.id, period, sex)
        cross = data.cross_section(ind.id, period, sex)
        if code in cross.index and not is_missing(cross.at[code, "value"]):
            own = cross.loc[[code], ["area", "value", "lower", "upper"]]
        else:
            own = pd.DataFrame(columns=["area", "value", "lower", "upper"])
        others = values[values["area"] != code]
        from jamlik.analysis import compare_with_group, group_means, place_in_group

        means = group_means(others)
        if means.empty:
            return None, None
        m = means.iloc[0]
        se = None if is_missing(m["se"]) else float(m["se"])
        both = pd.concat([own, others[["area", "value", "lower", "upper"]]], ignore_index=True)
        ascending = str(ind.polarity) == "lower_is_better"
        both = both.sort_values("value", ascending=ascending)
        names = [data.area_name(a) for a in both["area"]]
        label = cross["period_label"].iloc[0] if not cross.empty else str(period)
        colours = ["#0072B2" if a == code else "#9e9e9e" for a in both["area"]]
        decimals = data.decimals(ind.id)
        t = translator(lang)
        title = f"{data.area_name(code)} {t('and')} {group.label(lang)}, {label}"
        spec = charts.ranked_bar_figure(
            names, _clean(both["value"].tolist()), _clean(both["lower"].tolist()),
            _clean(both["upper"].tolist()), [label] * len(both), colours, title, ind.unit,
            self.source_of(ind), lang, decimals)
        mean_word = t("group_mean_lower")
        spec["layout"]["shapes"] = [{"type": "line", "xref": "x", "yref": "paper",
                                     "x0": float(m["mean"]), "x1": float(m["mean"]), "y0": 0,
                                     "y1": 1, "line": {"color": "#000000", "width": 2,
                                                       "dash": "dash"}}]
        spec["layout"]["annotations"] = [{"xref": "x", "yref": "paper", "x": float(m["mean"]),
                                          "y": 1.02, "showarrow": False,
                                          "text": f"{mean_word} {fmt_num(m['mean'], lang, decimals)}"}]
        spec["layout"]["height"] = max(260, 26 * len(both) + 120)
        table = pd.DataFrame({"område": names, "period": [label] * len(both),
                              "värde": both["value"].tolist(), "nedre": both["lower"].tolist(),
                              "övre": both["upper"].tolist()})
        row = own.iloc[0] if not own.empty else None
        value = float(row["value"]) if row is not None else None
        place = place_in_group(value, others["value"].tolist(), str(ind.polarity))
        vs = compare_with_group(value, None if row is None or is_missing(row["lower"]) else
                                float(row["lower"]), None if row is None or
                                is_missing(row["upper"]) else float(row["upper"]),
                                str(ind.polarity), float(m["mean"]), se)
        from jamlik.analysis import GROUP_VERDICTS_EN, GROUP_VERDICTS_SV

        summary = {"label": group.label(lang), "mean": float(m["mean"]), "se": se,
                   "lower": float(m["lower"]) if se is not None else None,
                   "upper": float(m["upper"]) if se is not None else None, "n": int(m["n"]),
                   "value": value, "place": place[0] if place else None,
                   "of": place[1] if place else None, "period": label, "decimals": decimals,
                   "verdict": (GROUP_VERDICTS_SV, GROUP_VERDICTS_EN)[index(lang)][vs],
                   "vs_group": vs, "area_name": data.area_name(code)}
        caption = t("group_mean_line").format(n=int(m["n"])) + " "
        return Figure("fig-grupp", spec, caption + self.caption(ind, label, lang), table,
                      decimals), summary

    def group_trend(self, ind: Indicator, code: str, group: Any, sex: str, lang: str
                    ) -> charts.Series | None:
        """The group mean per year (members other than the area, unweighted)."""
        df = self.data.series(ind.id)
        members = [m for m in group.members if m != code]
        sub = df[df["area"].isin(members) & (df["sex"] == sex) & df["value"].notna()]
        if sub.empty:
            return None
        g = sub.groupby(["period", "period_label"], sort=True)["value"].mean().reset_index()
        return charts.Series(f"{group.label(lang)} ({translator(lang)('mean_lower')})", [int(p) for p in g["period"]],
                             _clean(g["value"].tolist()), g["period_label"].tolist(),
                             dash="dash")

    # -- pages -------------------------------------------------------------------------------
    def start(self, lang: str) -> Page:
        data = self.data
        county = data.county
        nation = data.nation()
        rows = []
        # the headline indicators' and life expectancy's series in one query
        data.prefetch_series([i for i in (*HEADLINE, "medellivslangd")
                              if i in data.indicator_ids()])
        for ind_id in HEADLINE:
            if ind_id not in data.indicator_ids():
                continue
            ind = data.indicator(ind_id)
            period = data.latest_period(ind_id)
            cross = data.cross_section(ind_id, period)
            value = cross.at[county, "value"] if county in cross.index else None
            nat = cross.at[nation, "value"] if nation in cross.index else None
            label = cross.at[county, "period_label"] if county in cross.index else str(period)
            rows.append({"id": ind_id, "title": self.title_of(ind, lang), "unit": ind.unit,
                         "period": label, "county": value, "nation": nat,
                         "decimals": data.decimals(ind_id)})
        table = pd.DataFrame([{
            "Indikator": r["title"], "Period": r["period"],
            data.area_name(county): r["county"], "Riket": r["nation"], "Enhet": r["unit"]}
            for r in rows])
        figure = None
        if "medellivslangd" in data.indicator_ids():
            figure = self.line("fig-livslangd", data.indicator("medellivslangd"),
                               [county, nation], lang, sexes=("K", "M"))
        munis = data.municipalities(county)
        target_areas = [(t, len(data.indicators_in(t.id))) for t in data.target_areas()]
        return Page("start.html", data.area_name(county), {
            "county": county, "county_name": data.area_name(county), "headline": rows,
            "figure": figure, "municipalities": munis[["code", "name"]].to_dict("records"),
            "counties": data.counties()[["code", "name"]].to_dict("records"),
            "target_areas": [t for t in target_areas if t[1]], "articles": self.articles.all(),
        }, {"lanet": table})

    def area(self, code: str, lang: str, farg: str | None, grupp: str | None = None,
             *, limit: int | None = None,
             amne: str | None = None, q: str | None = None, sida: str | None = None) -> Page:
        """The area's profile, grouped by målområde.

        limit: at most this many rows per målområde, with a link to the rest (the portal's
        pages; the static site and the fact sheet show every row). amne: only this målområde
        (id), in pages of ``PAGE_ROWS``, ``sida`` = page number. q: only indicators whose title
        or id contains the text (case and å/ä/ö insensitive)."""
        data = self.data
        code = self._area_code(code)
        group = self._group(code, grupp)
        # The profile as columns: counts, filters, legends and coverage from them; row dicts
        # (colours, words, spines) only for the rows this page shows.
        table = data.profile_table(code)
        cov = table_coverage(table)
        if farg not in COLOUR_METHODS:
            # Significance colours by default only when at least half the indicators could be
            # tested; otherwise the (relative) rank colouring, not a column of "ej testat".
            farg = "signifikans" if cov["default_colouring"] == "significance" else "rang"
        shown = _shown_rows(
            np.asarray(table.column("target_area").to_numpy(zero_copy_only=False)),
            np.ones(table.num_rows, dtype=bool), lambda: _profile_texts(table),
            limit=limit, amne=amne, q=q, sida=sida)
        chosen, positions, totals = shown.chosen, shown.positions, shown.totals
        page_no, pages = shown.page, shown.pages
        # Every row (the static site): copies of the profile's dicts, which its downloads and
        # the group table read anyway, instead of building each row's dict twice.
        selected = ([dict(r) for r in data.profile(code)] if len(positions) == table.num_rows
                    else data.row_dicts(table, positions))
        by_target_area: dict[int, list[dict[str, Any]]] = {}
        t = translator(lang)
        for row in selected:
            colours = self.row_colours(row)
            row["colours"] = colours
            row["colour"] = colours[farg]
            sig = self.legend(row.get("vs_nation") or "not_compared")
            rank = self.legend(row.get("rank_colour") or "grey")
            place = (t("place_of").format(rank=row["rank"], of=row["rank_of"])
                     if row.get("rank") and row.get("rank_of") else "")
            row["legend_sig"] = t.pick(row.get("vs_nation_label") or sig["label"],
                                       f"{sig['label_en']} {t('vs_nation_short')}")
            row["legend_rank"] = t.pick(row.get("rank_colour_label") or rank["label"],
                                        f"{rank['label_en']}{place}")
            # Shape and words besides colour (issue 14 item 8): ▲/▼/● and the label.
            row["symbol_sig"], row["symbol_rank"] = sig["symbol"], rank["symbol"]
            row["arrow"] = _TREND_ARROWS.get(row.get("trend") or "", "–")
            direction = row.get("trend_direction")
            row["trend_word"] = t(f"trend_{row.get('trend') or 'cannot_be_calculated'}") + (
                f" – {t(f'direction_{direction}')}" if direction else "")
            row["title_shown"] = in_language(lang, row["title"], row.get("title_en"))
            row["verdict_shown"] = t.pick(row.get("verdict") or "", row.get("verdict_en"))
            row["period_note_shown"] = _period_note_shown(row, lang)
            row["spine_svg"] = charts.spine_svg(
                row["value"], row["spine"], row["nation_value"], row["county_value"],
                row["polarity"], row["colour"],
                self._spine_label(row, lang), width=200, colours=colours, lang=lang)
            by_target_area.setdefault(row["target_area"], []).append(row)
        target_areas = [(ta, by_target_area[ta.id]) for ta in data.target_areas()
                        if ta.id in by_target_area]
        county = data.county_of(code)

        def profile_frame() -> pd.DataFrame:  # the download: every row, made when asked for
            return pd.DataFrame([{
                "indikator": r["indicator"], "titel": r["title"], "period": r["period_label"],
                "värde": r["value"], "nedre": r["lower"], "övre": r["upper"],
                "län": r["county_value"], "riket": r["nation_value"],
                "liknande kommuner": r["similar_value"],
                "jämfört med riket": r["vs_nation_label"], "rang": r["rank"],
                "av": r["rank_of"], "trend": r["trend_label"], "bedömning": r["verdict"],
                "källa": r["attribution"]} for r in data.profile(code)])

        devs = data.deviations(code)
        vs_nation = {v or "not_compared" for v in _distinct(table, "vs_nation")}
        legend_codes = sorted(vs_nation)
        ranks = set(_distinct(table, "rank_colour"))
        rank_codes = [c for c in ("green", "yellow", "red", "grey") if c in ranks]
        tables = LazyTables({"profil": Later(profile_frame)})
        if group is not None:
            tables["grupp"] = Later(lambda: self._group_tables(
                code, group, data.profile(code), lang)["grupp"])
        return Page("area.html", data.area_name(code), {
            "code": code, "name": data.area_name(code), "area_type": data.area_type(code),
            "county": county, "county_name": data.area_name(county) if county else None,
            "target_areas": target_areas, "farg": farg, "deviations": devs, "coverage": cov,
            "related_examples": data.related_examples(code),
            "multiplicity": data.multiplicity(code),
            "legend_sig": [(c, self.legend(c)) for c in legend_codes],
            "legend_rank": [(c, self.legend(c)) for c in rank_codes],
            "pooled": _pooled(table),
            # The group table follows the profile's filter and paging (the download has all).
            **self._group_context(code, group, selected if limit is not None
                                  else data.profile(code), lang, partial=limit is not None),
            "section_totals": totals, "profile_filter": {
                "q": q or "", "amne": chosen, "page": page_no, "pages": pages,
                "shown": len(selected), "total": table.num_rows,
                "limited": limit is not None},
        }, tables)

    def _spine_label(self, row: dict[str, Any], lang: str) -> str:
        spine = row["spine"]
        if not spine:
            return ""
        d = row.get("decimals")
        return (f"Värde {fmt_num(row['value'], lang, d)}; "
                f"riket {fmt_num(row['nation_value'], lang, d)}; "
                f"länet {fmt_num(row['county_value'], lang, d)}; kommunerna från "
                f"{fmt_num(spine['min'], lang, d)} till {fmt_num(spine['max'], lang, d)}")

    def _area_code(self, code: str) -> str:
        try:
            return self.data.resolve(code)
        except KeyError as exc:
            raise NotFound(f'Området "{code}" finns inte. Sök efter kommunens namn eller ange '
                           "en kommunkod som 2080.") from exc

    def _indicator(self, indicator_id: str) -> Indicator:
        if indicator_id not in self.data.indicator_ids():
            raise NotFound(f'Indikatorn "{indicator_id}" finns inte i databasen. Se listan över '
                           "indikatorer.")
        return self.data.indicator(indicator_id)

    def _map_key(self, ind: Indicator, lang: str) -> str:
        t = translator(lang)
        if str(ind.polarity) == "no_judgement":
            return t("map_key_levels")
        return t("map_key_better")

    def _sexes(self, ind: Indicator, kon: str | list[str] | None) -> tuple[list[str], list[str]]:
        """(available, chosen): ``kon`` as 'T', 'K,M' or a list; unknown values are refused
        (ValueError, Swedish), ones the indicator lacks are dropped; empty → totalt."""
        present = set(self.data.series(ind.id)["sex"].unique())  # not one by one (Arrow strings)
        available = [s for s in ("T", "K", "M") if s in present]
        wanted = split_codes(",".join(kon) if isinstance(kon, list) else kon) or []
        wanted = [w.upper() for w in wanted]
        bad = [w for w in wanted if w not in ("T", "K", "M")]
        if bad:
            raise ValueError(f'Kön "{bad[0]}" är okänt: använd T (totalt), K (kvinnor) eller '
                             "M (män), flera med komma som kon=K,M.")
        chosen = [s for s in dict.fromkeys(wanted) if s in available]
        return available, chosen or (["T"] if "T" in available else available[:1])

    def indicator(self, indicator_id: str, lang: str, areas: list[str],
                  sex: str | list[str] | None, grupp: str | None = None) -> Page:
        data = self.data
        ind = self._indicator(indicator_id)
        period = data.latest_period(ind.id)
        sexes, chosen_sexes = self._sexes(ind, sex)
        sex = chosen_sexes[0]
        cross = data.cross_section(ind.id, period, sex)
        munis = cross[(cross["area_type"] == "municipality") & cross["value"].notna()]
        ascending = str(ind.polarity) == "lower_is_better"
        ranked = munis.sort_values("value", ascending=ascending)
        title = self.title_of(ind, lang)
        source = self.source_of(ind)
        label = ranked["period_label"].iloc[0] if not ranked.empty else str(period)
        decimals = data.decimals(ind.id)
        home = set(data.municipalities(data.county).index)
        chosen = [c for c in (self._area_code(a) for a in areas)] if areas else []
        colours = ["#0072B2" if c in chosen else ("#E69F00" if c in home else "#9e9e9e")
                   for c in ranked["area"]]
        figures = []
        if not ranked.empty:
            figures.append(Figure("fig-karta", charts.choropleth_figure(
                ranked["area"].tolist(), ranked["area_name"].tolist(),
                _clean(ranked["value"].tolist()), ranked["period_label"].tolist(),
                f"{title}, {label}", ind.unit, source,
                reverse=str(ind.polarity) != "higher_is_better", lang=lang, decimals=decimals),
                self._map_key(ind, lang) + " " + self.caption(ind, label, lang)))
            figures.append(Figure("fig-rang", charts.ranked_bar_figure(
                ranked["area_name"].tolist(), _clean(ranked["value"].tolist()),
                _clean(ranked["lower"].tolist()), _clean(ranked["upper"].tolist()),
                ranked["period_label"].tolist(), colours, f"{title}, {label}", ind.unit, source,
                lang, decimals), self.caption(ind, label, lang)))
        # The chosen areas with their county and the nation, for every chosen sex at once.
        county = data.county_of(chosen[0]) if chosen else data.county
        trend_codes = list(dict.fromkeys([*chosen, *([county] if county else []),
                                          data.nation()]))
        group = self._group(chosen[0], grupp) if chosen and grupp else None
        group_summary = None
        extra = []
        if group is not None:
            group_fig, group_summary = self.group_figure(ind, chosen[0], group, sex, lang)
            if group_fig is not None:
                figures.insert(0, group_fig)  # the chosen comparison first
            mean = self.group_trend(ind, chosen[0], group, sex, lang)
            if mean is not None:
                extra.append(mean)
        trend = self.line("fig-trend", ind, trend_codes, lang, sexes=tuple(chosen_sexes),
                          extra=extra)
        if trend:
            figures.append(trend)
        funnel = self.funnel_figure(ind, period, sex, chosen, lang)
        if funnel is not None:
            figures.append(funnel)
        table = pd.DataFrame({
            "rang": range(1, len(ranked) + 1), "kod": ranked["area"].tolist(),
            "kommun": ranked["area_name"].tolist(), "period": ranked["period_label"].tolist(),
            "värde": ranked["value"].tolist(), "nedre": ranked["lower"].tolist(),
            "övre": ranked["upper"].tolist()})
        others = cross[cross["area_type"] != "municipality"]
        return Page("indicator.html", title, {
            "ind": ind, "title": title, "period_label": label, "sex": sex, "sexes": sexes,
            "decimals": decimals,
            "polarity": polarity_label(ind.polarity, lang),
            "data_kind": LABELS_SV.get(str(ind.data_kind), str(ind.data_kind)),
            "target_areas": [t for t in data.target_areas() if t.id in ind.target_areas],
            "figures": figures, "ranked": table.to_dict("records"),
            "nation_value": others.at[data.nation(), "value"] if data.nation() in others.index
            else None, "chosen": chosen, "chosen_sexes": chosen_sexes,
            "group": group, "group_summary": group_summary,
            "groups": [(g.id, g.label(lang)) for g in data.groups(chosen[0])] if chosen else [],
            "all_areas": self.area_options(),
            "chosen_names": ", ".join(data.area_name(c) for c in chosen
                                      if c not in set(data.municipalities(data.county).index)),
            "home_munis": data.municipalities(data.county)[["code", "name"]].to_dict("records"),
            "county": data.county, "county_name": data.area_name(data.county),
            "articles": [a for a in self.articles.all() if ind.id in a.indicators],
        }, {"kommuner": table})

    def funnel_figure(self, ind: Indicator, period: int | None, sex: str, chosen: list[str],
                      lang: str) -> Figure | None:
        """The funnel plot (Spiegelhalter 2005) where the municipalities have sizes."""
        if period is None:
            return None
        fd = self.data.funnel(ind.id, period, sex)
        if fd is None:
            return None
        data = self.data
        pts = fd["points"]
        names = [data.area_name(a) for a in pts["area"]]
        labels = {
            "above_998": word(("Över 99,8 %-gränsen", "Above the 99.8% limit"), lang),
            "above_95": word(("Över 95 %-gränsen", "Above the 95% limit"), lang),
            "within": word(("Inom gränserna", "Within the limits"), lang),
            "below_95": word(("Under 95 %-gränsen", "Below the 95% limit"), lang),
            "below_998": word(("Under 99,8 %-gränsen", "Below the 99.8% limit"), lang),
            "target": word(("Riket", "Sweden"), lang),
            "limit95": word(("95 %-gränser", "95% limits"), lang),
            "limit998": word(("99,8 %-gränser", "99.8% limits"), lang)}
        points = [{"name": nm, "n": float(n), "value": float(v), "position": p,
                   "chosen": a in chosen}
                  for nm, a, n, v, p in zip(names, pts["area"], pts["n"], pts["value"],
                                            pts["position"], strict=True)]
        curve = {k: [float(x) for x in fd["curve"][k]] for k in fd["curve"].columns}
        title = self.title_of(ind, lang)
        decimals = data.decimals(ind.id)
        sources = set(pts["size_source"])
        size_title = word(("Storlek (befolkning som värdet bygger på, log-skala)",
                           "Size (population the value rests on, log scale)"), lang)
        spec = charts.funnel_figure(points, curve, fd["target"], labels,
                                    word((f"Trattdiagram: {title}", f"Funnel plot: {title}"),
                                         lang), ind.unit, self.source_of(ind), lang, decimals,
                                    size_title)
        counts = pts["position"].value_counts()
        outside = int(counts.get("above_998", 0) + counts.get("below_998", 0))
        note = word((
            f"Varje punkt är en kommun, efter hur många invånare värdet bygger på. Kommuner "
            f"utanför de prickade 99,8 %-gränserna ({outside} av {len(pts)}) skiljer sig från "
            f"riket mer än slumpen kan förklara (Spiegelhalter 2005). Många kommuner utanför "
            f"gränserna betyder att skillnaderna är verkliga, inte slump. ",
            f"Each point is a municipality, by the population its value rests on. Those "
            f"outside the dotted 99.8% limits ({outside} of {len(pts)}) differ from Sweden by "
            f"more than chance (Spiegelhalter 2005). "), lang)
        if "limits" in sources:
            note += word(("Storleken för kommuner med bara publicerade konfidensgränser är den "
                          "som ger samma osäkerhet. ", "For areas with published limits only, "
                          "the size is the one that gives the same uncertainty. "), lang)
        label = data.cross_section(ind.id, period, sex)["period_label"]
        period_text = str(label.iloc[0]) if not label.empty else str(period)
        table = pd.DataFrame({"område": names, "storlek": pts["n"].round(0).tolist(),
                              "värde": pts["value"].tolist(),
                              "läge": [labels[p] for p in pts["position"]]})
        return Figure("fig-tratt", spec, note + self.caption(ind, period_text, lang), table,
                      decimals)

    def area_options(self) -> list[dict[str, str]]:
        """Every area for a name picker (<datalist>): name, code, type."""
        return self.data.cached("area_options", lambda: self.data.areas()[
            ["code", "name", "type"]].to_dict("records"))

    def compare(self, areas: list[str], indicator_id: str | None, lang: str,
                sex: str | list[str] | None, grupp: str | None = None) -> Page:
        data = self.data
        codes = [self._area_code(a) for a in areas] or [data.county, data.nation()]
        ids = data.indicator_ids()
        indicator_id = indicator_id if indicator_id in ids else (
            "N00957" if "N00957" in ids else ids[0])
        ind = self._indicator(indicator_id)
        sexes, chosen_sexes = self._sexes(ind, sex)
        group = self._group(codes[0], grupp) if grupp else None
        extra = []
        if group is not None:
            # The area, every member of the group and the group's mean.
            codes = list(dict.fromkeys([*codes, *group.members]))
            mean = self.group_trend(ind, codes[0], group, chosen_sexes[0], lang)
            if mean is not None:
                extra.append(mean)
        fig = self.line("fig-jamfor", ind, codes, lang, sexes=tuple(chosen_sexes), extra=extra)
        table = fig.table if fig is not None else pd.DataFrame()
        return Page("compare.html", f"Jämför: {self.title_of(ind, lang)}", {
            "ind": ind, "title": self.title_of(ind, lang), "codes": codes, "figure": fig,
            "sex": chosen_sexes[0], "sexes": sexes, "chosen_sexes": chosen_sexes,
            # the picker grouped by målområde (<optgroup>): 2,000 indicators in ten groups
            "indicator_groups": [
                (t.title(lang), [(i.id, self.title_of(i, lang)) for i in inds])
                for t in data.target_areas() if (inds := data.indicators_in(t.id))],
            "all_areas": self.area_options(),
            "area_names": [data.area_name(c) for c in codes],
            "group": group, "groups": [(g.id, g.label(lang)) for g in data.groups(codes[0])],
        }, {"jamforelse": table})

    def gaps(self, code: str, lang: str, indicator_id: str | None, *,
             limit: int | None = None, amne: str | None = None, q: str | None = None,
             sida: str | None = None) -> Page:
        """Women against men for every indicator with values by sex, grouped by målområde.

        limit, amne, q, sida: as ``area`` (the portal's page: the first ``limit`` rows per
        målområde with a link to the rest, one målområde in pages, a filter); without a limit
        every row (the static site, the fact sheet's appendix). The download has every row."""
        data = self.data
        code = self._area_code(code)
        nation = data.nation()
        county = data.county_of(code)
        table = data.profile_table(code)  # dicts only for the rows shown
        has_gap = column_valid(table, "sex_gap")
        target = np.asarray(table.column("target_area").to_numpy(zero_copy_only=False))
        shown = _shown_rows(target, has_gap, lambda: _profile_texts(table), limit=limit,
                            amne=amne, q=q, sida=sida)
        summary = self._gap_rows(table, shown.positions, county, nation, lang)
        by_target_area: dict[int, list[dict[str, Any]]] = {}
        for row in summary:
            by_target_area.setdefault(row["target_area"], []).append(row)
        target_areas = [(ta, by_target_area[ta.id]) for ta in data.target_areas()
                        if ta.id in by_target_area]
        # the chart: the asked-for indicator among all rows with a gap (not only those shown)
        ids = pc.filter(table.column("indicator"), pa.array(has_gap)).to_pylist()
        chosen = indicator_id if indicator_id in ids else (
            "N00957" if "N00957" in ids else (ids[0] if ids else None))
        figures = []
        if chosen:
            ind = data.indicator(chosen)
            fig = self.line("fig-kon", ind, list(dict.fromkeys(
                c for c in (code, county, nation) if c)), lang, sexes=("K", "M"))
            if fig:
                figures.append(fig)
            gap_series = []
            for area in [code, county, nation]:
                if area is None:
                    continue
                df = data.series(ind.id)
                sub = df[df["area"] == area].pivot_table(
                    index=["period", "period_label"], columns="sex", values="value",
                    aggfunc="first").reset_index()
                if "K" not in sub or "M" not in sub:
                    continue
                sub = sub.dropna(subset=["K", "M"])
                gap_series.append(charts.Series(
                    data.area_name(area), [int(p) for p in sub["period"]],
                    _clean((sub["K"] - sub["M"]).tolist()), sub["period_label"].tolist()))
            if gap_series:
                word = translator(lang)("gap_women_men")
                decimals = data.decimals(ind.id)
                spec = charts.line_figure(gap_series, f"{word}: {self.title_of(ind, lang)}",
                                          ind.unit, self.source_of(ind), lang, decimals)
                first = min(min(s.x) for s in gap_series)
                last = max(max(s.x) for s in gap_series)
                figures.append(Figure("fig-skillnad", spec,
                                      self.caption(ind, f"{first}–{last}", lang),
                                      self.series_table(gap_series, lang), decimals))
        breakdowns = data.breakdowns(code)
        breakdown_gaps = data.breakdown_gaps(code)
        figures += self._breakdown_figures(code, breakdowns, lang)
        every = np.flatnonzero(has_gap)

        def gaps_frame() -> pd.DataFrame:  # the download: every row, made when asked for
            rows = summary if len(shown.positions) == len(every) else self._gap_rows(
                table, every, county, nation, lang)
            return pd.DataFrame([{
                "indikator": s["id"], "titel": s["title"], "period": s["period"],
                "kvinnor": s["women"], "män": s["men"], "skillnad": s["difference"],
                "kvot": s["ratio"], "skillnad i länet": s["county_difference"],
                "skillnad i riket": s["nation_difference"]} for s in rows])

        return Page("gaps.html", data.area_name(code), {
            "code": code, "name": data.area_name(code), "summary": summary, "chosen": chosen,
            "target_areas": target_areas, "section_totals": shown.totals, "profile_filter": {
                "q": q or "", "amne": shown.chosen, "page": shown.page, "pages": shown.pages,
                "shown": len(summary), "total": len(every), "limited": limit is not None},
            "figures": figures, "county_name": data.area_name(county) if county else None,
            "breakdowns": [{**b, "decimals": data.decimals(str(b["indicator"]))}
                           for b in breakdowns.to_dict("records")],
            "breakdown_gaps": breakdown_gaps,
            "dimension_names": {d: dimension_name_sv(d) for d in
                                set(breakdowns["breakdown_dim"])},
        }, LazyTables({"skillnader": Later(gaps_frame)}))

    def _gap_rows(self, table: pa.Table, positions: np.ndarray, county: str | None,
                  nation: str, lang: str) -> list[dict[str, Any]]:
        """The gaps page's rows for the profile rows at ``positions`` (each with a sex gap):
        women, men, the gap with its limits, ratio and trend, and the gap in the county and the
        nation (women's and men's values there: one query for all the rows)."""
        data = self.data
        with_gap = [row for row in data.row_dicts(table, positions) if row.get("sex_gap")]
        values = data.sex_values([r["indicator"] for r in with_gap],
                                 [a for a in (county, nation) if a])

        def diff(ind_id: str, period: int, area: str | None) -> float | None:
            w = values.get((ind_id, period, "K", area or ""))
            m = values.get((ind_id, period, "M", area or ""))
            return None if w is None or m is None else w - m

        out = []
        for row in with_gap:
            gap = row["sex_gap"]
            ind = data.indicator(row["indicator"])
            period = int(row["period"])
            out.append({
                "id": ind.id, "title": self.title_of(ind, lang), "period": row["period_label"],
                "target_area": row["target_area"],
                "women": gap["women"], "men": gap["men"], "difference": gap["difference"],
                "ratio": gap.get("ratio"), "lower": gap.get("lower"), "upper": gap.get("upper"),
                "trend": gap.get("trend"), "county_difference": diff(ind.id, period, county),
                "nation_difference": diff(ind.id, period, nation), "unit": ind.unit,
                "decimals": data.decimals(ind.id)})
        return out

    def _breakdown_figures(self, code: str, breakdowns: pd.DataFrame, lang: str
                           ) -> list[Figure]:
        """One chart per indicator × breakdown × sex the store has for the area: the gap
        between the first and the last category over time (e.g. lowest − highest education)."""
        out: list[Figure] = []
        if breakdowns.empty:
            return out
        name = self.data.area_name(code)
        for k, ((ind_id, dim, sex), sub) in enumerate(
                breakdowns.groupby(["indicator", "breakdown_dim", "sex"], sort=True)):
            cats = sorted(set(sub["breakdown_cat"]))
            if len(cats) < 2:
                continue
            wide = sub.pivot_table(index=["period", "period_label"], columns="breakdown_cat",
                                   values="value", aggfunc="first").reset_index()
            wide = wide.dropna(subset=[cats[0], cats[-1]])
            if wide.empty:
                continue
            ind = self.data.indicator(str(ind_id))
            series = [charts.Series(f"{name}: {cats[0]} − {cats[-1]}",
                                    [int(p) for p in wide["period"]],
                                    _clean((wide[cats[0]] - wide[cats[-1]]).tolist()),
                                    wide["period_label"].tolist())]
            title = word((f"Skillnad efter {dimension_name_sv(str(dim))}",
                          f"Gap by {dim}"), lang) + f": {self.title_of(ind, lang)}"
            if sex != "T":
                title += word({"K": (" (kvinnor)", " (women)"),
                               "M": (" (män)", " (men)")}[str(sex)], lang)
            decimals = self.data.decimals(ind.id)
            spec = charts.line_figure(series, title, ind.unit, self.source_of(ind), lang,
                                      decimals)
            first, last = series[0].labels[0], series[0].labels[-1]
            out.append(Figure(f"fig-uppdelning-{k}", spec,
                              self.caption(ind, first if first == last else f"{first}–{last}",
                                           lang), self.series_table(series, lang), decimals))
        return out

    def target_area(self, slug: str, lang: str, *, limit: int | None = None,
                    q: str | None = None, sida: str | None = None) -> Page:
        """A målområde's articles, examples and indicators with their latest county and nation
        values. limit (the portal's page): the indicators in pages of ``PAGE_ROWS`` (``sida``);
        q: only indicators whose title or id contains the text; without a limit every one (the
        static site). The download has every indicator."""
        data = self.data
        target_area = data.target_area(slug)
        if target_area is None:
            raise NotFound(f'Målområdet "{slug}" finns inte. Se listan över målområden.')
        county = data.county
        nation = data.nation()
        inds = data.indicators_in(target_area.id)
        shown = _shown_rows(np.zeros(len(inds), dtype=np.int64), np.ones(len(inds), dtype=bool),
                            lambda: _indicator_texts(inds), limit=limit, amne="0", q=q,
                            sida=sida)

        def rows_of(chosen: list[Indicator]) -> list[dict[str, Any]]:
            # the indicators' latest county and nation values in one query, not one whole
            # series per indicator (the background has 1,900 of them with every Kolada KPI)
            latest = data.latest_values([i.id for i in chosen], [county, nation])
            decimals = data.decimals_of([i.id for i in chosen])
            out = []
            for ind in chosen:
                period, label, values = latest[ind.id]
                out.append({"id": ind.id, "title": self.title_of(ind, lang), "unit": ind.unit,
                            "period": label if label is not None else period,
                            "county": values.get(county), "nation": values.get(nation),
                            "polarity": polarity_label(ind.polarity, lang),
                            "decimals": decimals[ind.id]})
            return out

        rows = rows_of([inds[k] for k in shown.positions])

        def indicators_frame() -> pd.DataFrame:  # the download: every indicator
            every = rows if len(rows) == len(inds) else rows_of(inds)
            return pd.DataFrame([{"indikator": r["id"], "titel": r["title"],
                                  "period": r["period"], data.area_name(county): r["county"],
                                  "riket": r["nation"], "enhet": r["unit"]} for r in every])

        return Page("target_area.html", target_area.title(lang), {
            "target_area": target_area, "rows": rows, "county_name": data.area_name(county),
            "without_values": [(i, in_language(lang, sv, en)) for i, sv, en in
                               data.without_values_in(target_area.id)]
            if target_area.id >= 0 else [],
            "articles": [a for a in self.articles.all() if target_area.slug in a.target_areas],
            "examples": data.examples_in_target_area(target_area.id),
            "profile_filter": {"q": q or "", "amne": None, "page": shown.page,
                               "pages": shown.pages, "shown": len(rows), "total": len(inds),
                               "matched": shown.matched, "limited": limit is not None},
        }, LazyTables({"indikatorer": Later(indicators_frame)}))

    def data_page(self, lang: str) -> Page:
        """What the database holds per source, and the sync log's warnings about upstream
        changes (``jamlik.sources.sync_warnings``), newest first."""
        from jamlik.sources import sync_warnings

        data = self.data
        sources = data.cached("sources_summary", data.store.sources_summary)
        runs = data.cached("sync_warnings", lambda: sync_warnings(data.store, limit=20))
        table = sources.rename(columns={"source": "källa", "observations": "värden",
                                        "indicators": "indikatorer",
                                        "last_retrieved": "senast_hämtat"})
        return Page("data.html", translator(lang)("data_page"),
                    {"sources": sources.to_dict("records"), "runs": runs},
                    tables={"kallor": table})

    def target_areas(self, lang: str) -> Page:
        items = [(t, len(self.data.indicators_in(t.id))) for t in self.data.target_areas()]
        return Page("target_areas.html", translator(lang)("target_areas"), {
            "items": [i for i in items if i[1]], "articles": self.articles.all()})

    def directive_chart(self, text: str, lang: str, fig_id: str) -> Figure:
        """The line chart an article's ``chart`` directive asks for (``render_markdown``).

        Raises ValueError or LookupError (Swedish) for a directive it cannot draw.
        """
        params = parse_directive(text)
        ind_id = params.get("indicator") or params.get("indikator")
        if not ind_id:
            raise ValueError("ange indicator=… (t.ex. indicator=N00957).")
        if ind_id not in self.data.indicator_ids():
            raise LookupError(f'indikatorn "{ind_id}" finns inte i databasen.')
        ind = self.data.indicator(ind_id)
        areas = []
        for code in split_codes(params.get("areas") or params.get("omraden")) or [self.data.county]:
            try:
                areas.append(self.data.resolve(code))
            except KeyError as exc:
                raise LookupError(f'området "{code}" finns inte.') from exc
        sexes = tuple(split_codes(params.get("sex") or params.get("kon")) or ["T"])
        bad = [s for s in sexes if s not in ("T", "K", "M")]
        if bad:
            raise ValueError(f'kön "{bad[0]}" är okänt — använd T, K eller M.')
        years = year_span(params.get("years") or params.get("ar"))
        figure = self.line(fig_id, ind, areas, lang, sexes=sexes, years=years,
                           title=params.get("title") or params.get("titel"))
        if figure is None:
            raise LookupError(f"inga värden för {ind_id} i de valda områdena och åren.")
        return figure

    def article(self, slug: str, lang: str) -> Page:
        art: Article | None = self.articles.get(slug)
        if art is None:
            raise NotFound(f'Artikeln "{slug}" finns inte. Se listan över artiklar.')
        html, figures = render_markdown(art.body, self, lang, prefix=f"art-{slug}")
        related = [(i, self.title_of(self.data.indicator(i), lang)) for i in art.indicators
                   if i in self.data.indicator_ids()]
        return Page("article.html", art.title, {"article": art, "html": html,
                                                 "figures": figures, "related": related})

    def indicator_list(self, lang: str, *, limit: int | None = None, amne: str | None = None,
                       q: str | None = None, sida: str | None = None) -> Page:
        """Every indicator with values, grouped by målområde; limit, amne, q, sida as ``area``
        (the portal's page: the first ``limit`` per målområde with a link to the rest, one
        målområde in pages, a filter); without a limit every indicator (the static site)."""
        groups = [(t, self.data.indicators_in(t.id)) for t in self.data.target_areas()]
        flat = [(t.id, i) for t, inds in groups for i in inds]
        shown = _shown_rows(np.array([t for t, _ in flat], dtype=np.int64),
                            np.ones(len(flat), dtype=bool),
                            lambda: _indicator_texts([i for _, i in flat]), limit=limit,
                            amne=amne, q=q, sida=sida)
        picked: dict[int, list[Indicator]] = {}
        for k in shown.positions:
            picked.setdefault(flat[k][0], []).append(flat[k][1])
        table = pd.DataFrame([{"indikator": i.id, "titel": i.title_sv, "enhet": i.unit,
                               "riktning": polarity_label(i.polarity)}
                              for _, inds in groups for i in inds])
        return Page("indicators.html", translator(lang)("indicators"), {
            "groups": [(t, picked[t.id]) for t, _ in groups if t.id in picked],
            "section_totals": shown.totals, "profile_filter": {
                "q": q or "", "amne": shown.chosen, "page": shown.page, "pages": shown.pages,
                "shown": len(shown.positions), "total": len(flat),
                "limited": limit is not None}}, {"indikatorer": table})

    def area_list(self, lang: str) -> Page:
        data = self.data
        groups = [(c, data.municipalities(c)[["code", "name"]].to_dict("records"))
                  for c in data.counties()["code"]]
        return Page("areas.html", translator(lang)("areas"), {
            "groups": [(code, data.area_name(code), munis) for code, munis in groups],
            "nation": data.nation()})

    def search_docs(self, lang: str) -> list[SearchDoc]:
        """Areas, indicators, målområden and articles as search documents (cached per store
        version); plans and other capabilities' pages come from ``search_sources``."""
        def compute() -> list[SearchDoc]:
            data = self.data
            kinds = {"municipality": word(("kommun", "municipality"), lang),
                     "county": word(("län", "county"), lang),
                     "nation": word(("riket", "nation"), lang)}
            docs = [SearchDoc("kommun", r.code, r.name, detail=kinds.get(r.type, r.type),
                              exact=(r.code, str(r.kolada_code)))
                    for r in data.areas().itertuples()]
            for ind in data.indicators():
                docs.append(SearchDoc("indikator", ind.id, self.title_of(ind, lang),
                                      text=" ".join(filter(None, (
                                          ind.title_sv, ind.title_en,
                                          ind.description))),
                                      detail=ind.id, exact=(ind.id,)))
            for ta in data.target_areas():
                kind = word(("målområde", "target area"), lang)
                docs.append(SearchDoc("amne", ta.slug, ta.title(lang), detail=kind,
                                      text=f"{kind} {ta.id}" if ta.id > 0 else kind))
            for art in self.articles.all():
                docs.append(SearchDoc("artikel", art.slug, art.title, text=art.summary or "",
                                      detail=word(("artikel", "article"), lang)))
            return docs

        return self.data.cached(("search_docs", lang), compute)

    def search(self, query: str, lang: str) -> Page:
        docs = list(self.search_docs(lang))
        for source in self.search_sources:
            try:
                docs += source()
            except Exception:  # noqa: BLE001 - another capability's failure never breaks search
                continue
        hits = [(h.doc.kind, h.doc.key, h.doc.title, h.doc.detail, h.doc.url)
                for h in search_documents(docs, query)]
        return Page("search.html", translator(lang)("search"), {"query": query, "hits": hits})

    def factsheet_reads(self, code: str, rows: list[dict[str, Any]] | None = None,
                        deviations: list[dict[str, Any]] | None = None
                        ) -> tuple[list[dict[str, Any]], list[str], list[str]]:
        """The fact sheet's chosen rows (``_factsheet.select_rows``), the indicators its charts
        read (the chosen ones and life expectancy) and their areas (the area, its county, the
        nation): what ``factsheet`` reads, so the static site can read many sheets' series
        at once (``PortalData.prefetch_series_of``)."""
        from jamlik.portal import _factsheet as fs

        data = self.data
        rows = data.profile(code) if rows is None else rows
        deviations = data.deviations(code) if deviations is None else deviations
        order = [t.id for t in data.target_areas() if t.id >= 0]
        chosen = fs.select_rows(rows, deviations, order)
        life_id = "medellivslangd" if "medellivslangd" in data.indicator_ids() else None
        ids = [r["indicator"] for r in chosen] + ([life_id] if life_id else [])
        areas = list(dict.fromkeys(c for c in (code, data.county_of(code), data.nation()) if c))
        return chosen, ids, areas

    def factsheet(self, code: str, lang: str, area_page: Page | None = None,
                  gaps_page: Page | None = None, appendix: bool = False) -> Page:
        """The one-page fact sheet (``_factsheet``); ``appendix``: the whole profile, the gaps
        between women and men and every deviation after it. Pass the area's profile and gaps
        pages to reuse them.

        Without the appendix the sheet reads only what it shows: the area's (materialised)
        profile rows and deviations, and the last values of its 12 indicators and life
        expectancy in the area, its county and the nation in one query (``series_of``) — not
        the whole profile page with a spine chart per row, nor every area's series."""
        from jamlik.portal import _factsheet as fs

        data = self.data
        code = self._area_code(code)
        nation = data.nation()
        county = data.county_of(code)
        name = data.area_name(code)
        base = area_page if area_page is not None else (
            self.area(code, lang, None) if appendix else None)
        if base is not None:
            page = Page("factsheet.html", base.title, dict(base.context), dict(base.tables))
            deviations = base.context["deviations"]
        else:
            deviations = data.deviations(code)
            page = Page("factsheet.html", name, {
                "code": code, "name": name, "area_type": data.area_type(code),
                "county": county, "county_name": data.area_name(county) if county else None,
                "deviations": deviations})
        # the rows without spines: the sheet shows none (and a new process need not scan every
        # indicator's spines and decimals first; the chosen rows' decimals in one query)
        rows = data.profile(code) if base is not None else data.profile_light(code)
        chosen, ids, series_areas = self.factsheet_reads(code, rows, deviations)
        decimals = data.decimals_of([r["indicator"] for r in chosen])
        colours = {code: "#0072B2", county: "#E69F00", nation: "#000000"}
        codes = [c for c in (code, county, nation) if c]
        life_id = "medellivslangd" if "medellivslangd" in data.indicator_ids() else None
        frame = data.series_of(ids, series_areas) if ids else None
        cards = []
        for r in chosen:
            ind = data.indicator(r["indicator"])
            series = self.series_for(ind, codes, "T", None, lang, frame)
            for s_ in series:
                s_.colour = colours.get(next((c for c in (code, county, nation)
                                              if c and data.area_name(c) == s_.name), ""))
                s_.x, s_.y, s_.labels = s_.x[-10:], s_.y[-10:], s_.labels[-10:]
            title = self.title_of(ind, lang)
            dev = r["deviation"]
            verdict = fs.plain_verdict(r, lang)
            if dev:
                said = fs.deviation_verdict(dev, lang)
                first, _, rest = verdict.partition("; ")
                verdict = said + " " + (rest[:1].upper() + rest[1:] if
                                        first.rstrip(".") == said.rstrip(".") and rest else
                                        ("" if first.rstrip(".") == said.rstrip(".")
                                         else verdict))
            cards.append({
                "id": ind.id, "title": title, "unit": fs.unit_suffix(title, ind.unit),
                "value": r["value"], "period": r["period_label"],
                "decimals": decimals[r["indicator"]],
                "county_value": r["county_value"], "nation_value": r["nation_value"],
                "verdict": verdict, "deviation": bool(dev),
                "svg": charts.line_svg(series, width=200, height=52, lang=lang, title=title,
                                       legend=False, font_size=8)})
        life = None
        if life_id:
            ind = data.indicator(life_id)
            series = [s_ for sex in ("K", "M")
                      for s_ in self.series_for(ind, [code, nation], sex, None, lang, frame)]
            for s_ in series:
                s_.colour = colours[code] if s_.name.startswith(name) else colours[nation]
                s_.dash = "solid" if s_.name.endswith(("kvinnor", "women")) else "dash"
            title = self.title_of(ind, lang)
            life = {"title": title, "unit": fs.unit_suffix(title, ind.unit),
                    "svg": charts.line_svg(series, width=330, height=118, lang=lang,
                                           title=title, font_size=8)}
        date = data.data_date()
        county_name = data.area_name(county) if county else None
        n = len(cards)
        dated = word((f"; data hämtade t.o.m. {date}", f"; data retrieved up to {date}"),
                     lang) if date else ""
        page.context.update({
            "cards": cards, "life": life, "appendix": appendix, "data_date": date,
            "county_colour": colours[county] if county else None,
            "sheet_title": word((f"{name} – hälsa och livsvillkor i korthet",
                                 f"{name} – health and living conditions at a glance"), lang),
            "lead": word((f"{n} indikatorer för kommunstyrelsen: först de där {name} avviker "
                          f"mest, sedan de viktigaste per målområde. Jämfört med "
                          f"{county_name or 'länet'}, riket och landets kommuner.",
                          f"{n} indicators: first where {name} deviates most, then the most "
                          f"important per target area, compared with "
                          f"{county_name or 'the county'}, Sweden and all municipalities."),
                         lang),
            "source_line": word((f"Källa: Kolada (RKA), CC BY 4.0{dated}. Framtaget med jamlik.",
                                 f"Source: Kolada (RKA), CC BY 4.0{dated}. Produced with jamlik."),
                                lang),
        })
        if appendix:
            gaps = (gaps_page or self.gaps(code, lang, None)).context["summary"]
            page.context.update({"gaps": gaps})
        return page



#: Rows per målområde on the portal's profile page before "show all" (2,000 indicators stay
#: light), and rows per page when one målområde is shown.
SECTION_ROWS = 25
PAGE_ROWS = 200


class Later:
    """A page's table made only when asked for (``LazyTables``)."""

    def __init__(self, make: Callable[[], pd.DataFrame]):
        self.make = make


class LazyTables(dict):
    """A page's downloadable tables, some made only when read (a download, the static site's
    CSV files): an area page of 2,000 indicators shows 25 rows per målområde, so its tables
    of every row are not built for each view. Names (``list``, ``in``) cost nothing; reading a
    value (``[]``, ``get``, ``items``, ``values``, ``dict(...)``) makes it once."""

    def __getitem__(self, key: str) -> pd.DataFrame:
        value = super().__getitem__(key)
        if isinstance(value, Later):
            value = value.make()
            super().__setitem__(key, value)
        return value

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401 - as dict.get
        return self[key] if key in self else default

    def __iter__(self) -> Iterator[str]:  # also makes dict(self) read through __getitem__
        return iter(list(super().keys()))

    def items(self) -> list[tuple[str, pd.DataFrame]]:  # type: ignore[override]
        return [(k, self[k]) for k in list(super().keys())]

    def values(self) -> list[pd.DataFrame]:  # type: ignore[override]
        return [self[k] for k in list(super().keys())]


def _distinct(table: pa.Table, name: str) -> list[Any]:
    """The distinct values of one column (nulls as None)."""
    return pc.unique(table.column(name)).to_pylist() if table.num_rows else []


def _pooled(table: pa.Table) -> bool:
    """Whether any row has a pooled period (the flag, or a span like "2018–2022")."""
    if not table.num_rows:
        return False
    flags = table.column("flags")
    if not pa.types.is_null(flags.type) and "pooled_period" in _distinct(
            pa.table({"f": pc.list_flatten(flags)}), "f"):
        return True
    labels = table.column("period_label")
    if pa.types.is_null(labels.type):
        return False
    return bool(pc.any(pc.match_substring(pc.cast(labels, pa.string()), "–")).as_py())


@dataclass(frozen=True)
class ShownRows:
    """Which rows of a long list a page shows (``_shown_rows``): ``positions`` in list order,
    ``totals`` rows per målområde after the filter, ``matched`` rows after the filter, the
    chosen målområde (``amne``) and the page of it (``page`` of ``pages``)."""

    positions: np.ndarray
    totals: dict[int, int]
    matched: int
    chosen: int | None
    page: int
    pages: int


def _shown_rows(target: np.ndarray, keep: np.ndarray, texts: Callable[[], Iterable[str]], *,
                limit: int | None, amne: str | None, q: str | None, sida: str | None
                ) -> ShownRows:
    """The rows a page of a list grouped by målområde shows (the area profile, the gaps page,
    the indicator index): the rows in ``keep`` whose målområde (``target``) is ``amne`` when
    given and whose text (``texts``, made only when filtering) contains ``q`` (case and å/ä/ö
    folded); then with a ``limit`` the first ``limit`` of each målområde, or, with ``amne``,
    page ``sida`` of ``PAGE_ROWS`` rows. Without a limit (the static site, the fact sheet):
    every row kept."""
    chosen = _int_or_none(amne)
    needle = fold(q or "")
    keep = keep.copy()
    if chosen is not None:
        keep &= target == chosen
    if needle:
        keep &= np.fromiter((needle in fold(text) for text in texts()), dtype=bool,
                            count=len(keep))
    positions = np.flatnonzero(keep)
    found, counts = np.unique(target[positions], return_counts=True)
    totals = {int(k): int(n) for k, n in zip(found, counts, strict=True)}
    matched, page_no, pages = len(positions), 1, 1
    if limit is not None and chosen is not None:
        pages = max(1, -(-len(positions) // PAGE_ROWS))
        page_no = min(max(_int_or_none(sida) or 1, 1), pages)
        positions = positions[(page_no - 1) * PAGE_ROWS:page_no * PAGE_ROWS]
    elif limit is not None:
        positions = _first_per_group(positions, target[positions], limit)
    return ShownRows(positions, totals, matched, chosen, page_no, pages)


def _indicator_texts(indicators: list[Indicator]) -> Iterator[str]:
    """What the filter of a list of indicators searches: title, id and English title."""
    for i in indicators:
        yield f"{i.title_sv} {i.id} {i.title_en or ''}"


def _profile_texts(table: pa.Table) -> Iterator[str]:
    """What the filter of a profile table searches: title, id and English title per row."""
    for t, i, e in zip(table.column("title").to_pylist(), table.column("indicator").to_pylist(),
                       table.column("title_en").to_pylist(), strict=True):
        yield f"{t} {i} {e or ''}"


def _first_per_group(positions: np.ndarray, groups: np.ndarray, limit: int) -> np.ndarray:
    """The positions whose group (målområde) has had fewer than ``limit`` before them, in
    order: the first ``limit`` rows of every group."""
    if not len(positions):
        return positions
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    lengths = np.diff(np.r_[starts, len(ordered)])
    rank = np.arange(len(ordered)) - np.repeat(starts, lengths)
    return positions[np.sort(order[rank < limit])]


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def _period_note_shown(row: dict[str, Any], lang: str) -> str | None:
    """The pooled period's note in ``lang`` when the verdict does not already say it."""
    note = row.get("period_note")
    if not note or note in (row.get("verdict") or ""):
        return None
    first, _, last = str(row.get("period_label") or "").partition("–")
    start = int(first) if last and first.isdigit() else None
    return period_note(int(row["period"]), start, lang) or note
