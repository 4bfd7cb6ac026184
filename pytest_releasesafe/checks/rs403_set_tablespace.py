"""ALTER TABLE/INDEX ... SET TABLESPACE: copies every file under ACCESS EXCLUSIVE."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_releasesafe import model as m
from pytest_releasesafe.checks.base import CheckContext, Hit, hit
from pytest_releasesafe.model import Migration

CODE = "RS403"
KINDS = frozenset({m.SET_TABLESPACE})  # the engine skips this check when none occur


def check(migration: Migration, ctx: CheckContext) -> Iterator[Hit]:
    for op in ctx.ops(migration, m.SET_TABLESPACE):
        if not op.table_is_new:
            tablespace = re.search(r"\bSET\s+TABLESPACE\s+(\S+?);?\s*$", op.sql or "", re.I)
            yield hit(
                op, target=op.qualified_table or op.object_name, tablespace=tablespace and tablespace.group(1)
            )
