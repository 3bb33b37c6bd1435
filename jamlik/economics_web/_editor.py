"""The case editor's form ↔ a case's data (TOML-shaped, as ``case_from_dict`` reads it).

Any case can be edited: the blank case, any shipped example, any saved version. The form's
field names are the data's paths (``target_group.uptake``, ``cost.0.amount``, a range as
``….low`` / ``….high``); each list of costs and outcomes gets one empty row to add another, and a
row whose amount is emptied is removed. A number a user changes gets the source "eget värde
(användaren)" and is marked as the user's own. The parenting example's short names of the
first editor (``deltagande``, ``risk``, ``d``, ``se``, ``kostnad``, ``uppstart``,
``kommun_kostnad``, ``region_kostnad``, ``ranta``) stay accepted as aliases.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jamlik.economics import MEASURE_EN, MEASURE_SV, MEASURES, PAYER_WORDS, PAYERS
from jamlik.economics.library import unit_cost, unit_costs
from jamlik.format import fmt_num

OWN = "eget värde (användaren)"

#: the first editor's names (parenting example) → the data's paths
ALIASES = {
    "deltagande": "target_group.uptake",
    "risk": "target_group.baseline_risk",
    "d": "effect.estimate",
    "se": "effect.se",
    "kostnad": "cost.1.amount",
    "uppstart": "cost.0.amount",
    "kommun_kostnad": "outcome.0.amount",
    "region_kostnad": "outcome.1.amount",
    "ranta": "case.discount_rate",
}

#: a choice is (value, (Swedish, English)); a label is (Swedish, English) — pages pick with t.word
Pair = tuple[str, str]
PAYER_CHOICES = tuple((p, PAYER_WORDS[p]) for p in PAYERS)
KIND_CHOICES = (("setup", ("uppstart", "set-up")), ("running", ("drift", "running")))
PER_CHOICES = (("participant", ("per deltagare och år", "per participant and year")),
               ("total", ("totalt per år", "total per year")))
MEASURE_CHOICES = tuple((m, (MEASURE_SV[m], MEASURE_EN[m])) for m in MEASURES)

# (path, (Swedish, English) label, kind) — kind: text, num, int, param, choice, ints
_HEAD: tuple[tuple[str, Pair, str], ...] = (
    ("case.title", ("Rubrik", "Title"), "text"),
    ("case.price_year", ("Prisår", "Price year"), "int"),
    ("case.horizons", ("Horisonter (år, t.ex. 2, 10, 15)", "Horizons (years, e.g. 2, 10, 15)"),
     "ints"),
    ("case.discount_rate", ("Diskonteringsränta (real, andel)", "Discount rate (real, share)"),
     "param"),
)
_GROUP: tuple[tuple[str, Pair, str], ...] = (
    ("target_group.size", ("Målgruppens storlek (antal personer)",
                           "Size of the target group (people)"), "param"),
    ("target_group.uptake", ("Andel som deltar", "Uptake (share taking part)"), "param"),
    ("target_group.baseline_risk", ("Risk för utfallet utan insats",
                                    "Risk of the outcome without the intervention"), "param"),
    ("target_group.counterfactual", ("Jämförelsealternativ (utan insats)",
                                     "Counterfactual (without the intervention)"), "text"),
)
_EFFECT: tuple[tuple[str, Pair, str], ...] = (
    ("effect.measure", ("Effektmått", "Effect measure"), "choice"),
    ("effect.estimate", ("Effekt", "Effect"), "num"),
    ("effect.se", ("Effektens standardfel", "Standard error of the effect"), "num"),
    ("effect.source", ("Effektens källa", "Source of the effect"), "text"),
)
_COURSE: tuple[tuple[str, Pair, str], ...] = (
    ("effect_course.onset", ("Effekten börjar år", "The effect starts in year"), "int"),
    ("effect_course.duration", ("Effekten varar (år)", "The effect lasts (years)"), "int"),
    ("effect_course.decay", ("Avtagande per år (andel)", "Fade-out per year (share)"), "param"),
    ("effect_course.deadweight", ("Dödvikt (andel som ändå hade klarat sig)",
                                  "Deadweight (share who would have done well anyway)"),
     "param"),
    ("effect_course.displacement", ("Undanträngning (andel)", "Displacement (share)"), "param"),
)
_COST: tuple[tuple[str, Pair, str], ...] = (
    ("label", ("Vad", "What"), "text"),
    ("payer", ("Betalare", "Payer"), "choice"),
    ("kind", ("Slag", "Kind"), "choice"),
    ("per", ("Belopp gäller", "Amount applies"), "choice"),
    ("years", ("År (t.ex. 1, 2)", "Years (e.g. 1, 2)"), "ints"),
    ("library", ("Belopp ur biblioteket (Kolada)", "Amount from the library (Kolada)"), "choice"),
    ("amount", ("Belopp (kr)", "Amount (SEK)"), "param"),
)
_OUTCOME: tuple[tuple[str, Pair, str], ...] = (
    ("label", ("Vad", "What"), "text"),
    ("payer", ("Betalare", "Payer"), "choice"),
    ("library", ("Kostnad ur biblioteket (Kolada)", "Cost from the library (Kolada)"), "choice"),
    ("amount", ("Kostnad per person och år med utfallet (kr)",
                "Yearly cost per person with the outcome (SEK)"), "param"),
    ("from_year", ("Från år", "From year"), "int"),
    ("to_year", ("Till och med år (tomt = till horisonten)",
                 "Up to and including year (empty = to the horizon)"), "int"),
)
#: the library's labels are Kolada's Swedish names (data, like indicator titles)
LIBRARY_CHOICES = (("", ("eget belopp (fältet nedan)", "own amount (the field below)")),) + \
    tuple((key, (f"{unit_cost(key).label_sv} ({unit_cost(key).unit})",) * 2)
          for key in unit_costs())
_CHOICES = {"effect.measure": MEASURE_CHOICES, "payer": PAYER_CHOICES, "kind": KIND_CHOICES,
            "per": PER_CHOICES, "library": LIBRARY_CHOICES}
#: the fieldsets' legends
_LEGENDS: dict[str, Pair] = {
    "case": ("Fallet", "The case"),
    "target_group": ("Målgrupp och utgångsläge", "Target group and starting point"),
    "effect": ("Effekt", "Effect"),
    "effect_course": ("Effektens förlopp", "Course of the effect"),
    "cost": ("Programkostnad", "Programme cost"),
    "outcome": ("Kostnad för utfallet", "Cost of the outcome"),
    "add_row": ("lägg till en rad", "add a row"),
}


@dataclass
class FormField:
    name: str
    label: Pair
    kind: str
    value: str = ""
    low: str = ""
    high: str = ""
    source: str = ""
    own: bool = False
    choices: tuple[tuple[str, Pair], ...] = ()


@dataclass
class Section:
    key: str
    legend: Pair
    fields: list[FormField] = field(default_factory=list)
    new: bool = False  # the empty row for adding one


# -- paths in the data --------------------------------------------------------------------------
def _get(data: Any, path: str) -> Any:  # noqa: ANN401
    node = data
    for part in path.split("."):
        if isinstance(node, list):
            i = int(part)
            node = node[i] if i < len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
        if node is None:
            return None
    return node


def _set(data: dict[str, Any], path: str, value: Any) -> None:  # noqa: ANN401
    parts = path.split(".")
    node: Any = data
    for here, nxt in zip(parts[:-1], parts[1:], strict=True):
        if isinstance(node, list):
            i = int(here)
            while len(node) <= i:
                node.append({})
            node = node[i]
        else:
            if node.get(here) is None:
                node[here] = [] if nxt.isdigit() else {}
            node = node[here]
    last = parts[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
    else:
        node[last] = value


def _value(raw: Any) -> tuple[float | None, float | None, float | None, str]:  # noqa: ANN401
    """(value, low, high, source) of a plain number or a {value, low, high, source} table."""
    if isinstance(raw, Mapping):
        rng = raw.get("range")
        low, high = (rng if isinstance(rng, list) and len(rng) == 2
                     else (raw.get("low"), raw.get("high")))
        return raw.get("value"), low, high, str(raw.get("source") or "")
    return raw, None, None, ""


def _show(x: Any) -> str:  # noqa: ANN401
    if x is None or isinstance(x, bool):
        return ""
    if isinstance(x, int | float):
        return f"{x:g}".replace(".", ",").replace("-", "−") if math.isfinite(x) else ""
    return str(x)


def _field(data: Mapping[str, Any], path: str, label: Pair, kind: str, own: set[str],
           choice_key: str) -> FormField:
    raw = _get(data, path)
    f = FormField(path, label, kind, choices=_CHOICES.get(choice_key, ()),
                  own=path in own)
    if kind == "param":
        v, lo, hi, src = _value(raw)
        f.value, f.low, f.high, f.source = _show(v), _show(lo), _show(hi), src
    elif kind == "ints":
        f.value = ", ".join(str(x) for x in raw) if isinstance(raw, list) else _show(raw)
    else:
        f.value = _show(raw)
    return f


def sections(data: Mapping[str, Any], own: set[str]) -> list[Section]:
    """The editor's fieldsets for ``data`` (every cost and outcome row and one empty each)."""
    out = [Section(key, _LEGENDS[key])
           for key in ("case", "target_group", "effect", "effect_course")]
    for sec, spec in zip(out, (_HEAD, _GROUP, _EFFECT, _COURSE), strict=True):
        sec.fields = [_field(data, p, label, kind, own, p) for p, label, kind in spec]
    for key, spec in (("cost", _COST), ("outcome", _OUTCOME)):
        rows = data.get(key) or []
        sv, en = _LEGENDS[key]
        for i in range(len(rows) + 1):
            legend = ((f"{sv} {i + 1}", f"{en} {i + 1}") if i < len(rows) else
                      (f"{sv}: {_LEGENDS['add_row'][0]}", f"{en}: {_LEGENDS['add_row'][1]}"))
            sec = Section(f"{key}.{i}", legend, new=i == len(rows))
            sec.fields = [_field(data, f"{key}.{i}.{name}", label, kind, own, name)
                          for name, label, kind in spec]
            out.append(sec)
    return out


# -- reading the form -----------------------------------------------------------------------
def _number(raw: str) -> float:
    text = raw.strip().replace("\u2212", "-").replace("\u202f", "").replace("\xa0", "")
    text = text.replace(" ", "").replace(",", ".")
    x = float(text)
    if not math.isfinite(x):
        raise ValueError(raw)
    return x


def apply_form(base: Mapping[str, Any], params: Mapping[str, str]
               ) -> tuple[dict[str, Any], set[str], list[str]]:
    """The case data after the form's values (``params``: field name → text), the paths whose
    numbers the user changed, and Swedish errors for what is not a number."""
    data = copy.deepcopy(dict(base))
    own: set[str] = set()
    errors: list[str] = []
    given = dict(params)
    for alias, path in ALIASES.items():
        if alias in given and path not in given and _get(base, path.rsplit(".", 1)[0]) is not None:
            given[path] = given.pop(alias)
    specs = [(p, label, kind) for p, label, kind in (*_HEAD, *_GROUP, *_EFFECT, *_COURSE)]
    for key, spec in (("cost", _COST), ("outcome", _OUTCOME)):
        count = len(data.get(key) or [])
        specs += [(f"{key}.{i}.{name}", label, kind) for i in range(count + 1)
                  for name, label, kind in spec]
    removed: dict[str, set[int]] = {"cost": set(), "outcome": set()}
    for path, label, kind in specs:
        if path not in given and f"{path}.low" not in given:
            continue
        text = given.get(path, "").strip()
        parts = path.split(".")
        if parts[0] in removed and parts[2] == "amount" and not text and \
                not given.get(f"{parts[0]}.{parts[1]}.library"):
            removed[parts[0]].add(int(parts[1]))
            continue
        try:
            if kind == "text" or kind == "choice":
                _set(data, path, text or None)
            elif kind == "int":
                _set(data, path, int(_number(text)) if text else None)
                if text and _number(text) != int(_number(text)):
                    errors.append(f"{label[0]}: {text!r} ska vara ett heltal.")
            elif kind == "ints":
                items = [int(_number(x)) for x in text.replace(";", ",").split(",") if x.strip()]
                _set(data, path, items or None)
            elif kind == "num":
                old = _get(base, path)
                new = _number(text) if text else None
                _set(data, path, new)
                if new is not None and new != old:
                    own.add(path)
                    if path.startswith("effect."):
                        _set(data, "effect.source", OWN)
            else:  # param
                _param_from_form(data, base, path, text, given, own)
        except (ValueError, TypeError):
            errors.append(f"{label[0]}: \"{text}\" är inget tal.")
    for key, gone in removed.items():
        kept: list[Any] = data.get(key) or []
        data[key] = [r for i, r in enumerate(kept)
                     if i not in gone and (r.get("amount") is not None or r.get("library"))]
        if not data[key]:
            data.pop(key, None)
    return data, own, errors


def _param_from_form(data: dict[str, Any], base: Mapping[str, Any], path: str, text: str,
                     given: Mapping[str, str], own: set[str]) -> None:
    old_v, old_lo, old_hi, src = _value(_get(base, path))
    value = (_number(text) if text else None) if path in given else old_v
    ranged = f"{path}.low" in given or f"{path}.high" in given
    if ranged:  # the editor's form sends both; a field left out keeps its value
        lo_t = given.get(f"{path}.low")
        hi_t = given.get(f"{path}.high")
        low = old_lo if lo_t is None else (_number(lo_t) if lo_t.strip() else None)
        high = old_hi if hi_t is None else (_number(hi_t) if hi_t.strip() else None)
    else:  # a link with the first editor's names: no range fields
        low, high = old_lo, old_hi
        if value is not None and low is not None and high is not None and \
                not low <= value <= high:
            low = high = None  # the user's value replaces the range it left
    if value is None:
        _set(data, path, None)
        return
    changed = (value, low, high) != (old_v, old_lo, old_hi)
    if changed:
        own.add(path)
    source = OWN if changed else src
    if low is None and high is None and not source:
        _set(data, path, value)
    else:
        table: dict[str, Any] = {"value": value}
        if low is not None or high is not None:
            table.update(low=low, high=high)
        if source:
            table["source"] = source
        _set(data, path, table)


def store_link(data: Mapping[str, Any]) -> tuple[str, float] | None:
    """(indicator, share) when the case's target group is sized from the store."""
    link = _get(data, "target_group.from_store")
    if isinstance(link, Mapping) and link.get("indicator"):
        share = link.get("share", 1.0)
        return str(link["indicator"]), float(share if share is not None else 1.0)
    return None


def share_text(x: float) -> str:
    return fmt_num(x, "sv", 2).rstrip("0").rstrip(",") if x != int(x) else str(int(x))


__all__ = ["ALIASES", "OWN", "FormField", "Section", "apply_form", "sections", "share_text",
           "store_link"]
