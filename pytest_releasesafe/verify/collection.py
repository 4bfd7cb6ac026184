"""When the plugin adds its own items to a test run."""

from __future__ import annotations

from pathlib import Path

import pytest


def collects_whole_suite(config: pytest.Config) -> bool:
    """True when a directory is collected (a plain `pytest`), not when the user picked single
    files or tests: `pytest tests/test_x.py::test_y` must run just that test."""
    for arg in config.args:
        path = Path(arg.split("::", 1)[0])
        if not path.is_absolute():
            path = config.invocation_params.dir / path
        if "::" not in arg and path.is_dir():
            return True
    return False
