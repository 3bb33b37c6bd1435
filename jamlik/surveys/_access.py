"""Who may see what of the survey data before it is published.

Published aggregates (``survey publish``, the ``/enkater`` pages) are public statistics. The
survey tables themselves — and any estimate made directly from them — are for analysts only:

- a **regional analyst** (role ``analyst`` or ``admin`` region-wide) sees every municipality
  and the county;
- a **survey owner** of a municipality (``analyst`` or ``admin`` in that organisation) sees
  only its own municipality's pupils: estimates, cohorts and response rates are computed from
  them alone, so nothing of another municipality leaks through a weight or a total;
- everyone else (``viewer``, ``editor``, the public) sees only what is published.

The roles are the steering loop's memberships (``jamlik user …``); the CLI turns a user's
memberships into a ``SurveyAccess`` (``--user NAME``) and hands it to ``estimate`` and
``cohort_transitions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jamlik.errors import JamlikError

REGION = "region"
_RAW_ROLES = frozenset({"analyst", "admin"})


class SurveyAccessError(JamlikError, PermissionError):
    """The user may not see unpublished survey data (the message says why, in Swedish)."""


@dataclass(frozen=True)
class SurveyAccess:
    #: None: every municipality (regional analyst); else the municipalities the user owns
    municipalities: frozenset[str] | None

    @classmethod
    def everything(cls) -> SurveyAccess:
        return cls(None)

    @classmethod
    def from_memberships(cls, username: str,
                         memberships: Iterable[tuple[str, str]]) -> SurveyAccess:
        """(scope, role) pairs as the steering loop keeps them → the user's survey access."""
        rows = list(memberships)
        if any(scope == REGION and role in _RAW_ROLES for scope, role in rows):
            return cls(None)
        own = frozenset(scope for scope, role in rows if scope != REGION and role in _RAW_ROLES)
        if not own:
            raise SurveyAccessError(
                f"{username} har ingen roll som analytiker eller administratör i regionen eller "
                "i en kommun: enkätsvaren får bara användas av den som äger enkäten. De "
                "publicerade resultaten finns under /enkater.")
        return cls(own)

    def sql(self, column: str = "municipality") -> tuple[str, list[object]]:
        """A WHERE fragment (starting with AND) and its parameters limiting rows to the scope."""
        if self.municipalities is None:
            return "", []
        codes = sorted(self.municipalities)
        return f" AND {column} IN ({', '.join('?' for _ in codes)})", list(codes)
