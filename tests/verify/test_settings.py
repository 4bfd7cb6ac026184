"""The one settings table: every setting registered once, resolved into one frozen object, and
the docs page generated from it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_releasesafe.settings import SETTINGS, PluginSettings

ROOT = Path(__file__).resolve().parents[2]


def test_settings_docs_page_is_generated_from_the_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "lint" / "gen_settings_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.key}`" in page and setting.option in page


def test_every_setting_has_an_option_an_ini_key_and_a_docs_line(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    for setting in SETTINGS:
        result.stdout.fnmatch_lines([f"*{setting.option}*"])
        result.stdout.fnmatch_lines([f"*{setting.key}*"])
        assert setting.help


def test_settings_resolve_into_one_frozen_object_with_option_over_env_over_ini(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini(
        "[pytest]\nreleasesafe_database = mysql\nreleasesafe_floor = 0a00\nreleasesafe_trace_rows = 5\n"
    )
    pytester.makepyfile(
        test_probe="""
        from pytest_releasesafe.settings import plugin_settings

        def test_settings(request):
            settings = plugin_settings(request.config)
            assert settings.database == "sqlite" and settings.database_source == "--releasesafe-database"
            assert settings.floor == "0a00" and settings.trace_rows == 5
            assert settings.checks == ("history", "drift")
        """
    )
    monkeypatch.setenv("RELEASESAFE_DATABASE", "postgresql")
    result = pytester.runpytest(
        "test_probe.py",
        "--releasesafe-database=sqlite",
        "--releasesafe-checks=history,drift",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1)
    assert dataclasses.is_dataclass(PluginSettings) and PluginSettings.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_bad_value_is_a_usage_error_naming_the_setting(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nreleasesafe_trace_rows = many\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*releasesafe_trace_rows: expected a whole number of rows, got 'many'*"])
