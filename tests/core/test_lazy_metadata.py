"""The `importlib.metadata` stand-in of the console script: sqlglot imports without loading the real
module, and any use of it afterwards gets the real module's answers. Each case runs in a fresh
interpreter, where nothing has imported `importlib.metadata` yet (this pytest process has)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sqlglot_imports_without_loading_importlib_metadata() -> None:
    out = run_fresh(
        """
        import sys
        from pytest_releasesafe import lazy_metadata
        lazy_metadata.install()
        import sqlglot
        print(sqlglot.parse_one("SELECT 1", read="postgres").sql())
        print("email" in sys.modules, "zipfile" in sys.modules)
        """
    )
    assert out.split("\n")[:2] == ["SELECT 1", "False False"]


def test_any_use_afterwards_gets_the_real_module() -> None:
    out = run_fresh(
        """
        import importlib, sys
        from pytest_releasesafe import lazy_metadata
        lazy_metadata.install()
        import sqlglot
        import importlib.metadata
        print(importlib.metadata.version("sqlglot") == sqlglot.__version__)
        real = sys.modules["importlib.metadata"]
        print(real is importlib.metadata, real.__file__.endswith("__init__.py"))
        from importlib.metadata import PackageNotFoundError
        try:
            real.version("no-such-distribution-here")
        except PackageNotFoundError:
            print("not found")
        """
    )
    assert out.split() == ["True", "True", "True", "not", "found"]


def test_an_unknown_dialect_still_looks_up_plugins_and_fails_clearly() -> None:
    out = run_fresh(
        """
        from pytest_releasesafe import lazy_metadata
        lazy_metadata.install()
        from sqlglot.dialects.dialect import Dialect
        try:
            Dialect.get_or_raise("no_such_dialect")
        except ValueError as error:
            print(error)
        """
    )
    assert "Unknown dialect 'no_such_dialect'" in out


def test_nothing_is_replaced_once_the_real_module_is_loaded() -> None:
    out = run_fresh(
        """
        import importlib.metadata, sys
        real = sys.modules["importlib.metadata"]
        from pytest_releasesafe import lazy_metadata
        lazy_metadata.install()
        print(sys.modules["importlib.metadata"] is real)
        """
    )
    assert out.strip() == "True"
