"""Prioritising together (issue 16): action catalogues, rounds of scoring with home
consultations, Delphi feedback, agreement statistics and "ingen tydlig topplista".

The workflow lives on the workflow database (SQLAlchemy; tables ``prio_*`` created by the
Alembic migration 0007 in ``jamlik/steering/migrations``), the statistics in ``jamlik.stats``.
This package sits in the domain layer: it imports ``stats``, ``io``, ``format`` and ``store``
only, never a capability; its pages are ``jamlik.prioritisation_web`` and the hand-over to the
steering loop happens in the composition root (``jamlik.app.send_to_action_plan``).
See docs/PRIORITISATION.md.
"""

from jamlik.prioritisation._catalogue import (
    COLUMNS,
    SAMLING_KEY,
    ProposalData,
    read_catalogue,
    samling_path,
    samling_proposals,
    write_catalogue,
)
from jamlik.prioritisation._errors import (
    AlreadySubmitted,
    InvalidAnswer,
    NotFound,
    PermissionDenied,
    PrioritisationError,
    RoundNotOpen,
)
from jamlik.prioritisation._report import FORMATS, render_html, render_report
from jamlik.prioritisation._results import ProposalResult, RoundResults, ThemeResult
from jamlik.prioritisation._service import (
    CHOICE_FORMATS,
    KIND_LABELS_SV,
    MEMBER_ROLES,
    SAMLING_CRITERIA,
    STATE_LABELS_SV,
    Prioritisation,
)

__all__ = [
    "CHOICE_FORMATS", "COLUMNS", "FORMATS", "render_html", "render_report", "KIND_LABELS_SV", "MEMBER_ROLES", "SAMLING_CRITERIA",
    "SAMLING_KEY", "STATE_LABELS_SV", "AlreadySubmitted", "InvalidAnswer", "NotFound",
    "PermissionDenied", "Prioritisation", "PrioritisationError", "ProposalData",
    "ProposalResult", "RoundNotOpen", "RoundResults", "ThemeResult", "read_catalogue",
    "samling_path", "samling_proposals", "write_catalogue",
]
