"""Portal pages for the steering loop under ``/styrning/…`` (a FastAPI ``APIRouter``).

The composition root (``jamlik.app.create_app``) wires it into the app::

    from jamlik.steering import web
    app.include_router(web.router)
    web.configure(app, store=store, store_lock=lock)   # optional; defaults come from the env

Every endpoint declares the permission it needs; forms carry a CSRF token; edits carry the
version they started from and get a 409 page in Swedish when someone else saved in between.

The package: ``_context`` (the workflow database and store the pages use), ``_deps`` (the
signed-in actor, permission and CSRF dependencies), ``_forms`` (form fields as typed values),
``_render`` (templates on the shared web layout, errors as pages) and ``_routes`` (the router).
"""

from jamlik.steering.web._context import PROFILE_TTL, SteeringContext, configure, context
from jamlik.steering.web._deps import csrf_protect, current_actor, requires
from jamlik.steering.web._forms import _float, format_causes, parse_causes
from jamlik.steering.web._render import sdg_label, target_area_label, templates
from jamlik.steering.web._routes import router

__all__ = [
    "PROFILE_TTL", "SteeringContext", "_float", "configure", "context", "csrf_protect",
    "current_actor", "format_causes", "parse_causes", "requires", "router", "sdg_label",
    "target_area_label", "templates",
]
