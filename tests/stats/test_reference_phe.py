"""jamlik.stats against the PHEindicatormethods reference values (see data/README.md).

Source of every expected number: PHEindicatormethods test data, UKHSA, tests/testthat.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from jamlik.stats import count_ci, dsr, isr, isratio, proportion_ci, sii

DATA = Path(__file__).parent / "data"
REL = 1e-6
SII_LIMIT_TOL = 0.05


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _conf(text: str) -> float:
    return float(text.rstrip("%"))


BW = _csv("byars_wilson.csv")
PROPS = _csv("proportion.csv")
DSR_ISR = json.loads((DATA / "dsr_isr.json").read_text(encoding="utf-8"))
SII_CASES = json.loads((DATA / "sii.json").read_text(encoding="utf-8"))["cases"]


def _close(actual: float | None, expected: float | None) -> None:
    if expected is None:
        assert actual is None
        return
    assert actual == pytest.approx(expected, rel=REL)


@pytest.mark.parametrize("row", [r for r in BW if r["method"] == "Wilson"], ids=str)
def test_wilson_matches_reference_95_and_998(row: dict[str, str]) -> None:
    est = proportion_ci(float(row["x"]), float(row["n"]), _conf(row["confidence"]))
    _close(est.lower, float(row["lower"]))
    _close(est.upper, float(row["upper"]))
    assert est.method == "Wilson"


@pytest.mark.parametrize("row", [r for r in BW if r["method"] == "Byars"], ids=str)
def test_byars_matches_reference_including_undefined_lower_limit(row: dict[str, str]) -> None:
    est = count_ci(float(row["x"]), _conf(row["confidence"]), method="Byars")
    _close(est.lower, float(row["lower"]) if row["lower"] else None)
    _close(est.upper, float(row["upper"]))


@pytest.mark.parametrize("row", [r for r in PROPS if r["numerator"] and r["denominator"]], ids=str)
def test_proportion_matches_reference_with_multiplier(row: dict[str, str]) -> None:
    est = proportion_ci(
        float(row["numerator"]),
        float(row["denominator"]),
        confidence=float(row["confidence"]),
        multiplier=float(row["multiplier"]),
    )
    _close(est.value, float(row["value"]))
    _close(est.lower, float(row["lower"]))
    _close(est.upper, float(row["upper"]))


@pytest.mark.parametrize(
    "row", [r for r in PROPS if not (r["numerator"] and r["denominator"])], ids=str
)
def test_proportion_rejects_the_reference_rows_with_missing_input(row: dict[str, str]) -> None:
    num = float(row["numerator"]) if row["numerator"] else None
    den = float(row["denominator"]) if row["denominator"] else None
    with pytest.raises(ValueError, match="saknas"):
        proportion_ci(num, den)  # type: ignore[arg-type]


def _dsr_inputs(area: str) -> dict:
    if area in DSR_ISR["areas"]:
        return dict(DSR_ISR["areas"][area])
    if area == "testdata_1976":
        return dict(DSR_ISR["esp1976_case"])
    case = DSR_ISR["nonindependent"][area]
    return {**case, "independent": False}


DSR_CASES = [
    (r, conf, limits) for r in DSR_ISR["dsr_results"] for conf, limits in r["limits"].items()
]


@pytest.mark.parametrize(("result", "conf", "limits"), DSR_CASES, ids=lambda x: str(x)[:40])
def test_dsr_matches_reference(result: dict, conf: str, limits: list) -> None:
    est = dsr(
        **_dsr_inputs(result["area"]), confidence=float(conf), multiplier=result["multiplier"]
    )
    if result["value"] is None:  # fewer than 10 events: not published, with a Swedish reason
        assert est.value is None and est.lower is None and est.upper is None
        assert "färre än 10" in (est.note or "")
        return
    _close(est.value, result["value"])
    _close(est.lower, limits[0])
    _close(est.upper, limits[1])
    assert est.method.startswith("Dobson")


ISR_CASES = [
    (r, conf, limits) for r in DSR_ISR["isr_results"] for conf, limits in r["limits"].items()
]


@pytest.mark.parametrize(("result", "conf", "limits"), ISR_CASES, ids=lambda x: str(x)[:40])
def test_isr_and_isratio_match_reference(result: dict, conf: str, limits: list) -> None:
    area = DSR_ISR["areas"].get(result["area"]) or DSR_ISR["err2_areas"][result["area"]]
    ref = DSR_ISR["reference"]
    method = isr if result["kind"] == "rate" else isratio
    est = method(
        area["counts"],
        area["populations"],
        ref["counts"],
        ref["populations"],
        confidence=float(conf),
        multiplier=result["multiplier"],
    )
    _close(est.value, result["value"])
    _close(est.lower, limits[0])
    _close(est.upper, limits[1])
    assert est.method == result["method"]  # "Exact" below 10 events, "Byars" from 10


@pytest.mark.parametrize(
    ("sheet", "fragment"),
    [("testdata_err1", "negativt"), ("testdata_err3", "negativt"), ("testdata_err4", "negativt")],
)
def test_dsr_rejects_the_reference_error_sheets(sheet: str, fragment: str) -> None:
    case = DSR_ISR["errors"][sheet]
    with pytest.raises(ValueError, match=fragment):
        dsr(case["counts"], case["populations"], case["standard"])


def test_dsr_rejects_events_in_a_band_without_population_err2() -> None:
    case = DSR_ISR["err2_areas"]["Area1"]
    with pytest.raises(ValueError, match="befolkningen i åldersgrupp 2 är 0"):
        dsr(case["counts"], case["populations"])


def _sii_confidences(desc: str) -> list[float]:
    # The sheet's Confidence column is not reliable for the 98 % cases; the description is.
    if "multiple CIs" in desc:
        return [0.95, 0.99]
    if "95 and 98" in desc or "95% and 98%" in desc:
        return [0.95, 0.98]
    if "98%" in desc:
        return [0.98]
    if "99%" in desc:
        return [0.99]
    return [0.95]


def _sii_multiplier(desc: str) -> float:
    if "x -100" in desc:
        return -100
    if "x 100" in desc:
        return 100
    return -1 if "negative multiplier" in desc else 1


SII_OK = [
    (c, j, conf)
    for c in SII_CASES
    if c["expected"]
    for j, conf in enumerate(_sii_confidences(c["description"]), 1)
]


@pytest.mark.parametrize(
    ("case", "j", "conf"), SII_OK, ids=lambda x: x["description"] if isinstance(x, dict) else str(x)
)
def test_sii_and_rii_match_reference(case: dict, j: int, conf: float) -> None:
    desc, exp = case["description"], case["expected"]
    res = sii(
        case["value"],
        case["population"],
        case["lower"],
        case["upper"],
        value_type=case["value_type"],
        confidence=conf,
        repetitions=case["repetitions"],
        seed=20240501,
        rii="without rii" not in desc,
        multiplier=_sii_multiplier(desc),
        transform="transform" in desc,
    )
    _close(res.sii.value, exp["sii"])
    if exp["Intercept"] is not None:
        _close(res.intercept, exp["Intercept"])
    if exp["rii"] is None:
        assert res.rii is None
    else:
        assert res.rii is not None
        _close(res.rii.value, exp["rii"])
    if exp[f"sii_lowercl_{j}"] is None:  # the quintile case carries no limits
        return
    assert res.sii.lower == pytest.approx(exp[f"sii_lowercl_{j}"], abs=SII_LIMIT_TOL)
    assert res.sii.upper == pytest.approx(exp[f"sii_uppercl_{j}"], abs=SII_LIMIT_TOL)
    if res.rii is not None:
        assert res.rii.lower == pytest.approx(exp[f"rii_lowercl_{j}"], abs=SII_LIMIT_TOL)
        assert res.rii.upper == pytest.approx(exp[f"rii_uppercl_{j}"], abs=SII_LIMIT_TOL)


def test_sii_accepts_standard_errors_instead_of_limits() -> None:
    case = next(
        c
        for c in SII_CASES
        if c["description"].startswith("rate (e.g. infant mortality) - default")
    )
    from_limits = sii(
        case["value"], case["population"], case["lower"], case["upper"], value_type=1, seed=1
    )
    from_se = sii(case["value"], case["population"], se=case["se"], value_type=1, seed=1)
    assert from_se.sii.value == pytest.approx(from_limits.sii.value)
    assert from_se.sii.lower == pytest.approx(from_limits.sii.lower, abs=1e-3)
    assert from_se.sii.upper == pytest.approx(from_limits.sii.upper, abs=1e-3)


SII_ERRORS = {
    "error handling - negative populations": "negativt",
    "error handling - negative counts/standard error": "negativt",
    "error handling - invalid proportion in CLs": "inte mellan konfidensgränserna",
    "error handling - missing value field": "saknar värde",
    "error handling - missing confidence limits and se": "saknar värde",
    "warning handling - missing populations, counts or values": "saknar värde",
}


@pytest.mark.parametrize("desc", list(SII_ERRORS))
def test_sii_rejects_the_reference_error_cases(desc: str) -> None:
    case = next(c for c in SII_CASES if c["description"] == desc)
    se_given = "standard error" in desc
    with pytest.raises(ValueError, match=SII_ERRORS[desc]):
        sii(
            [float("nan") if x is None else x for x in case["value"]],
            [float("nan") if x is None else x for x in case["population"]],
            None if se_given else [float("nan") if x is None else x for x in case["lower"]],
            None if se_given else [float("nan") if x is None else x for x in case["upper"]],
            se=case["se"] if se_given else None,
            value_type=case["value_type"],
            repetitions=1000,
        )
