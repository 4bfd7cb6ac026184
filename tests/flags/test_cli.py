"""The `releasesafe flags` commands, run for real (CliRunner and the installed console script)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pytest_releasesafe.cli import main

from .conftest import write_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "flags_app"
TODAY = "2026-07-01"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["flags", *args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        result.output
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "flags_app"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.chdir(root)
    return root


def test_scan_example_json(shop: Path) -> None:
    code, out, _ = run("scan", "--today", TODAY, "--format", "json")
    assert code == 1
    found = [(f["rule"], f["name"], f["flag"], f["path"], f["line"]) for f in json.loads(out)]
    assert found == [
        ("RSF002", "flag-fully-rolled-out", "welcome-banner", "flagd.json", 4),
        ("RSF003", "flag-lifetime-exceeded", "welcome-banner", "flagd.json", 4),
        ("RSF001", "flag-past-remove-by", "new_checkout_flow", "flags.yaml", 3),
        ("RSF002", "flag-fully-rolled-out", "new_checkout_flow", "flags.yaml", 3),
        ("RSF003", "flag-lifetime-exceeded", "new_checkout_flow", "flags.yaml", 3),
        ("RSF002", "flag-fully-rolled-out", "legacy_pricing", "flags.yaml", 15),
        ("RSF003", "flag-lifetime-exceeded", "legacy_pricing", "flags.yaml", 15),
        ("RSF001", "flag-past-remove-by", "holiday_banner", "flags.yaml", 47),
        ("RSF002", "flag-fully-rolled-out", "holiday_banner", "flags.yaml", 47),
        ("RSF003", "flag-lifetime-exceeded", "holiday_banner", "flags.yaml", 47),
        ("RSF002", "flag-fully-rolled-out", "quick_reorder", "flags.yaml", 54),
        ("RSF003", "flag-lifetime-exceeded", "quick_reorder", "flags.yaml", 54),
        ("RSF005", "flag-unused", "quick_reorder", "flags.yaml", 54),
        ("RSF004", "flag-unknown", "promo_popup", "shopapp/checkout.py", 37),
    ]
    first = json.loads(out)[2]
    assert first["severity"] == "error"
    assert (
        "releasesafe flags remove new_checkout_flow --value on --inventory flags.yaml --write"
        in first["help"]
    )


@pytest.mark.parametrize("fmt", ["text", "github", "sarif", "gitlab", "markdown"])
def test_scan_formats(shop: Path, fmt: str) -> None:
    code, out, _ = run("scan", "--today", TODAY, "--format", fmt)
    assert code == 1
    assert "new_checkout_flow" in out and "RSF001" in out
    if fmt == "sarif":
        rules = {rule["id"] for rule in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
        assert {"RSF001", "RSF002", "RSF003", "RSF004", "RSF005"} <= rules


def test_scan_without_findings_exits_zero(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"app/mod.py": "from app.flags import is_on\n\nis_on('fresh')\n"})
    (root / "flags.yaml").write_text("flags:\n  fresh:\n    created: 2026-06-30\n    rollout: 10\n")
    code, out, _ = run(
        "scan", str(root), "--inventory", str(root / "flags.yaml"), "--today", TODAY, "--format", "json"
    )
    assert (code, json.loads(out)) == (0, [])


def test_unparsable_file_is_a_finding_and_the_scan_goes_on(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/broken.py": "from app.flags import is_on\nif is_on('x'):\n",
            "app/mod.py": "from app.flags import is_on\nis_on(dyn)\n",
        },
    )
    code, out, _ = run("scan", str(root), "--format", "json")
    found = [(f["rule"], Path(f["path"]).name, f["line"]) for f in json.loads(out)]
    assert code == 1
    assert found == [("RSF009", "broken.py", 2), ("RSF006", "mod.py", 2)]


def test_bad_config_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    root = write_project(tmp_path, {}, pyproject='[tool.releasesafe.flags]\nchecks = ["no_colon_here"]\n')
    code, _, err = run("scan", str(root))
    assert code == 2
    assert "pyproject.toml" in err and "package.module:name" in err


def test_bad_inventory_is_a_finding_with_its_line(tmp_path: Path) -> None:
    root = write_project(tmp_path, {})
    (root / "flags.yaml").write_text("flags:\n  a:\n    created: soon\n")
    code, out, _ = run(
        "scan", str(root), "--inventory", str(root / "flags.yaml"), "--format", "json", "--today", TODAY
    )
    [finding] = [f for f in json.loads(out) if f["rule"] == "RSF008"]
    assert (code, finding["line"], finding["severity"]) == (1, 2, "error")
    assert "created must be a date" in finding["message"]


def test_bad_date_option(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path), "--today", "yesterday")
    assert code == 2 and "2026-06-01" in err


def test_remove_prints_diff_then_writes_then_is_idempotent(shop: Path) -> None:
    before = (shop / "shopapp" / "checkout.py").read_text()
    code, out, err = run("remove", "new_checkout_flow", "--value", "on", "--inventory", "flags.yaml")
    assert code == 0, err
    assert out.startswith("--- a/shopapp/checkout.py\n+++ b/shopapp/checkout.py\n")
    assert "-    if ldclient.get().variation(NEW_CHECKOUT, context, False):" in out
    assert "--- a/flags.yaml" in out and "-  new_checkout_flow:" in out
    assert (shop / "shopapp" / "checkout.py").read_text() == before, "without --write nothing changes"

    code, out, err = run(
        "remove", "new_checkout_flow", "--value", "on", "--inventory", "flags.yaml", "--write"
    )
    assert (code, out) == (0, "")
    assert "rewrote 2 files" in err  # checkout.py, and flag_names.py loses NEW_CHECKOUT
    after = (shop / "shopapp" / "checkout.py").read_text()
    assert "variation" not in after and "_legacy_total" not in after and "NEW_CHECKOUT" not in after
    compile(after, "checkout.py", "exec")
    assert "new_checkout_flow" not in (shop / "flags.yaml").read_text()
    assert "NEW_CHECKOUT" not in (shop / "shopapp" / "flag_names.py").read_text()
    assert "BETA_SEARCH" in (shop / "shopapp" / "flag_names.py").read_text()

    # Nothing of the flag is left: the second run changes nothing and warns that it exists nowhere.
    code, out, err = run("remove", "new_checkout_flow", "--value", "on", "--write")
    assert (code, out) == (3, "")
    assert "0 checks found" in err and "is not checked, defined or listed anywhere" in err


def test_remove_reports_what_is_left_for_a_human(shop: Path) -> None:
    code, _, err = run("remove", "beta_search", "--value", "off")
    assert code == 1
    assert "shopapp/search.py:25: left for manual removal: `get_variant` returns a variant" in err


def test_remove_every_stale_flag_leaves_a_clean_scan(shop: Path) -> None:
    for flag, value in [
        ("new_checkout_flow", "on"),
        ("legacy_pricing", "off"),
        ("holiday_banner", "off"),
        ("welcome-banner", "on"),
    ]:
        inventory = "flagd.json" if flag == "welcome-banner" else "flags.yaml"
        code, _, err = run("remove", flag, "--value", value, "--inventory", inventory, "--write")
        assert code == 0, err
    for path in shop.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    code, out, _ = run("scan", "--today", TODAY, "--format", "json")
    remaining = {(f["name"], f["flag"]) for f in json.loads(out)}
    assert remaining == {
        ("flag-fully-rolled-out", "quick_reorder"),
        ("flag-lifetime-exceeded", "quick_reorder"),
        ("flag-unused", "quick_reorder"),
        ("flag-unknown", "promo_popup"),
    }
    assert "legacy prices" not in (shop / "shopapp" / "views.py").read_text()
    assert "test_home_shows_legacy_prices" not in (shop / "tests" / "test_views.py").read_text()
    assert "welcome-banner" not in (shop / "flagd.json").read_text()


def test_console_script_pre_commit_mode(shop: Path) -> None:
    """What the pre-commit hook runs: only the changed files, only lines in code."""
    script = Path(sys.executable).with_name("releasesafe")
    completed = subprocess.run(
        [str(script), "flags", "scan", "--references-only", "--today", TODAY, "shopapp/checkout.py"],
        capture_output=True,
        text=True,
        cwd=shop,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    assert "shopapp/checkout.py:21:8: RSF007" in completed.stdout and "RSF007" in completed.stdout
    assert "RSF004" in completed.stdout and "promo_popup" in completed.stdout
    assert "flags.yaml" not in completed.stdout.split("Found")[0].replace("--inventory flags.yaml", "")


def test_unused_is_only_judged_on_whole_directories(shop: Path) -> None:
    code, out, _ = run("scan", "--today", TODAY, "--format", "json", "shopapp/checkout.py")
    rules = {finding["rule"] for finding in json.loads(out)}
    assert "RSF005" not in rules and "RSF001" in rules


SNAPSHOT = Path(__file__).parent / "snapshots" / "example_scan.json"


def test_scan_example_json_snapshot(shop: Path) -> None:
    """The whole JSON report, so any change to what users see is deliberate.
    Regenerate with RELEASESAFE_UPDATE_SNAPSHOTS=1 after checking the difference."""
    _, out, _ = run("scan", "--today", TODAY, "--format", "json")
    if os.environ.get("RELEASESAFE_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(out)
    assert json.loads(out) == json.loads(SNAPSHOT.read_text())


def test_removal_finds_every_check_the_scan_reports(shop: Path) -> None:
    """Scan (ast) and removal (libcst) share one set of matching rules: for every flag the scan
    sees, removal rewrites or explicitly hands back every file the scan says checks it."""
    from pytest_releasesafe.flags.config import find_pyproject, load_config
    from pytest_releasesafe.flags.removal import remove_flag
    from pytest_releasesafe.flags.scan import ScanResult, collect_references

    config = load_config(find_pyproject(shop))
    scanned = ScanResult()
    collect_references([shop], config, scanned)
    flags = {reference.flag for reference in scanned.references if reference.flag}
    assert len(flags) >= 10
    for flag in sorted(flags):
        expected = {reference.path for reference in scanned.references if reference.flag == flag}
        for value in (True, False):
            result = remove_flag([shop], flag, value, config)
            handled = {change.shown for change in result.changes if change.changed or change.notes}
            assert expected <= handled, (flag, value, expected - handled)
            assert all(change.error is None for change in result.changes), flag


def test_remove_warns_when_the_value_contradicts_the_inventory(shop: Path) -> None:
    _, _, err = run("remove", "legacy_pricing", "--value", "on", "--inventory", "flags.yaml")
    assert "warning: flags.yaml:15: 'legacy_pricing' is rolled out to 0% (everyone off)" in err
    _, _, err = run("remove", "legacy_pricing", "--value", "off", "--inventory", "flags.yaml")
    assert "warning" not in err


def test_scan_never_imports_libcst(shop: Path) -> None:
    """The scan (and so the pre-commit hook) must not pay libcst's import time."""
    program = (
        "import sys\n"
        "from pytest_releasesafe.cli import main\n"
        "sys.argv = ['releasesafe', 'flags', 'scan', '--today', '2026-07-01', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('libcst loaded' if 'libcst' in sys.modules else 'libcst not loaded')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=shop, timeout=60
    )
    assert completed.stderr.endswith("libcst not loaded"), completed.stderr
    assert json.loads(completed.stdout), "the scan ran and found the example's flags"


def test_remove_through_the_console_entry_writes_and_reports_as_in_process(tmp_path: Path) -> None:
    """`flags` ends without the interpreter's teardown (cli.EXIT_WITHOUT_TEARDOWN): the diff and
    summary reach the pipes whole, the exit code is the command's and the rewritten files are on
    disk, exactly as when the command runs in this process."""
    module = 'from app.flags import is_on\n\n\ndef f():\n    return "new" if is_on("new_flow") else "old"\n'
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    outcomes = []
    for where in ("console", "in-process"):
        (tmp_path / where).mkdir()
        root = write_project(tmp_path / where, {"app/mod.py": module})
        runs = []
        for extra in ([], ["--write"]):
            arguments = ["flags", "remove", "new_flow", "--value", "on", *extra, "."]
            if where == "console":
                done = subprocess.run(
                    [sys.executable, "-m", "pytest_releasesafe", *arguments],
                    cwd=root,
                    capture_output=True,
                    text=True,
                    env=env,
                )
                runs.append((done.returncode, done.stdout, done.stderr))
            else:
                cwd = os.getcwd()
                os.chdir(root)
                try:
                    result = CliRunner().invoke(main, arguments)
                finally:
                    os.chdir(cwd)
                runs.append((result.exit_code, result.stdout, result.stderr))
        outcomes.append(
            (runs, (root / "app" / "mod.py").read_text(), (root / "app" / "flags.py").read_text())
        )
    console, in_process = outcomes
    assert console == in_process
    (dry, written), mod, _ = console
    assert '+    return "new"' in dry[1] and "rewrote 2 files" in written[2]
    assert mod == 'def f():\n    return "new"\n'
