"""Scaffold a new rule: its YAML facts and its check module, bound by code.

    python lint/new_rule.py RS123 my-rule-name --category indexes

Then fill in the YAML (why, help templates, bad/good examples), write the check logic, and run
`python lint/gen_docs.py`; tests/lint/test_catalogue.py runs the examples automatically.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

YAML = """code: {code}
name: {name}
category: {category}
summary: One sentence: what goes wrong in production.
severity: error
dialects: [postgresql]
message: >-
  What happens, with the user's names: which lock on {{table}}, for how long, or which running code breaks.
why: |
  The mechanism: lock level, rewrite, or the old code's queries that fail.
help: |
  The safe alternative, as the exact migration(s) to write, using {{table}}, {{column}}…
help_alembic: |
  The Alembic form of the safe alternative.
help_sql: |
  The SQL form of the safe alternative.
references: []
examples:
  bad:
    - sql: |
        -- an unsafe statement
    - alembic: |
        def upgrade():
            pass  # an unsafe op call
  good:
    - sql: |
        -- the safe form
"""

CHECK = '''"""{summary}"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "{code}"


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.ALTER_TABLE_OTHER):
        if not op.table_is_new:
            yield hit(op)
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code")
    parser.add_argument("name")
    parser.add_argument("--category", default="")
    args = parser.parse_args()
    if not re.fullmatch(r"RS\d{3}", args.code) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.name):
        print("usage: code like RS123, name in kebab-case", file=sys.stderr)
        return 2
    yaml_path = ROOT / "rules" / f"{args.code}-{args.name}.yaml"
    check_path = (
        ROOT / "pytest_releasesafe" / "checks" / f"{args.code.lower()}_{args.name.replace('-', '_')}.py"
    )
    for path in (yaml_path, check_path):
        if (
            path.exists()
            or list(path.parent.glob(f"{args.code}-*"))
            or list(path.parent.glob(f"{args.code.lower()}_*"))
        ):
            print(f"{args.code} already exists: {path.parent}", file=sys.stderr)
            return 2
    yaml_path.write_text(YAML.format(code=args.code, name=args.name, category=args.category))
    check_path.write_text(CHECK.format(code=args.code, summary=args.name.replace("-", " ").capitalize()))
    print(f"created {yaml_path.relative_to(ROOT)} and {check_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
