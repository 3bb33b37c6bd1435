"""The knowledge bank (issue 18): good examples, methods and evaluations others can learn from.

```python
from jamlik.knowledge import load_bank, search
hits = search(load_bank(), "familjecentral", municipality="2085")
```
The shipped bank holds the ten examples of the Samling för social hållbarhet i Dalarna's
municipality pages (data/good_examples.csv); see docs/KNOWLEDGE.md for the fields, the
evidence scale, the search and the file format.
"""

from typing import TYPE_CHECKING

from jamlik.knowledge._bank import (
    DEFAULT_SOURCE,
    BankError,
    default_bank_path,
    export_examples,
    import_examples,
    load_bank,
    read_examples,
    write_bank,
)
from jamlik.knowledge._feed import SHIPPED_ON, atom_feed
from jamlik.knowledge._model import COLUMNS, EVIDENCE_LEVELS, KINDS, SECTORS, Example
from jamlik.knowledge._related import REASONS as RELATED_REASONS
from jamlik.knowledge._related import Related, related_examples, related_to_indicator
from jamlik.knowledge._search import SYNONYMS, Hit, facets, fold, search, stem, terms
from jamlik.lazy import lazy_exports

if TYPE_CHECKING:
    from jamlik.knowledge._initiatives import (
        CHECKLISTS,
        DECISIONS,
        PHASES,
        RECORD_KINDS,
        STAGES,
        IdeaView,
        Initiatives,
        InitiativeView,
        initiative_report,
    )
    from jamlik.knowledge._review import (
        ROLES,
        STATES,
        Entry,
        ReviewDesk,
        ReviewError,
        RoleEvent,
        parse_example,
    )

# The review desk and the initiatives are SQLAlchemy models (0.4 s to import): imported on first
# use, so the portal's pages, which read the bank only, do without them.
__getattr__, __dir__ = lazy_exports(__name__, {
    "_initiatives": ("CHECKLISTS", "DECISIONS", "PHASES", "RECORD_KINDS", "STAGES", "IdeaView",
                     "Initiatives", "InitiativeView", "initiative_report"),
    "_review": ("ROLES", "STATES", "Entry", "ReviewDesk", "ReviewError", "RoleEvent",
                "parse_example"),
})

__all__ = [
    "CHECKLISTS", "DECISIONS", "PHASES", "RECORD_KINDS", "STAGES", "IdeaView", "InitiativeView",
    "Initiatives", "initiative_report",
    "COLUMNS", "DEFAULT_SOURCE", "ROLES", "SHIPPED_ON", "STATES", "Entry", "ReviewDesk", "ReviewError", "RoleEvent",
    "atom_feed", "parse_example", "EVIDENCE_LEVELS", "KINDS", "SECTORS", "BankError", "Example",
    "Hit", "RELATED_REASONS", "Related", "SYNONYMS", "default_bank_path", "export_examples", "facets", "fold", "import_examples",
    "load_bank", "read_examples", "related_examples", "related_to_indicator", "search", "stem", "terms", "write_bank",
]
