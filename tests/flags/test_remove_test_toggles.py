"""Tests that set a flag through Django settings or the project's own helpers lose the dead variant."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .conftest import write_project
from .test_cli import run
from .test_remove_shapes import remove

PYPROJECT = """\
[tool.releasesafe.flags]
checks = ["app.flags:is_on"]
registries = ["django.conf:settings.FEATURES"]
test_toggles = [
    "app.testing:toggle_switch",
    { target = "app.testing:override_switch", key_arg = "name", value_arg = "active" },
]
"""

TESTS = """\
from django.conf import settings
from django.test import override_settings

from app.testing import override_switch, toggle_switch


def test_new_checkout_through_settings():
    settings.FEATURES["new_flow"] = True
    assert settings.FEATURES["new_flow"]


def test_old_checkout_through_settings():
    settings.FEATURES["new_flow"] = False
    assert not settings.FEATURES["new_flow"]


@override_settings(FEATURES={"new_flow": True, "other": False})
def test_new_with_override_settings():
    assert settings.FEATURES["new_flow"]


@override_settings(FEATURES={"new_flow": False})
def test_old_with_override_settings():
    assert not settings.FEATURES["new_flow"]


def test_new_with_helper():
    toggle_switch("new_flow", True)
    assert settings.FEATURES["new_flow"]


def test_old_with_helper():
    toggle_switch("new_flow", False)
    assert True


def test_old_with_context_helper():
    with override_switch(name="new_flow", active=False):
        assert True


def test_new_with_context_helper():
    with override_switch(name="new_flow", active=True):
        x = 1
    assert x
"""

EXPECTED = """\
from django.test import override_settings


def test_new_checkout_through_settings():
    pass


@override_settings(FEATURES={"other": False})
def test_new_with_override_settings():
    pass


def test_new_with_helper():
    pass


def test_new_with_context_helper():
    x = 1
    assert x
"""


def test_tests_of_the_dead_variant_go_and_the_others_stop_setting_the_flag(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"tests/test_checkout.py": TESTS}, pyproject=PYPROJECT)
    (root / "app" / "testing.py").write_text(
        "def toggle_switch(name, active):\n    pass\n\n\ndef override_switch(name, active):\n    pass\n"
    )
    code, err = remove(root, "new_flow", "on")
    assert code == 0, err
    assert (root / "tests" / "test_checkout.py").read_text() == EXPECTED


def test_an_unknown_test_toggle_key_is_a_config_error(tmp_path: Path) -> None:
    pyproject = textwrap.dedent(
        """\
        [tool.releasesafe.flags]
        test_toggles = [{ target = "app.testing:toggle_switch", value_argument = 1 }]
        """
    )
    root = write_project(tmp_path, {}, pyproject=pyproject)
    code, _, err = run("scan", str(root))
    assert code == 2
    assert "pyproject.toml" in err and "unknown key(s) value_argument in test_toggles" in err
