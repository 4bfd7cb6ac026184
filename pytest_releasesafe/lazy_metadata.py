"""`importlib.metadata`, loaded when first used instead of when sqlglot is imported.

sqlglot imports `entry_points` at import time to find dialect plugins, which only an unknown
dialect name ever asks for. Loading `importlib.metadata` (email, zipfile, csv, ...) is a fifth of
sqlglot's import, ~40 ms that every lint run parsing SQL pays. The console script installs this
stand-in before anything has imported the real module: `entry_points`, and any other attribute,
load the real module (which then takes the stand-in's place in `sys.modules` and on `importlib`)
and forward to it, so a caller sees the real module's behaviour.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

NAME = "importlib.metadata"


def install() -> None:
    """Put the stand-in in place, unless the real module is already loaded (a pytest process)."""
    if NAME in sys.modules:
        return
    spec = importlib.util.find_spec(NAME)  # finds the package, executes nothing
    if spec is None or spec.submodule_search_locations is None:
        return
    stand_in = types.ModuleType(NAME, __doc__)
    stand_in.__spec__ = spec
    # A package: `from importlib.metadata import x` reads `__path__` before `x`.
    stand_in.__path__ = list(spec.submodule_search_locations)

    def real() -> types.ModuleType:
        if sys.modules.get(NAME) is stand_in:
            del sys.modules[NAME]
        if getattr(importlib, "metadata", None) is stand_in:
            del importlib.metadata
        return importlib.import_module(NAME)

    def entry_points(**params: Any) -> Any:
        return real().entry_points(**params)

    def forward(name: str) -> Any:
        return getattr(real(), name)

    stand_in.entry_points = entry_points  # type: ignore[attr-defined]
    stand_in.__getattr__ = forward  # type: ignore[method-assign]
    sys.modules[NAME] = stand_in
    importlib.metadata = stand_in
