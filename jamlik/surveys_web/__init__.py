"""The survey pages (a capability), under ``/enkater``: published student-health and survey
results per municipality and the county, by grade and sex, with limits, response rates, trends
and downloads. They read only the published aggregates in the store (``jamlik survey
publish``), never the survey tables; docs/SURVEYS.md."""

from jamlik.surveys_web._words import WORDS
from jamlik.surveys_web.web import configure, router

__all__ = ["WORDS", "configure", "router"]
