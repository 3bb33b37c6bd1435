"""The social-investment pages under /ekonomi (issue 17): case editor and results, report,
fund overview. A capability: mounted by jamlik/app.py, never imported by another one."""

from jamlik.economics_web.web import PREFIX, WORDS, Identity, configure, router

__all__ = ["PREFIX", "WORDS", "Identity", "configure", "router"]
