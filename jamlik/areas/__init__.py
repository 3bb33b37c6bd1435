"""Areas below the municipality: cross-tables with disclosure control, DeSO/RegSO, segregation.

See docs/AREAS.md.
"""

from jamlik.areas.crosstab import DEFAULT_THRESHOLD, TOTAL, CrossTable, crosstab

__all__ = ["DEFAULT_THRESHOLD", "TOTAL", "CrossTable", "crosstab"]
