"""Before/after pairs for every construct the removal handles (in the style of libcst's CodemodTest).

Each case writes ``app/mod.py``, removes flag ``new_flow`` with the given value, and compares the
result with the expected source. Every case is also re-run on its own output, which must change
nothing (idempotence), and the output must compile.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .conftest import apply, run_removal, write_project

CASES: list[tuple[str, bool, str, str]] = [
    (
        "if-else-on",
        True,
        """\
        from app.flags import is_on


        def view():
            if is_on("new_flow"):
                return "new"
            else:
                return "old"
        """,
        """\
        def view():
            return "new"
        """,
    ),
    (
        "if-else-off",
        False,
        """\
        from app.flags import is_on


        def view():
            if is_on('new_flow'):
                return "new"
            else:
                return "old"
        """,
        """\
        def view():
            return "old"
        """,
    ),
    (
        "elif-becomes-else-on",
        True,
        """\
        from app.flags import is_on


        def view(user):
            if user.is_admin:
                return "admin"
            elif is_on("new_flow"):
                return "new"
            elif user.beta:
                return "beta"
            else:
                return "old"
        """,
        """\
        def view(user):
            if user.is_admin:
                return "admin"
            else:
                return "new"
        """,
    ),
    (
        "elif-dropped-off",
        False,
        """\
        from app.flags import is_on


        def view(user):
            if user.is_admin:
                return "admin"
            elif is_on("new_flow"):
                return "new"
            else:
                return "old"
        """,
        """\
        def view(user):
            if user.is_admin:
                return "admin"
            else:
                return "old"
        """,
    ),
    (
        "if-false-promotes-elif",
        False,
        """\
        from app.flags import is_on


        def view(user):
            if is_on("new_flow"):
                return "new"
            elif user.beta:
                return "beta"
            else:
                return "old"
        """,
        """\
        def view(user):
            if user.beta:
                return "beta"
            else:
                return "old"
        """,
    ),
    (
        "if-without-else-off-goes",
        False,
        """\
        from app.flags import is_on


        def view(items):
            items.append("a")

            if is_on("new_flow"):
                items.append("new")

            return items
        """,
        """\
        def view(items):
            items.append("a")

            return items
        """,
    ),
    (
        "ternary",
        True,
        """\
        from app.flags import is_on

        LABEL = "x"


        def label():
            return ("new" if is_on("new_flow") else "old") + LABEL
        """,
        """\
        LABEL = "x"


        def label():
            return ("new") + LABEL
        """,
    ),
    (
        "not-and-or-in-conditions",
        False,
        """\
        from app.flags import is_on


        def view(user):
            if not is_on("new_flow") and user.beta:
                return "beta"
            if user.ok or is_on("new_flow"):
                return "ok"
            if user.ok and is_on("new_flow"):
                return "never"
            return None
        """,
        """\
        def view(user):
            if user.beta:
                return "beta"
            if user.ok:
                return "ok"
            return None
        """,
    ),
    (
        "and-or-as-values-keep-semantics",
        True,
        """\
        from app.flags import is_on


        def view(user):
            ready = is_on("new_flow") and user.ok
            fallback = user.name or is_on("new_flow")
            return ready, fallback
        """,
        """\
        def view(user):
            ready = user.ok
            fallback = user.name or True
            return ready, fallback
        """,
    ),
    (
        "variable-followed-to-uses",
        True,
        """\
        from app.flags import is_on


        def view(user, log):
            enabled = is_on("new_flow")
            log("flow", enabled)
            if enabled:
                return "new"
            return "old"
        """,
        """\
        def view(user, log):
            log("flow", True)
            return "new"
        """,
    ),
    (
        "early-return-makes-rest-unreachable",
        False,
        """\
        from app.flags import is_on


        def view(user):
            if not is_on("new_flow"):
                return "old"
            user.touch()
            return "new"
        """,
        """\
        def view(user):
            return "old"
        """,
    ),
    (
        "comments-and-formatting-kept",
        True,
        """\
        from app.flags import is_on

        VALUES  =  [1,2 ,3]   # odd spacing stays


        def view(user):
            # Pick the flow for this user.
            if is_on("new_flow"):  # rolled out in March
                # The new flow is simpler.
                result = VALUES[0]
            else:
                # Legacy behaviour.
                result = VALUES[1]
            return result  # done
        """,
        """\
        VALUES  =  [1,2 ,3]   # odd spacing stays


        def view(user):
            # Pick the flow for this user.
            # rolled out in March
            # The new flow is simpler.
            result = VALUES[0]
            return result  # done
        """,
    ),
    (
        "unused-helpers-and-imports-removed",
        True,
        """\
        import decimal
        import math

        from app.flags import is_on


        def _legacy_total(prices):
            return sum(decimal.Decimal(p) for p in prices)


        def _modern_total(prices):
            return math.fsum(prices)


        def total(prices):
            if is_on("new_flow"):
                return _modern_total(prices)
            return _legacy_total(prices)
        """,
        """\
        import math


        def _modern_total(prices):
            return math.fsum(prices)


        def total(prices):
            return _modern_total(prices)
        """,
    ),
    (
        "one-line-suite",
        True,
        """\
        from app.flags import is_on


        def view(items):
            if is_on("new_flow"): items.append("new"); items.sort()
            return items
        """,
        """\
        def view(items):
            items.append("new"); items.sort()
            return items
        """,
    ),
    (
        "registry-subscript-and-get",
        True,
        """\
        from app.flags import FLAGS


        def view():
            if FLAGS["new_flow"]:
                return "new"
            return "old" if not FLAGS.get("new_flow") else "x"
        """,
        """\
        def view():
            return "new"
        """,
    ),
    (
        "key-from-module-constant-and-enum",
        True,
        """\
        import enum

        from app.flags import is_on
        from app.names import NEW_FLOW


        class Flag(enum.Enum):
            NEW = "new_flow"
            OTHER = "other"


        def a():
            return 1 if is_on(NEW_FLOW) else 2


        def b():
            return 1 if is_on(Flag.NEW.value) else 2
        """,
        """\
        import enum


        class Flag(enum.Enum):
            OTHER = "other"


        def a():
            return 1


        def b():
            return 1
        """,
    ),
    (
        "keyword-key-argument",
        False,
        """\
        from app.flags import is_on


        def view():
            return "new" if is_on(name="new_flow") else "old"
        """,
        """\
        def view():
            return "old"
        """,
    ),
    (
        "variable-holding-a-negated-check",
        True,
        """\
        from app.flags import is_on


        def view(user):
            disabled: bool = not is_on("new_flow")
            if disabled:
                return "old"
            return "new"
        """,
        """\
        def view(user):
            return "new"
        """,
    ),
    (
        "variable-rebound-is-left-alone",
        True,
        """\
        from app.flags import is_on


        def view(user):
            enabled = is_on("new_flow")
            if user.beta:
                enabled = False
            return enabled
        """,
        """\
        def view(user):
            enabled = True
            if user.beta:
                enabled = False
            return enabled
        """,
    ),
    (
        "comprehension-condition",
        True,
        """\
        from app.flags import is_on


        def names(items):
            return [item.name for item in items if is_on("new_flow")]
        """,
        """\
        def names(items):
            return [item.name for item in items]
        """,
    ),
    (
        "registry-store-is-not-a-check",
        True,
        """\
        from app.flags import FLAGS


        def enable_for_tests():
            FLAGS["new_flow"] = False
            return FLAGS["new_flow"]
        """,
        """\
        from app.flags import FLAGS


        def enable_for_tests():
            FLAGS["new_flow"] = False
            return True
        """,
    ),
    (
        "nested-ifs-and-loops",
        False,
        """\
        from app.flags import is_on


        def view(items):
            for item in items:
                if item.skip:
                    continue
                if is_on("new_flow"):
                    item.new()
                else:
                    # Old behaviour.
                    if not item.ready:
                        continue
                    item.old()
            return items
        """,
        """\
        def view(items):
            for item in items:
                if item.skip:
                    continue
                # Old behaviour.
                if not item.ready:
                    continue
                item.old()
            return items
        """,
    ),
    (
        "inlined-pass-placeholder-goes",
        True,
        """\
        from app.flags import is_on


        def view(log):
            log("start")
            if is_on("new_flow"):
                pass
            else:
                log("legacy")
            log("end")


        def only(log):
            if is_on("new_flow"):
                pass
            else:
                log("legacy")
        """,
        """\
        def view(log):
            log("start")
            log("end")


        def only(log):
            pass
        """,
    ),
    (
        "module-level-while-and-assert",
        True,
        """\
        from app.flags import is_on

        MODE = "new" if is_on("new_flow") else "old"

        if is_on("new_flow"):
            ROUTES = ["new"]
        elif MODE:
            ROUTES = []


        def run(job):
            assert is_on("new_flow"), "the new runner needs the flag"
            while is_on("new_flow") and job.pending:
                job.step()
        """,
        """\
        MODE = "new"

        ROUTES = ["new"]


        def run(job):
            while job.pending:
                job.step()
        """,
    ),
    (
        "awaited-check",
        True,
        """\
        from app.flags import is_on


        async def view():
            if await is_on("new_flow"):
                return "new"
            return "old"
        """,
        """\
        async def view():
            return "new"
        """,
    ),
    (
        "other-flags-untouched",
        True,
        """\
        from app.flags import is_on


        def view():
            if is_on("other"):
                return "other"
            if is_on("new_flow"):
                return "new"
            return "old"
        """,
        """\
        from app.flags import is_on


        def view():
            if is_on("other"):
                return "other"
            return "new"
        """,
    ),
]


@pytest.mark.parametrize(("name", "value", "before", "after"), CASES, ids=[case[0] for case in CASES])
def test_removal(tmp_path: Path, name: str, value: bool, before: str, after: str) -> None:
    root = write_project(tmp_path, {"app/mod.py": before, "app/names.py": 'NEW_FLOW = "new_flow"\n'})
    result = run_removal(root, "new_flow", value)
    [change] = [change for change in result.changes if change.shown.endswith("mod.py")]
    assert change.error is None
    assert change.notes == []
    assert change.after == textwrap.dedent(after)
    compile(change.after, "mod.py", "exec")
    apply(result)
    again = run_removal(root, "new_flow", value)
    assert not any(change.changed for change in again.changes), "a second run must change nothing"
