"""Deterministic generated migration corpora for the linter benchmarks.

SQL files mix what real Postgres migration folders hold: new tables with their indexes, added
columns, backfills, constraints added NOT VALID then validated, enum changes, DO blocks, comments.
Alembic revisions chain through down_revision and mix op.* calls with op.execute(SQL).
"""

from __future__ import annotations

import random
from pathlib import Path

TABLES = [
    "users",
    "orders",
    "invoices",
    "payments",
    "accounts",
    "events",
    "sessions",
    "products",
    "carts",
    "shipments",
]
COLUMNS = ["status", "note", "amount", "currency", "country", "email", "phone", "region", "source", "score"]


def _sql_statements(rng: random.Random, n: int) -> list[str]:
    t = rng.choice(TABLES)
    c = rng.choice(COLUMNS)
    new = f"{t}_{c}_{n}"
    options = [
        f"CREATE TABLE {new} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    {t[:-1]}_id bigint NOT NULL REFERENCES {t} (id),\n    {c} text,\n    created_at timestamptz NOT NULL DEFAULT now()\n);",
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_{t}_{c}_{n} ON {t} ({c});",
        f"CREATE INDEX ix_{t}_{c}_{n} ON {t} USING btree ({c}) WHERE {c} IS NOT NULL;",
        f"ALTER TABLE {t} ADD COLUMN {c}_{n} varchar(64);",
        f"ALTER TABLE {t} ADD COLUMN {c}_{n} integer NOT NULL DEFAULT 0;",
        f"ALTER TABLE {t} ALTER COLUMN {c} TYPE varchar(255);",
        f"ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_check_{n} CHECK ({c} IS NOT NULL) NOT VALID;",
        f"ALTER TABLE {t} VALIDATE CONSTRAINT {t}_{c}_check_{n};",
        f"ALTER TABLE {t} ADD CONSTRAINT fk_{t}_{n} FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;",
        f"UPDATE {t} SET {c} = 'unknown' WHERE id IN (SELECT id FROM {t} WHERE {c} IS NULL LIMIT 1000);",
        f"-- backfill {c} for {t}: run in batches\nCOMMENT ON COLUMN {t}.{c} IS 'Set by the {c} service';",
        f"ALTER TYPE {t}_state ADD VALUE IF NOT EXISTS 'archived_{n}';",
        "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN\n    CREATE ROLE reporting;\n  END IF;\nEND\n$$;",
        f"ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT 'n/a';",
        f"DROP INDEX CONCURRENTLY IF EXISTS ix_{t}_old_{n};",
        f"ALTER TABLE {t} DROP COLUMN IF EXISTS legacy_{c};",
        f"ALTER TABLE {t} RENAME COLUMN {c} TO {c}_v{n};",
        "SET lock_timeout = '5s';",
        f"CREATE OR REPLACE VIEW active_{t} AS SELECT * FROM {t} WHERE deleted_at IS NULL;",
        f"GRANT SELECT ON {t} TO reporting;",
    ]
    return [rng.choice(options) for _ in range(rng.randint(3, 12))]


def write_sql_corpus(folder: Path, files: int = 320, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = folder / f"{i:04}_migration.sql"
        path.write_text("\n\n".join(_sql_statements(rng, i)) + "\n")
        paths.append(path)
    return paths


def _alembic_body(rng: random.Random, n: int) -> list[str]:
    t = rng.choice(TABLES)
    c = rng.choice(COLUMNS)
    options = [
        f'op.add_column("{t}", sa.Column("{c}_{n}", sa.String(64), nullable=True))',
        f'op.add_column("{t}", sa.Column("{c}_{n}", sa.Integer(), nullable=False, server_default="0"))',
        f'op.create_index("ix_{t}_{c}_{n}", "{t}", ["{c}"])',
        f'with op.get_context().autocommit_block():\n        op.create_index("ix_{t}_{c}_{n}", "{t}", ["{c}"], postgresql_concurrently=True)',
        f'op.alter_column("{t}", "{c}", existing_type=sa.String(32), type_=sa.String(255))',
        f"op.execute(\"UPDATE {t} SET {c} = 'n/a' WHERE {c} IS NULL\")",
        f'op.execute(\n        "ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_{n}_check "\n        "CHECK ({c} IS NOT NULL) NOT VALID"\n    )',
        f'op.create_table(\n        "{t}_{c}_{n}",\n        sa.Column("id", sa.BigInteger(), primary_key=True),\n        sa.Column("{c}", sa.Text(), nullable=False),\n    )',
        f'with op.batch_alter_table("{t}") as batch_op:\n        batch_op.drop_column("legacy_{c}_{n}")',
        f'op.create_foreign_key("fk_{t}_{n}", "{t}", "accounts", ["account_id"], ["id"], postgresql_not_valid=True)',
        f'op.execute(sa.text("""\n        CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_{t}_{n} ON {t} ({c});\n    """))',
    ]
    return [rng.choice(options) for _ in range(rng.randint(2, 8))]


def write_alembic_corpus(folder: Path, files: int = 620, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    versions = folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    paths = []
    previous = None
    for i in range(files):
        revision = f"{i:04x}{rng.randrange(16**8):08x}"
        body = "\n    ".join(_alembic_body(rng, i))
        text = (
            f'"""generated revision {i}\n\nRevision ID: {revision}\nRevises: {previous or ""}\n"""\n\n'
            "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"revision = {revision!r}\ndown_revision = {previous!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade() -> None:\n    {body}\n\n\ndef downgrade() -> None:\n    pass\n"
        )
        path = versions / f"{revision}_rev_{i}.py"
        path.write_text(text)
        paths.append(path)
        previous = revision
    return paths
