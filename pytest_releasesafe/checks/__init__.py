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
import os
import pkgutil
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def registry() -> dict[str, ModuleType]:
    """Check modules by rule code."""
    return _load(lambda _name: True)


@lru_cache(maxsize=1)
def project_registry() -> dict[str, ModuleType]:
    """Only the modules defining `check_project` (history rules): a warm run over a revision history
    runs them without importing the sixty-odd per-file checks. Which modules those are is read from their
    source, which costs far less than importing them; a module whose source cannot be read is imported."""
    if registry.cache_info().currsize:
        return {code: module for code, module in registry().items() if hasattr(module, "check_project")}
    return {
        code: module for code, module in _load(_may_check_project).items() if hasattr(module, "check_project")
    }


def _may_check_project(name: str) -> bool:
    try:
        with open(os.path.join(__path__[0], f"{name}.py"), encoding="utf-8") as source:
            return "def check_project(" in source.read()
    except OSError:
        return True


def _load(wanted: Callable[[str], bool]) -> dict[str, ModuleType]:
    modules: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("rs") or not wanted(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        code = getattr(module, "CODE", None)
        if not code:
            raise ImportError(f"{module.__name__} has no CODE")
        if code in modules:
            raise ImportError(f"{module.__name__} and {modules[code].__name__} both claim {code}")
        modules[code] = module
    return modules
