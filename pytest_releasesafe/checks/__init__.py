"""Rule logic: one module per rule, named `rsNNN_<kebab_name_with_underscores>.py`, bound to its
catalogue entry by `CODE`. A module defines `check(migration, ctx)` (one file) and/or
`check_project(migrations, ctx)` (the whole set of files linted together, e.g. history rules),
each yielding `Hit`s. Messages and help come from the rule's YAML, never from here.

A module whose `check` reads only `ctx.ops(migration, <kinds>)` may declare those kinds as
`KINDS = frozenset({...})`: the engine then skips it for files without any of them (most checks
look at one or two kinds, and most migrations hold a few). A meta-test keeps KINDS honest.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def registry() -> dict[str, ModuleType]:
    """Check modules by rule code."""
    modules: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("rs"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        code = getattr(module, "CODE", None)
        if not code:
            raise ImportError(f"{module.__name__} has no CODE")
        if code in modules:
            raise ImportError(f"{module.__name__} and {modules[code].__name__} both claim {code}")
        modules[code] = module
    return modules
