"""Estimates from a stored wave: the derived share of a question by breakdown, disclosure-controlled.

Method (docs/SURVEYS.md): respondents are weighted to the enrolled pupils by post-stratification
within municipality × grade × sex (``jamlik.stats.poststratification_weights``; a wave without a
population file is unweighted and says so). Standard errors are Taylor-linearised for a
stratified cluster design — municipalities are strata, schools the clusters — and limits are
logit-transformed with PSUs − strata degrees of freedom (``jamlik.stats.design_proportion``,
checked against samplics). All breakdown cells are computed at once from per-school sums and
match the per-domain reference function exactly (a test compares them). A cell with fewer than
``threshold`` respondents (default 5; at least 10 for a question marked ``sensitive``) is
suppressed: value, limits, n and response rate withheld.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.stats import design_limits, normalise_confidence, single_psu_se, t_quantile
from jamlik.store import Store
from jamlik.surveys._access import SurveyAccess
from jamlik.surveys._definition import (
    GRADES,
    SENSITIVE_THRESHOLD,
    DefinitionError,
    Questionnaire,
    parse_questionnaire,
)
from jamlik.surveys._import import ensure_tables

#: Breakdowns ``estimate`` accepts for ``--by``.
BREAKDOWNS = ("municipality", "school", "grade", "sex")
DEFAULT_THRESHOLD = 5
METHOD_SV = ("Andelar viktade till de inskrivna eleverna per kommun, årskurs och kön "
             "(poststratifiering); konfidensgränser (95 %) med linjäriserat medelfel där "
             "kommunerna är strata och skolorna kluster.")
UNWEIGHTED_METHOD_SV = ("Oviktade andelar: omgången saknar befolkningsfil (population.csv), så "
                        "bortfallet kan inte vägas upp; konfidensgränser (95 %) med linjäriserat "
                        "medelfel där kommunerna är strata och skolorna kluster.")
#: Breakdowns that the enrolled-pupil counts exist for (response rates need them).
_POPULATION_KEYS = ("municipality", "grade", "sex")


@dataclass(frozen=True)
class SurveyEstimate:
    keys: dict[str, str]
    value: float | None
    lower: float | None
    upper: float | None
    n: int | None
    suppressed: bool
    #: respondents to the question / enrolled pupils in the cell (None without a population)
    response_rate: float | None = None
    weighted: bool = False

    def as_dict(self) -> dict[str, object]:
        return {**self.keys, "value": self.value, "lower": self.lower, "upper": self.upper,
                "n": self.n, "suppressed": self.suppressed,
                "response_rate": self.response_rate, "weighted": self.weighted}


def waves(store: Store) -> list[str]:
    ensure_tables(store)
    return [r[0] for r in store.execute("SELECT wave FROM survey_waves ORDER BY wave").fetchall()]


def questionnaire(store: Store, wave: str | None = None) -> Questionnaire:
    """The definition a wave was imported with (the latest wave if none is named)."""
    known = waves(store)
    if not known:
        raise DefinitionError("inga enkätsvar i databasen — kör först `jamlik survey import`.")
    wave = wave or known[-1]
    if wave not in known:
        raise DefinitionError(f"omgången {wave!r} finns inte — importerade: {', '.join(known)}.")
    text = store.scalar("SELECT definition FROM survey_waves WHERE wave = ?", [wave])
    return parse_questionnaire(str(text), f"omgång {wave}")


def has_population(store: Store, wave: str) -> bool:
    ensure_tables(store)
    return bool(store.scalar("SELECT count(*) FROM survey_population WHERE wave = ?", [wave]))


def method_sv(store: Store, wave: str | None = None, statistic: str = "share") -> str:
    """The method sentence for a wave's estimates (weighted or not; shares or means)."""
    definition = questionnaire(store, wave)
    text = METHOD_SV if has_population(store, definition.wave) else UNWEIGHTED_METHOD_SV
    if statistic == "mean":
        text = text.replace("Andelar", "Medelvärden").replace("andelar", "medelvärden")
    return text


def weighted_responses(store: Store, question: str, *, wave: str | None = None) -> pd.DataFrame:
    """One row per stored pupil of the wave with their answer to ``question`` (None: no answer),
    ``y`` (1 = one of the indicator codes) and the post-stratification weight ``w``."""
    definition = questionnaire(store, wave)
    q = definition.question(question)
    frame = store.execute(
        "SELECT municipality, school, grade, sex, answer FROM survey_responses "
        "WHERE wave = ? AND question = ?", [definition.wave, q.id]).df()
    frame["y"] = frame["answer"].isin(q.indicator_codes).astype(float)
    frame["w"] = 1.0
    if has_population(store, definition.wave):
        population = store.execute(
            "SELECT municipality, grade, sex, pupils FROM survey_population WHERE wave = ?",
            [definition.wave]).df()
        respondents = frame.groupby(list(_POPULATION_KEYS)).size().rename("n_cell")
        cells = population.set_index(list(_POPULATION_KEYS))["pupils"]
        joined = frame.join(respondents, on=list(_POPULATION_KEYS)).join(
            cells, on=list(_POPULATION_KEYS))
        if joined["pupils"].isna().any():
            raise DefinitionError("befolkningsfilen saknar en kommun, årskurs och kön som har "
                                  "svarande: vikterna kan inte beräknas.")
        frame["w"] = (joined["pupils"] / joined["n_cell"]).to_numpy(dtype=float)
    return frame


def estimate(store: Store, question: str, by: list[str], *, wave: str | None = None,
             threshold: int = DEFAULT_THRESHOLD, confidence: float = 0.95,
             statistic: str = "share",
             access: SurveyAccess | None = None) -> list[SurveyEstimate]:
    """The weighted share answering ``question``'s indicator codes per combination of ``by``,
    in per cent, with design-based limits (see the module docstring). ``statistic="mean"``:
    the weighted mean of the answers' scores (the questionnaire's ``scores``, e.g. days a
    week) with t limits (``jamlik.stats.design_mean``). ``access``: the user's scope
    (``SurveyAccess``; None = every municipality): only those pupils enter the estimate.

    n counts respondents who answered the question (item non-response is left out of the
    domain but its pupils stay in the design).
    """
    if threshold < 1:
        raise ValueError(f"tröskeln ska vara minst 1 (fick {threshold}).")
    level = normalise_confidence(confidence)
    bad = [b for b in by if b not in BREAKDOWNS]
    if bad or len(set(by)) != len(by):
        raise ValueError(f"--by {','.join(by)!r}: välj bland {', '.join(BREAKDOWNS)}, var och en "
                         "högst en gång.")
    if statistic not in ("share", "mean"):
        raise ValueError(f"statistic {statistic!r}: välj share (andel) eller mean (medelvärde).")
    mean = statistic == "mean"
    definition = questionnaire(store, wave)
    q = definition.question(question)
    if mean and not q.scores:
        raise DefinitionError(f"frågan {q.id!r} har inga poäng (scores) i enkätdefinitionen: "
                              "medelvärde går inte att räkna, bara andel.")
    if q.sensitive:
        threshold = max(threshold, SENSITIVE_THRESHOLD)
    weighted = has_population(store, definition.wave)
    keys = list(by)
    scope = access or SurveyAccess.everything()
    psus_per_stratum, cells = _school_sums(store, definition, question, keys, weighted, mean,
                                           scope)
    if cells.empty:
        return []
    df = int(psus_per_stratum.sum() - len(psus_per_stratum))
    if keys:
        domain = cells.groupby(keys, sort=False)
        totals = domain.agg(W=("sw", "sum"), WY=("swy", "sum"), n=("n", "sum"),
                            psus=("psu", "size"), sy=("sy", "sum"), syy=("syy", "sum"))
        cells = cells.join(totals[["W", "WY"]], on=keys)
    else:
        totals = pd.DataFrame({"W": [cells["sw"].sum()], "WY": [cells["swy"].sum()],
                               "n": [cells["n"].sum()], "psus": [len(cells)],
                               "sy": [cells["sy"].sum()], "syy": [cells["syy"].sum()]})
        cells = cells.assign(W=totals["W"].iat[0], WY=totals["WY"].iat[0])
    cells["p"] = cells["WY"] / cells["W"]
    cells["z"] = (cells["swy"] - cells["p"] * cells["sw"]) / cells["W"]
    cells["z2"] = cells["z"] ** 2
    per_stratum = cells.groupby([*keys, "stratum"], sort=False).agg(
        s1=("z", "sum"), s2=("z2", "sum")).reset_index()
    n_h = per_stratum["stratum"].map(psus_per_stratum).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = np.where(n_h > 1, n_h / (n_h - 1) * (
            per_stratum["s2"].to_numpy() - per_stratum["s1"].to_numpy() ** 2 / n_h), 0.0)
    per_stratum["v"] = np.maximum(contribution, 0.0)
    variance = (per_stratum.groupby(keys, sort=False)["v"].sum() if keys
                else pd.Series([per_stratum["v"].sum()]))
    population = _population_by(store, definition.wave, keys, scope) if weighted else None
    rows = []
    for i, (idx, tot) in enumerate(totals.iterrows()):
        key_values = idx if isinstance(idx, tuple) else (idx,)
        cell_keys = {b: str(v) for b, v in zip(keys, key_values, strict=False)}
        n = int(tot["n"])
        if n < threshold:
            rows.append(SurveyEstimate(cell_keys, None, None, None, None, True, None, weighted))
            continue
        p = float(tot["WY"] / tot["W"])
        se = math.sqrt(float(variance.iloc[i] if not keys else variance.loc[idx]))
        cell_df = df
        rate = None
        if population is not None:
            enrolled = population.get(tuple(cell_keys[k] for k in keys if k in _POPULATION_KEYS))
            rate = round(n / enrolled, 4) if enrolled else None
        if mean:
            if int(tot["psus"]) < 2:  # one school: the simple-random-sample error s/√n
                s2 = max((float(tot["syy"]) - float(tot["sy"]) ** 2 / n) / max(n - 1, 1), 0.0)
                se, cell_df = math.sqrt(s2 / n), max(n - 1, 1)
            half = t_quantile(1 - (1 - level) / 2, max(cell_df, 1)) * se
            rows.append(SurveyEstimate(cell_keys, p, p - half, p + half, n, False, rate,
                                       weighted))
            continue
        if int(tot["psus"]) < 2:  # one school: no between-school spread to measure
            se, cell_df, _ = single_psu_se(p, n)
        lower, upper, _ = design_limits(p, se, df=cell_df, n=n, confidence=level)
        rows.append(SurveyEstimate(cell_keys, 100 * p, 100 * lower, 100 * upper, n, False, rate,
                                   weighted))
    order = [_grade_position(r.keys) for r in rows]
    return [r for _, r in sorted(zip(order, rows, strict=True), key=lambda t: t[0])]


def _school_sums(store: Store, definition: Questionnaire, question: str, keys: list[str],
                 weighted: bool, mean: bool = False,
                 scope: SurveyAccess | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """(PSUs per stratum over every stored pupil, per keys × stratum × PSU: summed weights sw,
    summed weighted "good" answers swy and respondents n) — in DuckDB, so only the small
    per-school table reaches Python. Same weights as ``weighted_responses``."""
    q = definition.question(question)
    marks = ", ".join("?" for _ in q.indicator_codes)
    if mean:  # y is the answer's score; answers without one count as no answer
        y_sql = "CASE r.answer " + " ".join("WHEN ? THEN ?" for _ in q.scores) + " END"
        y_params: list[object] = [x for kv in q.scores.items() for x in kv]
    else:
        y_sql = f"CAST(r.answer IN ({marks}) AS DOUBLE)"
        y_params = list(q.indicator_codes)
    weight = "p.pupils / c.n_cell" if weighted else "1.0"
    join = ("LEFT JOIN survey_population p ON p.wave = ? AND p.municipality = r.municipality "
            "AND p.grade = r.grade AND p.sex = r.sex") if weighted else ""
    select_keys = "".join(f"r.{k} AS {k}, " for k in keys)
    group = ", ".join([*keys, "stratum", "psu"])
    # placeholders in text order: the wave and question, the "good" codes, the population's wave
    where, scope_params = (scope or SurveyAccess.everything()).sql()
    params: list[object] = [definition.wave, q.id, *scope_params, *y_params]
    if weighted:
        params.append(definition.wave)
    base = f"""
        WITH r AS (SELECT municipality, school, grade, sex, answer FROM survey_responses
                   WHERE wave = ? AND question = ?{where}),
        c AS (SELECT municipality, grade, sex, count(*) AS n_cell FROM r GROUP BY ALL),
        w AS (SELECT r.*, {weight} AS w, {y_sql} AS y
              FROM r JOIN c USING (municipality, grade, sex) {join})"""
    if weighted and store.scalar(base + " SELECT count(*) FROM w WHERE w IS NULL", params):
        raise DefinitionError("befolkningsfilen saknar en kommun, årskurs och kön som har "
                              "svarande: vikterna kan inte beräknas.")
    cells = store.execute(base + f"""
        SELECT {select_keys}r.municipality AS stratum, r.municipality || '|' || r.school AS psu,
               sum(w) AS sw, sum(w * y) AS swy, count(*) AS n, sum(y) AS sy, sum(y * y) AS syy
        FROM w AS r WHERE r.answer IS NOT NULL AND r.y IS NOT NULL GROUP BY {group}""",
                          params).df()
    psus = store.execute(
        "SELECT municipality, count(DISTINCT school) FROM survey_responses WHERE wave = ? AND "
        f"question = ?{where} GROUP BY municipality",
        [definition.wave, q.id, *scope_params]).fetchall()
    for k in keys:
        cells[k] = cells[k].astype(str)
    return pd.Series({m: int(n) for m, n in psus}, dtype=float), cells


def _grade_position(keys: dict[str, str]) -> tuple[object, ...]:
    grades = list(GRADES)  # school order, not alphabetical
    return tuple((grades.index(v) if k == "grade" and v in grades else v)
                 for k, v in keys.items())


def _population_by(store: Store, wave: str, keys: list[str],
                   scope: SurveyAccess | None = None) -> dict[tuple[str, ...], int] | None:
    """Enrolled pupils per combination of the population keys among ``keys``; None when a key
    (school) has no enrolment count."""
    if any(k not in _POPULATION_KEYS for k in keys):
        return None
    cols = "".join(f"{k}, " for k in keys)
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    where, params = (scope or SurveyAccess.everything()).sql()
    rows = store.execute(f"SELECT {cols}sum(pupils) FROM survey_population WHERE wave = ?"
                         f"{where} {group}", [wave, *params]).fetchall()
    return {tuple(str(v) for v in r[:-1]): int(r[-1]) for r in rows}
