"""Own surveys (ELSA-like student-health dialogues, Lupp): questionnaires, pseudonymised
responses and disclosure-controlled estimates. See docs/SURVEYS.md.

```python
from jamlik.surveys import generate_wave, import_wave, estimate, survey_key
generate_wave(2000, Path("våg"), seed=1)
import_wave(store, Path("våg"), survey_key())
rows = estimate(store, "halsa", ["municipality", "grade", "sex"])
```
"""

from jamlik.surveys._access import SurveyAccess, SurveyAccessError
from jamlik.surveys._cohort import TransitionRow, cohort_transitions
from jamlik.surveys._definition import (
    DefinitionError,
    Question,
    Questionnaire,
    load_questionnaire,
    parse_questionnaire,
)
from jamlik.surveys._estimate import (
    BREAKDOWNS,
    DEFAULT_THRESHOLD,
    METHOD_SV,
    UNWEIGHTED_METHOD_SV,
    SurveyEstimate,
    estimate,
    method_sv,
    questionnaire,
    waves,
    weighted_responses,
)
from jamlik.surveys._generate import GeneratedWave, generate_wave
from jamlik.surveys._import import (
    KEY_ENV,
    SurveyImportReport,
    SurveyKeyError,
    WithdrawalReport,
    audit_log,
    import_wave,
    pseudonym,
    survey_key,
    withdraw_consent,
)
from jamlik.surveys._panel import generate_panel
from jamlik.surveys._publish import (
    PublishReport,
    SurveyGroup,
    indicator_id,
    publish_indicators,
    published_groups,
)

__all__ = [
    "BREAKDOWNS", "DEFAULT_THRESHOLD", "KEY_ENV", "METHOD_SV", "UNWEIGHTED_METHOD_SV",
    "DefinitionError", "GeneratedWave", "PublishReport", "Question", "Questionnaire",
    "SurveyEstimate", "SurveyGroup", "indicator_id", "publish_indicators", "published_groups",
    "SurveyAccess", "SurveyAccessError", "SurveyImportReport", "SurveyKeyError", "TransitionRow", "WithdrawalReport", "audit_log",
    "cohort_transitions", "estimate", "generate_panel", "generate_wave", "import_wave",
    "load_questionnaire", "method_sv", "parse_questionnaire", "pseudonym", "questionnaire",
    "survey_key", "waves", "weighted_responses", "withdraw_consent",
]
