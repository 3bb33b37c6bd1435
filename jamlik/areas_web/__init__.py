"""The pages of the areas below the municipality (a capability), under ``/omraden``: the DeSO
map, district profiles, the områdestyp gradient, segregation over DeSO and RegSO and the
cross-table builder. The logic is ``jamlik.areas``; docs/AREAS.md."""

from jamlik.areas_web._words import WORDS
from jamlik.areas_web.web import configure, router

__all__ = ["WORDS", "configure", "router"]
