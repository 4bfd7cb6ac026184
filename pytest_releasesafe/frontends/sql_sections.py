"""Which parts of a .sql file are upgrade steps, and whether the tool runs them in a transaction.

Migration tools keep the down step next to the up step: goose (`-- +goose Up` / `-- +goose Down`),
sql-migrate (`-- +migrate Up` / `-- +migrate Down`) and dbmate (`-- migrate:up` / `-- migrate:down`)
in one file; golang-migrate (`*.down.sql`), Diesel (`down.sql`), sqitch (`revert/`) and Flyway undo migrations
(`U2__*.sql`) in files of their own. A down step is judged as a downgrade, never as an upgrade.
Liquibase formatted SQL keeps `--rollback` steps as comments. These tools also wrap each step (a
Liquibase `--changeset`) in a transaction unless the file opts out, which decides whether
CONCURRENTLY fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_releasesafe import model as m

_MARKER = re.compile(
    r"^[ \t]*--[ \t]*(?:\+(?P<tool>goose|migrate)[ \t]+(?P<step>up|down)\b|migrate:(?P<dbmate>up|down)\b)(?P<rest>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_GOOSE_NO_TRANSACTION = re.compile(
    r"^[ \t]*--[ \t]*\+goose[ \t]+no[ \t]+transaction\b", re.IGNORECASE | re.MULTILINE
)
# Liquibase formatted SQL: each `--changeset author:id` runs in a transaction unless
# `runInTransaction:false`; `--rollback` lines are comments, so never judged as upgrades.
_LIQUIBASE = re.compile(r"^[ \t]*--[ \t]*liquibase[ \t]+formatted[ \t]+sql", re.IGNORECASE | re.MULTILINE)
_CHANGESET = re.compile(r"^[ \t]*--[ \t]*changeset[ \t]+\S+(.*)$", re.IGNORECASE | re.MULTILINE)
_DOWN_FILE = re.compile(r"(\.down\.sql|^down\.sql|^U\d[\w.]*__.*\.sql)$", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    line: int  # first line of the section (1-based)
    phase: str
    in_transaction: bool | None  # None: as configured for .sql files


def file_sections(path: str, text: str) -> list[Section]:
    """Sections of a file in line order; empty when the file is one plain upgrade script."""
    folder, _, name = path.replace("\\", "/").rpartition("/")
    if _DOWN_FILE.search(name) or "revert" in folder.split("/"):
        return [Section(1, m.DOWNGRADE, None)]
    if "--" not in text or not any(word in text for word in ("goose", "migrate", "liquibase", "Liquibase")):
        return []  # the common case, without a regex scan
    if _LIQUIBASE.search(text):
        return [
            Section(
                text.count("\n", 0, match.start()) + 1,
                m.UPGRADE,
                "runintransaction:false" not in match.group(1).lower().replace(" ", ""),
            )
            for match in _CHANGESET.finditer(text)
        ]
    goose_no_transaction = bool(_GOOSE_NO_TRANSACTION.search(text))
    sections = []
    for match in _MARKER.finditer(text):
        step = (match.group("step") or match.group("dbmate")).lower()
        rest = match.group("rest").lower()
        if match.group("tool") and match.group("tool").lower() == "goose":
            in_transaction = not goose_no_transaction
        elif match.group("tool"):
            in_transaction = "notransaction" not in rest
        else:
            in_transaction = "transaction:false" not in rest.replace(" ", "")
        line = text.count("\n", 0, match.start()) + 1
        sections.append(Section(line, m.UPGRADE if step == "up" else m.DOWNGRADE, in_transaction))
    return sections


def section_at(sections: list[Section], line: int) -> Section | None:
    current = None
    for section in sections:
        if section.line > line:
            break
        current = section
    return current
