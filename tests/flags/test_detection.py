"""Which calls are flag checks: every SDK shape, key forms, import provenance, homegrown helpers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_releasesafe.flags.config import find_pyproject, load_config
from pytest_releasesafe.flags.scan import ScanResult, collect_references

from .conftest import write_project


def references(root: Path) -> list[tuple[str | None, str, str, str, int]]:
    result = ScanResult()
    collect_references([root], load_config(find_pyproject(root)), result)
    return [(ref.flag, ref.check.sdk, ref.check.call, ref.check.kind, ref.line) for ref in result.references]


SDK_SHAPES: list[tuple[str, str, tuple[str, str, str]]] = [
    (
        "ld-get",
        'import ldclient\nldclient.get().variation("f", ctx, False)',
        ("launchdarkly", "variation", "bool"),
    ),
    (
        "ld-client",
        'from ldclient import LDClient\nc = LDClient(cfg)\nc.variation("f", ctx, False)',
        ("launchdarkly", "variation", "bool"),
    ),
    (
        "ld-detail",
        'import ldclient\nldclient.get().variation_detail("f", ctx, False)',
        ("launchdarkly", "variation_detail", "value"),
    ),
    (
        "ld-string-variation",
        'import ldclient\nldclient.get().variation("f", ctx, "blue")',
        ("launchdarkly", "variation", "value"),
    ),
    (
        "unleash",
        'from UnleashClient import UnleashClient\nu = UnleashClient("u", "a")\nu.is_enabled("f")',
        ("unleash", "is_enabled", "bool"),
    ),
    (
        "unleash-variant",
        'from UnleashClient import UnleashClient\nu = UnleashClient("u", "a")\nu.get_variant("f")',
        ("unleash", "get_variant", "value"),
    ),
    (
        "flagsmith",
        'from flagsmith import Flagsmith\nflags = Flagsmith("k").get_environment_flags()\nflags.is_feature_enabled("f")',
        ("flagsmith", "is_feature_enabled", "bool"),
    ),
    (
        "flagsmith-value",
        'import flagsmith\nflags.get_feature_value("f")',
        ("flagsmith", "get_feature_value", "value"),
    ),
    (
        "waffle-flag",
        'from waffle import flag_is_active\nflag_is_active(request, "f")',
        ("waffle", "flag_is_active", "bool"),
    ),
    (
        "waffle-keyword",
        'import waffle\nwaffle.flag_is_active(request, flag_name="f")',
        ("waffle", "flag_is_active", "bool"),
    ),
    (
        "waffle-switch",
        'from waffle import switch_is_active\nswitch_is_active("f")',
        ("waffle", "switch_is_active", "bool"),
    ),
    (
        "waffle-sample",
        'from waffle import sample_is_active\nsample_is_active("f")',
        ("waffle", "sample_is_active", "bool"),
    ),
    (
        "waffle-decorator",
        'from waffle.decorators import waffle_flag\n@waffle_flag("f")\ndef v(r): ...',
        ("waffle", "waffle_flag", "decorator"),
    ),
    (
        "waffle-switch-decorator",
        'from waffle.decorators import waffle_switch\n@waffle_switch("!f")\ndef v(r): ...',
        ("waffle", "waffle_switch", "decorator"),
    ),
    (
        "waffle-mixin",
        'from waffle.mixins import WaffleFlagMixin\nclass V(WaffleFlagMixin):\n    waffle_flag = "f"',
        ("waffle", "waffle_flag", "mixin"),
    ),
    (
        "waffle-override",
        'from waffle.testutils import override_flag\n@override_flag("f", active=True)\ndef test_x(): ...',
        ("waffle", "override_flag", "override"),
    ),
    (
        "growthbook-on",
        'from growthbook import GrowthBook\nGrowthBook().is_on("f")',
        ("growthbook", "is_on", "bool"),
    ),
    (
        "growthbook-off",
        'from growthbook import GrowthBook\ngb = GrowthBook()\ngb.is_off("f")',
        ("growthbook", "is_off", "negated"),
    ),
    (
        "growthbook-value",
        'from growthbook import GrowthBook\ngb = GrowthBook()\ngb.get_feature_value("f", 1)',
        ("growthbook", "get_feature_value", "value"),
    ),
    (
        "posthog-module",
        'import posthog\nposthog.feature_enabled("f", "user")',
        ("posthog", "feature_enabled", "bool"),
    ),
    (
        "posthog-client",
        'from posthog import Posthog\nph = Posthog("k")\nph.get_feature_flag("f", "u")',
        ("posthog", "get_feature_flag", "value"),
    ),
    (
        "openfeature",
        'from openfeature import api\nclient = api.get_client()\nclient.get_boolean_value("f", False)',
        ("openfeature", "get_boolean_value", "bool"),
    ),
    (
        "openfeature-keyword",
        'from openfeature import api\napi.get_client().get_string_value(flag_key="f", default_value="x")',
        ("openfeature", "get_string_value", "value"),
    ),
    (
        "configcat",
        'import configcatclient\nc = configcatclient.get("key")\nc.get_value("f", False)',
        ("configcat", "get_value", "bool"),
    ),
    (
        "harness",
        'from featureflags.client import CfClient\nc = CfClient("k")\nc.bool_variation("f", target, False)',
        ("harness", "bool_variation", "bool"),
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), SDK_SHAPES, ids=[case[0] for case in SDK_SHAPES])
def test_sdk_shapes(tmp_path: Path, name: str, source: str, expected: tuple[str, str, str]) -> None:
    root = write_project(tmp_path, {"app/mod.py": source + "\n"})
    found = [ref for ref in references(root) if ref[1] != "registry"]
    assert [ref[:4] for ref in found] == [("f", *expected)]


KEY_FORMS = [
    ("single-quotes", "is_on('f')"),
    ("double-quotes", 'is_on("f")'),
    ("triple-quotes", 'is_on("""f""")'),
    ("raw", "is_on(r'f')"),
    ("implicit-concatenation", 'is_on("" "f")'),
    ("keyword", 'is_on(name="f")'),
    ("module-constant", "is_on(LOCAL)"),
    ("imported-constant", "is_on(NEW_FLOW)"),
    ("module-attribute", "is_on(names.NEW_FLOW)"),
    ("enum-member", "is_on(Flag.NEW)"),
    ("enum-value", "is_on(Flag.NEW.value)"),
    ("str-enum-auto", "is_on(Auto.F)"),
    ("re-exported-constant", "is_on(REEXPORTED)"),
]


@pytest.mark.parametrize(("name", "call"), KEY_FORMS, ids=[case[0] for case in KEY_FORMS])
def test_key_forms(tmp_path: Path, name: str, call: str) -> None:
    module = f"""\
        import enum

        from app import names
        from app.flags import is_on
        from app.names import NEW_FLOW, Flag
        from app.reexport import REEXPORTED

        LOCAL = "f"


        class Auto(enum.StrEnum):
            F = enum.auto()


        {call}
        """
    root = write_project(
        tmp_path,
        {
            "app/mod.py": module,
            "app/names.py": 'import enum\nNEW_FLOW = "f"\n\n\nclass Flag(enum.Enum):\n    NEW = "f"\n',
            "app/reexport.py": "from .names import NEW_FLOW as REEXPORTED\n",
        },
    )
    found = [ref for ref in references(root) if ref[1] == "helper"]
    assert [(ref[0], ref[4]) for ref in found] == [("f", 15)]


def test_dynamic_key_is_reported_as_unknown_key(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/mod.py": "from app.flags import is_on\n\nis_on(f'{x}_flag')\n"})
    assert [ref[:3] for ref in references(root) if ref[1] == "helper"] == [(None, "helper", "is_on")]


@pytest.mark.parametrize(
    "source",
    [
        'import os\nos.environ.get("f")\n',  # plain dict .get is not a registry
        'import requests\nrequests.get_value("f", False)\n',  # an unrelated library
        'def is_on(name):\n    return True\n\nis_on("f")\n',  # same name, not the configured helper
        'client.variation("f", ctx, False)\n',  # no SDK imported: nothing proves this is LaunchDarkly
        '# ldclient.get().variation("f", ctx, False)\nx = "is_enabled"\n',  # text mentions only
        'import posthog\nimport UnleashClient\nposthog.is_enabled("f")\n',  # the wrong SDK's method
    ],
    ids=[
        "dict-get",
        "unrelated-library",
        "shadowing-helper",
        "no-provenance",
        "comment-and-string",
        "wrong-sdk",
    ],
)
def test_lookalikes_are_not_flag_checks(tmp_path: Path, source: str) -> None:
    root = write_project(tmp_path, {"app/mod.py": source})
    assert [ref for ref in references(root) if ref[1] != "registry"] == []


def test_aliased_imports_and_project_client_modules(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/clients.py": "import ldclient as ld\n\nLD = ld.get()\n",
            "app/mod.py": """\
            import ldclient as ld
            from app.clients import LD
            from waffle import flag_is_active as active

            ld.get().variation("a", ctx, False)
            LD.variation("b", ctx, False)
            active(request, "c")
            """,
        },
    )
    assert sorted(ref[0] for ref in references(root) if ref[1] != "registry") == ["a", "b", "c"]


def test_configured_key_argument_position_and_keyword(tmp_path: Path) -> None:
    pyproject = textwrap.dedent(
        """\
        [tool.releasesafe.flags]
        checks = [
            {target = "app.flags:for_user", key_arg = 1},
            {target = "app.flags:by_name", key_arg = "flag"},
        ]
        """
    )
    root = write_project(
        tmp_path,
        {
            "app/mod.py": """\
            from app import flags

            flags.for_user(user, "first")
            flags.by_name(user, flag="second")
            """
        },
    )
    (root / "pyproject.toml").write_text(pyproject)
    assert [ref[0] for ref in references(root)] == ["first", "second"]


def test_prefilter_skips_files_without_candidate_names(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"app/plain.py": "x = 1\n", "app/mod.py": "from app.flags import is_on\nis_on('f')\n"}
    )
    result = ScanResult()
    collect_references([root], load_config(find_pyproject(root)), result)
    assert result.files_seen == 4  # app/__init__.py, flags.py, plain.py, mod.py
    assert result.files_parsed == 2  # flags.py (defines is_on/FLAGS) and mod.py


def test_virtual_environments_are_skipped_whatever_their_name(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/mod.py": "from app.flags import is_on\nis_on('mine')\n",
            "tools-env/lib/python3.11/site-packages/sdk/client.py": "import ldclient\nldclient.get().variation('theirs', c, False)\n",
            "other/lib/site-packages/x.py": "import ldclient\nldclient.get().variation('theirs', c, False)\n",
        },
    )
    (root / "tools-env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert [ref[0] for ref in references(root)] == ["mine"]


def test_parallel_scan_finds_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_releasesafe.flags import scan as scan_module

    files = {
        f"app/mod_{n:02d}.py": f"from app.flags import is_on\n\nis_on('flag_{n % 3}')\n" for n in range(12)
    }
    root = write_project(tmp_path, files)
    serial = references(root)
    monkeypatch.setattr(scan_module, "_PARALLEL_FROM", 2)
    parallel = references(root)
    assert parallel == serial and len(serial) == 12
