"""Breakdown dimensions and whether their categories have a natural order (needed by SII/RII/CI)."""

from __future__ import annotations

# Code names of the breakdown dimensions (see the glossary: breakdown = dimension + category).
DIMENSIONS: tuple[str, ...] = (
    "sex",
    "education",
    "birth_region",
    "age",
    "income_quintile",
    "area_type",
)
# Ordered from most to least disadvantaged (or the reverse): ordered measures of inequality apply.
ORDERED_DIMENSIONS: frozenset[str] = frozenset({"education", "income_quintile", "area_type"})

_NAMES_SV = {
    "sex": "kön",
    "education": "utbildningsnivå",
    "birth_region": "födelseregion",
    "age": "åldersgrupp",
    "income_quintile": "inkomstkvintil",
    "area_type": "områdestyp",
}


def dimension_name_sv(dimension: str) -> str:
    """The Swedish UI word for a dimension code."""
    return _NAMES_SV.get(dimension, dimension)


def is_ordered(dimension: str) -> bool:
    """True for education, income_quintile and area_type; ValueError for an unknown dimension."""
    if dimension not in DIMENSIONS:
        known = ", ".join(DIMENSIONS)
        raise ValueError(f'okänd uppdelning "{dimension}" — välj en av: {known}.')
    return dimension in ORDERED_DIMENSIONS


def require_ordered(dimension: str | None, measure_sv: str) -> None:
    """Refuse an ordered measure (SII, RII, concentration index) on a non-ordered dimension."""
    if dimension is not None and not is_ordered(dimension):
        raise ValueError(
            f"{measure_sv} kräver grupper med en naturlig ordning (utbildning, inkomst, "
            f"områdestyp), men {dimension_name_sv(dimension)} saknar ordning — använd i stället "
            "ett mått för icke-ordnade grupper, t.ex. skillnad, kvot eller mellangruppsvarians."
        )
