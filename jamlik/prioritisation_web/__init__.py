"""Pages of the prioritisation under ``/prioritering`` (issue 16): the participant's form, the
facilitator's live dashboard, results and the round report. See docs/PRIORITISATION.md.

This capability never imports another: the composition root (``jamlik.app``) hands it the
workflow database, who is signed in and the hand-over to the steering loop's action plan
through ``configure``.
"""

from jamlik.prioritisation_web._pages import PREFIX, WORDS, Identity, configure, router

__all__ = ["PREFIX", "WORDS", "Identity", "configure", "router"]
