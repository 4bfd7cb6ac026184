"""Before/after pairs for SDK-specific shapes: waffle decorators, mixins and test overrides,
LaunchDarkly clients, GrowthBook's negated check; and the checks removal must leave to a human."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .conftest import apply, run_removal, write_project

CASES: list[tuple[str, bool, str, str]] = [
    (
        "waffle-decorator-on-goes",
        True,
        """\
        from django.http import HttpResponse
        from waffle.decorators import waffle_flag


        @waffle_flag("new_flow")
        def view(request):
            return HttpResponse("new")
        """,
        """\
        from django.http import HttpResponse


        def view(request):
            return HttpResponse("new")
        """,
    ),
    (
        "waffle-decorator-off-view-404s",
        False,
        """\
        from django.http import HttpResponse
        from waffle.decorators import waffle_flag


        @waffle_flag("new_flow")
        def view(request):
            \"\"\"The new page.\"\"\"
            return HttpResponse("new")
        """,
        """\
        from django.http import Http404


        def view(request):
            \"\"\"The new page.\"\"\"
            raise Http404()
        """,
    ),
    (
        "waffle-negated-decorator-off-goes",
        False,
        """\
        from waffle.decorators import waffle_flag


        @waffle_flag("!new_flow")
        def old_view(request):
            return "old"
        """,
        """\
        def old_view(request):
            return "old"
        """,
    ),
    (
        "waffle-mixin-on",
        True,
        """\
        from django.views.generic import TemplateView
        from waffle.mixins import WaffleFlagMixin


        class NewView(WaffleFlagMixin, TemplateView):
            waffle_flag = "new_flow"
            template_name = "new.html"
        """,
        """\
        from django.views.generic import TemplateView


        class NewView(TemplateView):
            template_name = "new.html"
        """,
    ),
    (
        "waffle-mixin-off",
        False,
        """\
        from django.views.generic import TemplateView
        from waffle.mixins import WaffleFlagMixin


        class NewView(WaffleFlagMixin, TemplateView):
            waffle_flag = "new_flow"
            template_name = "new.html"
        """,
        """\
        from django.views.generic import TemplateView
        from django.http import Http404


        class NewView(TemplateView):
            template_name = "new.html"

            def dispatch(self, request, *args, **kwargs):
                raise Http404()
        """,
    ),
    (
        "waffle-function-checks",
        True,
        """\
        import waffle


        def view(request):
            if waffle.flag_is_active(request, "new_flow"):
                return "new"
            return "old"


        def maintenance():
            return waffle.switch_is_active("new_flow")
        """,
        """\
        def view(request):
            return "new"


        def maintenance():
            return True
        """,
    ),
    (
        "override-flag-in-tests",
        True,
        """\
        from waffle.testutils import override_flag


        @override_flag("new_flow", active=True)
        def test_new(client):
            assert client.get("/").status_code == 200


        @override_flag("new_flow", active=False)
        def test_old(client):
            assert client.get("/").status_code == 404


        def test_context_manager(client):
            with override_flag("new_flow", active=True):
                assert client.get("/").status_code == 200


        def test_other_variant(client):
            client.login()
            with override_flag("new_flow", active=False):
                assert client.get("/").status_code == 404
        """,
        """\
        def test_new(client):
            assert client.get("/").status_code == 200


        def test_context_manager(client):
            assert client.get("/").status_code == 200
        """,
    ),
    (
        "override-among-other-context-managers",
        False,
        """\
        from unittest import mock

        from waffle.testutils import override_flag


        def test_old(client):
            with override_flag("new_flow", active=False), mock.patch("time.time"):
                assert client.get("/").status_code == 404
        """,
        """\
        from unittest import mock


        def test_old(client):
            with mock.patch("time.time"):
                assert client.get("/").status_code == 404
        """,
    ),
    (
        "launchdarkly-client-variable",
        True,
        """\
        import ldclient


        def view(context):
            client = ldclient.get()
            show = client.variation("new_flow", context, False)
            return "new" if show else "old"
        """,
        """\
        import ldclient


        def view(context):
            client = ldclient.get()
            return "new"
        """,
    ),
    (
        "growthbook-is-off-is-negated",
        True,
        """\
        from growthbook import GrowthBook


        def page_size(attributes):
            gb = GrowthBook(attributes=attributes)
            if gb.is_off("new_flow"):
                return 20
            return 50
        """,
        """\
        from growthbook import GrowthBook


        def page_size(attributes):
            gb = GrowthBook(attributes=attributes)
            return 50
        """,
    ),
]


@pytest.mark.parametrize(("name", "value", "before", "after"), CASES, ids=[case[0] for case in CASES])
def test_sdk_removal(tmp_path: Path, name: str, value: bool, before: str, after: str) -> None:
    root = write_project(tmp_path, {"app/mod.py": before})
    result = run_removal(root, "new_flow", value)
    [change] = [change for change in result.changes if change.shown.endswith("mod.py")]
    assert (change.error, change.notes) == (None, [])
    assert change.after == textwrap.dedent(after)
    compile(change.after, "mod.py", "exec")
    apply(result)
    assert not any(change.changed for change in run_removal(root, "new_flow", value).changes)


def test_side_effecting_arguments_are_left_for_a_human(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import ldclient


        def view(request):
            if ldclient.get().variation("new_flow", build_context(request), False):
                return "new"
            return "old"
        """
    )
    root = write_project(tmp_path, {"app/mod.py": source})
    [change] = [
        change for change in run_removal(root, "new_flow", True).changes if change.shown.endswith("mod.py")
    ]
    assert change.after == source
    [note] = change.notes
    assert note.line == 5
    assert "side effects" in note.message and "variation" in note.message


def test_value_checks_are_left_for_a_human(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        from UnleashClient import UnleashClient

        client = UnleashClient(url="http://unleash", app_name="shop")


        def variant(user_id):
            return client.get_variant("new_flow", {"userId": user_id})


        def enabled(user_id):
            return client.is_enabled("new_flow", {"userId": user_id})
        """
    )
    root = write_project(tmp_path, {"app/mod.py": source})
    [change] = [
        change for change in run_removal(root, "new_flow", True).changes if change.shown.endswith("mod.py")
    ]
    [note] = change.notes
    assert note.line == 7 and "get_variant" in note.message
    assert "return True" in change.after and "get_variant" in change.after


def test_helper_used_by_another_module_is_kept(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/mod.py": """\
            from app.flags import is_on


            def legacy_total(prices):
                return sum(prices)


            def total(prices):
                if is_on("new_flow"):
                    return round(sum(prices), 2)
                return legacy_total(prices)
            """,
            "app/reports.py": "from app.mod import legacy_total\n",
        },
    )
    [change] = [
        change for change in run_removal(root, "new_flow", True).changes if change.shown.endswith("mod.py")
    ]
    assert "def legacy_total" in change.after
    assert "return round(sum(prices), 2)" in change.after


def test_registry_definition_loses_the_entry(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/mod.py": "from app.flags import FLAGS\n\nX = FLAGS['new_flow']\n"})
    result = run_removal(root, "new_flow", True)
    flags_change = next(change for change in result.changes if change.shown.endswith("flags.py"))
    assert flags_change.after.startswith('FLAGS = {"other": False}\n')


def test_many_files_are_rewritten_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    from pytest_releasesafe.flags import removal

    module = """\
    from app.flags import is_on


    def view_{n}():
        return "new" if is_on("new_flow") else "old"
    """
    files = {f"app/mod_{n:02d}.py": module.format(n=n) for n in range(removal._PARALLEL_FROM + 4)}
    root = write_project(tmp_path, files)
    result = run_removal(root, "new_flow", True)
    rewritten = sorted((change.shown, change.after) for change in result.changes if "/mod_" in change.shown)
    assert len(rewritten) == removal._PARALLEL_FROM + 4
    for shown, after in rewritten:
        n = int(shown.rsplit("_", 1)[-1].removesuffix(".py"))
        assert after == f'def view_{n}():\n    return "new"\n'


def test_constants_naming_the_flag_go_when_nothing_mentions_them(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/names.py": 'NEW_FLOW = "new_flow"  # the new flow\nOTHER = "other"\n',
            "app/mod.py": "from app.flags import is_on\nfrom app.names import NEW_FLOW\n\nX = is_on(NEW_FLOW)\n",
        },
    )
    names = next(c for c in run_removal(root, "new_flow", True).changes if c.shown.endswith("names.py"))
    assert names.after == 'OTHER = "other"\n'


def test_constants_still_mentioned_elsewhere_stay(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/names.py": 'NEW_FLOW = "new_flow"\n',
            "app/mod.py": "from app.flags import is_on\nfrom app.names import NEW_FLOW\n\nX = is_on(NEW_FLOW)\n",
            "app/metrics.py": "from app.names import NEW_FLOW\n\nTAGS = [NEW_FLOW]\n",
        },
    )
    result = run_removal(root, "new_flow", True)
    assert not any(change.shown.endswith("names.py") for change in result.changes)


def test_waffle_decorator_with_redirect_is_left_for_a_human_when_off(tmp_path: Path) -> None:
    source = 'from waffle.decorators import waffle_flag\n\n\n@waffle_flag("new_flow", "/old/")\ndef view(request):\n    return 1\n'
    root = write_project(tmp_path, {"app/mod.py": source})
    [change] = [c for c in run_removal(root, "new_flow", False).changes if c.shown.endswith("mod.py")]
    assert change.after == source
    assert [(note.line, "redirect" in note.message) for note in change.notes] == [(4, True)]
    [change] = [c for c in run_removal(root, "new_flow", True).changes if c.shown.endswith("mod.py")]
    assert change.after == "\n\ndef view(request):\n    return 1\n".lstrip("\n")
