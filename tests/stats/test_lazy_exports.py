"""``jamlik.stats`` and ``jamlik.knowledge`` import their heavy modules on first use (PEP 562,
``jamlik.lazy``): every re-exported name still resolves to the defining module's object, the
name lists match the modules, and importing the portal pulls in neither SciPy (``scipy.stats``
≈ 1 s, ``scipy.special`` ≈ 0.2 s) nor SQLAlchemy (0.4 s) — what the first fact sheet of a new
process would wait for."""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import jamlik.knowledge
import jamlik.stats
from tests.fresh_process import imported_after

#: The modules jamlik.stats re-exported with ``from … import *`` before it became lazy.
STAR = {"agreement", "ahp", "appropriateness", "compare", "forced_choice", "lexicographic",
        "ranking", "segregation", "survey_design", "trend"}


def test_every_name_jamlik_stats_re_exports_is_the_defining_module_s_object() -> None:
    modules = jamlik.stats._MODULES
    for module, names in modules.items():
        mod = importlib.import_module(f"jamlik.stats.{module}")
        if module in STAR:  # re-exported whole (``import *`` before): all of __all__
            assert set(names) == set(mod.__all__), module
        for name in names:
            assert getattr(jamlik.stats, name) is getattr(mod, name), name
    lazy = {n for names in modules.values() for n in names}
    submodules = {m.name for m in pkgutil.iter_modules(jamlik.stats.__path__)}
    assert not lazy & submodules  # such a name would become the module once it is imported
    importlib.import_module("jamlik.stats.sii")  # the submodule: the name stays the function
    from jamlik.stats import life_expectancy as le_module_or_function
    from jamlik.stats.life_expectancy import life_expectancy
    from jamlik.stats.sii import sii

    assert jamlik.stats.sii is sii and le_module_or_function is life_expectancy
    assert set(jamlik.stats.__all__) <= lazy | set(vars(jamlik.stats))
    assert set(jamlik.stats.__all__) <= set(dir(jamlik.stats))
    with pytest.raises(AttributeError):
        jamlik.stats.no_such_method  # noqa: B018
    namespace: dict[str, object] = {}
    exec("from jamlik.stats import *", namespace)  # noqa: S102 - the public names, as before
    assert namespace["z_value"] is jamlik.stats.estimate.z_value


def test_knowledge_s_workflow_names_resolve_on_first_use() -> None:
    from jamlik.knowledge import Initiatives, ReviewDesk  # from-imports go through __getattr__
    from jamlik.knowledge._initiatives import Initiatives as defined
    from jamlik.knowledge._review import ReviewDesk as desk

    assert Initiatives is defined and ReviewDesk is desk
    for name in jamlik.knowledge.__all__:
        assert getattr(jamlik.knowledge, name) is not None, name


def test_z_value_is_scipy_s_normal_quantile_bit_for_bit() -> None:
    # Φ⁻¹ through scipy.special.ndtri, no longer scipy.stats.norm.ppf: the same numbers.
    from scipy.stats import norm

    from jamlik.stats.estimate import _z, z_value

    for level in [*np.linspace(0.9, 0.99999, 400), 0.95, 0.99, 0.998, 0.999]:
        assert _z(float(level)) == float(norm.ppf(1 - (1 - float(level)) / 2))
    from scipy.special import ndtri

    from jamlik.stats.estimate import _Z_OF_LEVEL

    for level, z in _Z_OF_LEVEL.items():  # the constants are ndtri's values to the last bit
        assert z == float(ndtri(1 - (1 - level) / 2)) == _z(level), level
    assert z_value(95) == pytest.approx(1.959963984540054, abs=1e-15)  # tables: 1.959964
    assert z_value(0.998) == pytest.approx(3.090232306167813, abs=1e-15)  # tables: 3.090232


def test_importing_the_portal_imports_neither_scipy_nor_sqlalchemy() -> None:
    # SciPy's modules are imported inside the functions that need them (``scipy.stats`` ≈ 1 s,
    # ``scipy.special`` ≈ 0.2 s): a new portal process's first page must not wait for them.
    code = """
        import jamlik.portal
        import jamlik.stats
        jamlik.stats.z_value(0.95)
        jamlik.stats.trend_label
    """
    assert imported_after(code, ["scipy", "sqlalchemy"]) == []
