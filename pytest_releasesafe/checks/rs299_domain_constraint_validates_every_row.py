"""ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID, or ALTER DOMAIN ... SET NOT NULL."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration, Operation

CODE = "RS299"
KINDS = frozenset({m.OTHER, m.CREATE_OBJECT})  # the engine skips this check when none occur

_ADD = re.compile(r"\bADD\b(?P<constraint>.*)", re.IGNORECASE | re.DOTALL)


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    created: set[str] = set()  # domains created earlier in this migration: no column uses them yet
    for op in ctx.ops(migration, m.CREATE_OBJECT, m.OTHER):
        name = (op.object_name or "").lower()
        if op.kind == m.CREATE_OBJECT:
            if op.object_type == "domain":
                created.add(name)
            continue
        if op.object_type != "domain" or op.constraint_type not in ("check", "not_null"):
            continue
        if op.not_valid is True or name in created:
            continue
        yield _hit(op)


def _hit(op: Operation) -> Hit:
    domain = op.object_name or "the domain"
    if op.constraint_type == "not_null":
        constraint = f"{domain}_not_null"
        constraint_sql = f"ADD CONSTRAINT {constraint} CHECK (VALUE IS NOT NULL)"
        return hit(
            op, domain=domain, action="SET NOT NULL", constraint=constraint, constraint_sql=constraint_sql
        )
    match = _ADD.search(" ".join((op.sql or "").split()).rstrip(";"))
    body = match.group("constraint").strip() if match else ""
    constraint = op.constraint or f"{domain}_check"
    if not body.upper().startswith("CONSTRAINT"):
        body = f"CONSTRAINT {constraint} {body}".strip()
    return hit(
        op, domain=domain, action="ADD CONSTRAINT", constraint=constraint, constraint_sql=f"ADD {body}"
    )
