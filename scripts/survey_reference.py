"""Reference values for jamlik.stats.design_proportion from an independent implementation.

Runs samplics 0.6 (``TaylorEstimator(PopParam.prop)`` and ``PopParam.mean``, not a jamlik dependency: ``pip install
samplics==0.6.1``) on tests/stats/data/survey_design_case.csv — a small synthetic wave
(``jamlik survey generate --pupils 800 --seed 7``, imported, question ``somn``) with its
post-stratification weights — and writes tests/stats/data/survey_design_reference.json.
Strata = municipality, PSU = school; pupils who did not answer stay in the design in a domain
of their own. Run: ``python scripts/survey_reference.py`` (from any folder).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "tests" / "stats" / "data"


def main() -> None:
    warnings.simplefilter("ignore")
    from samplics import PopParam, TaylorEstimator

    frame = pd.read_csv(DATA / "survey_design_case.csv", dtype={"municipality": str,
                                                               "answer": str})
    answered = frame["answer"].notna()
    out = {"source": "samplics 0.6.0 TaylorEstimator(PopParam.prop), ciprop_method='logit', "
                     "alpha=0.05", "domains": {}}
    for name, keys in {"all": [], "grade_sex": ["grade", "sex"],
                       "municipality": ["municipality"]}.items():
        label = (frame[keys].astype(str).agg("|".join, axis=1) if keys
                 else pd.Series("all", index=frame.index))
        domain = np.where(answered, label, "_unanswered")
        est = TaylorEstimator(param=PopParam.prop)
        est.estimate(y=frame["y"].to_numpy(), samp_weight=frame["w"].to_numpy(),
                     stratum=frame["municipality"].to_numpy(),
                     psu=(frame["municipality"] + "|" + frame["school"]).to_numpy(),
                     domain=domain)
        out["domains"][name] = {
            d: {"p": est.point_est[d][1.0], "se": est.stderror[d][1.0],
                "lower": est.lower_ci[d][1.0], "upper": est.upper_ci[d][1.0]}
            for d in sorted(est.point_est) if d != "_unanswered" and 1.0 in est.point_est[d]}
    # means: the answer code (1–3) as a number, only to check the mean's linearisation
    out["means"] = {}
    score = pd.to_numeric(frame["answer"]).fillna(1).to_numpy()  # unanswered: own domain
    for name, keys in {"all": [], "grade_sex": ["grade", "sex"]}.items():
        label = (frame[keys].astype(str).agg("|".join, axis=1) if keys
                 else pd.Series("all", index=frame.index))
        domain = np.where(answered, label, "_unanswered")
        est = TaylorEstimator(param=PopParam.mean)
        est.estimate(y=score, samp_weight=frame["w"].to_numpy(),
                     stratum=frame["municipality"].to_numpy(),
                     psu=(frame["municipality"] + "|" + frame["school"]).to_numpy(),
                     domain=domain)
        out["means"][name] = {d: {"mean": est.point_est[d], "se": est.stderror[d],
                                  "lower": est.lower_ci[d], "upper": est.upper_ci[d]}
                              for d in sorted(est.point_est) if d != "_unanswered"}
    (DATA / "survey_design_reference.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
