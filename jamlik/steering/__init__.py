"""The steering loop (styrsnurra): plan → follow up and analyse → act, for many users.

```python
from jamlik.steering import open_workflow, follow_up, SYSTEM
wf = open_workflow()                      # JAMLIK_DATABASE_URL or a SQLite file
wf.save_organisation(SYSTEM, "2080", "Falu kommun")
fu = follow_up(wf, store, "2080", 2022)   # goals, indicators, status, deviations
```
"""

from jamlik.steering._auth import (
    ANONYMOUS,
    ROLE_LABELS_SV,
    ROLE_PERMISSIONS,
    SYSTEM,
    Actor,
    Permission,
    Role,
)
from jamlik.steering._db import current_revision, default_database_url, head_revision
from jamlik.steering._errors import (
    ConflictError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    SteeringError,
)
from jamlik.steering._followup import (
    DEVIATION_LABELS_SV,
    STATUS_LABELS_SV,
    STATUS_RULE_SV,
    FollowUp,
    GoalFollowUp,
    IndicatorFollowUp,
    assess,
    follow_up,
    to_markdown,
)
from jamlik.steering._login import TooManyAttempts, sign_in
from jamlik.steering._plan_file import PlanImport, import_plan, import_plan_data
from jamlik.steering._workflow import QUADRANTS_SV, RankedAction, Workflow, open_workflow, quadrant

__all__ = [
    "ANONYMOUS", "DEVIATION_LABELS_SV", "QUADRANTS_SV", "ROLE_LABELS_SV", "ROLE_PERMISSIONS",
    "STATUS_LABELS_SV", "STATUS_RULE_SV", "SYSTEM", "Actor", "ConflictError", "FollowUp",
    "GoalFollowUp", "IndicatorFollowUp", "InvalidInput", "NotAuthenticated", "NotFound",
    "Permission", "PermissionDenied", "PlanImport", "RankedAction", "Role", "SteeringError",
    "TooManyAttempts",
    "Workflow", "assess", "current_revision", "default_database_url", "follow_up",
    "head_revision", "import_plan", "import_plan_data", "open_workflow", "quadrant", "sign_in",
    "to_markdown",
]
