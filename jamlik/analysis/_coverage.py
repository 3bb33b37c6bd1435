"""How many of an area's indicators could be significance-tested, and why the rest could not."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from jamlik.analysis._text import join_sv

_KPI_IN_REASON = re.compile(r" \([NU]\d{5}(?:\+[NU]\d{5})*\)")

#: Below this share of tested indicators the default colouring is the (relative) rank colouring.
SIGNIFICANCE_DEFAULT_MIN_SHARE = 0.5

_METHOD_KEYS = {
    ("derived", "Wilson"): "derived_wilson", ("derived", "Byars"): "derived_poisson",
    ("derived", "Exact"): "derived_poisson", ("margin", None): "margin",
    ("source", None): "source", ("wilson", None): "wilson", ("poisson", None): "poisson",
}
_METHOD_SV = {
    "derived_wilson": "härledda gränser med Wilsons metod",
    "derived_poisson": "härledda Poissongränser",
    "margin": "källans osäkerhetstal",
    "source": "källans konfidensintervall",
    "wilson": "Wilsons metod ur källans antal",
    "poisson": "Poissongränser ur källans antal",
}


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else getattr(row, key)


def coverage(rows: Iterable[Any]) -> dict[str, Any]:
    """Summary of a profile's rows (``ProfileRow`` or their dicts): tested, total, by method,
    the reasons for the untested ones, the default colouring and a Swedish sentence.

    ``default_colouring`` is "significance" when at least half the indicators have limits,
    else "rank" (relative, explained as such): a column of "ej testat" helps nobody.
    """
    rows = list(rows)
    total = len(rows)
    tested = [r for r in rows if _get(r, "tested")]
    methods: Counter[str] = Counter()
    for r in tested:
        src, method = _get(r, "limits_source"), _get(r, "limits_method")
        key = _METHOD_KEYS.get((src, method if src == "derived" else None), str(src))
        methods[key] += 1
    # Reasons that differ only in the KPI they name ("osäkerhetstal (U01511) …") count as one.
    reasons: Counter[str] = Counter(
        _KPI_IN_REASON.sub("", str(_get(r, "untested_reason") or "okänd orsak"))
        for r in rows if not _get(r, "tested"))
    share = len(tested) / total if total else 0.0
    default = "significance" if total and share >= SIGNIFICANCE_DEFAULT_MIN_SHARE else "rank"
    return {
        "tested": len(tested), "total": total, "share": share, "by_method": dict(methods),
        "untested": [{"reason": k, "count": n} for k, n in reasons.most_common()],
        "default_colouring": default, "text": coverage_sentence_sv(len(tested), total, methods,
                                                                   reasons, default),
        "text_en": coverage_sentence_en(len(tested), total, default),
    }


def coverage_sentence_sv(tested: int, total: int, methods: Counter[str],
                         reasons: Counter[str], default: str) -> str:
    """'12 av 64 indikatorer kunde signifikanstestas (9 med härledda gränser …). Övriga 52 …'"""
    if not total:
        return "Inga indikatorer har värden för området."
    how = join_sv([f"{n} med {_METHOD_SV.get(k, k)}" for k, n in methods.most_common()]) \
        if methods else ""
    text = f"{tested} av {total} indikatorer kunde signifikanstestas" + (f" ({how})" if how else "")
    rest = total - tested
    if rest:
        top = "; ".join(f"{n}: {k}" for k, n in reasons.most_common(4))
        more = "; …" if len(reasons) > 4 else ""
        text += f". Övriga {rest} saknar känd osäkerhet ({top}{more})"
    text += "."
    if default == "rank":
        text += (" Eftersom färre än hälften kunde testas visas placeringen som standardfärg; den "
                 "är relativ (bästa/sämsta fjärdedelen bland kommunerna) och inget "
                 "signifikanstest.")
    return text


def coverage_sentence_en(tested: int, total: int, default: str) -> str:
    """The English sentence: '12 of 64 indicators could be tested …' (the reasons, which are
    Swedish prose, are given under each indicator)."""
    if not total:
        return "No indicators have values for the area."
    text = f"{tested} of {total} indicators could be tested for statistical significance"
    if total - tested:
        text += (f"; the other {total - tested} have no known uncertainty (the reason is given "
                 "under each indicator)")
    text += "."
    if default == "rank":
        text += (" Because fewer than half could be tested, the default colouring is the rank, "
                 "which is relative (best/worst quarter among municipalities) and not a "
                 "significance test.")
    return text
