"""Cases equivalent to the unsafe/safe cases of two peers' public rule tests, written here.

squawk (Postgres SQL linter): one group per squawk rule. strong_migrations (Rails): each check's
migration restated as the SQL (or Alembic) it runs on Postgres or MySQL. `unsafe` is the peer's
verdict; `rules` are the releasesafe rules that must report an unsafe case (any one of them; none
named: any error or warning).

`scope="style"` marks a peer rule that is a style preference, not a release-safety risk
(releasesafe's style rules are opt-in): listed so coverage is visible, kept out of recall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    peer: str  # "squawk" | "strong_migrations"
    peer_rule: str
    code: str
    unsafe: bool
    rules: tuple[str, ...] = ()
    form: str = "sql"  # "sql" | "alembic"
    dialect: str = "postgresql"
    target_version: int | None = None
    scope: str = "safety"  # "safety" | "style"
    note: str = ""
    pending: str = ""  # a known wrong verdict that another change in progress fixes: who and what


def sq(rule: str, code: str, unsafe: bool, *rules: str, **kw: object) -> Case:
    return Case("squawk", rule, code, unsafe, tuple(rules), **kw)  # type: ignore[arg-type]


def sm(rule: str, code: str, unsafe: bool, *rules: str, **kw: object) -> Case:
    return Case("strong_migrations", rule, code, unsafe, tuple(rules), **kw)  # type: ignore[arg-type]


SQUAWK = [
    # adding-field-with-default
    sq(
        "adding-field-with-default",
        "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();",
        True,
        "RS303",
    ),
    sq(
        "adding-field-with-default",
        "ALTER TABLE orders ADD COLUMN score float DEFAULT random();",
        True,
        "RS303",
    ),
    sq(
        "adding-field-with-default",
        "ALTER TABLE orders ADD COLUMN code text DEFAULT uuid_generate_v4()::text;",
        True,
        "RS303",
    ),
    sq("adding-field-with-default", "ALTER TABLE orders ADD COLUMN qty integer DEFAULT 10;", False),
    sq("adding-field-with-default", "ALTER TABLE orders ADD COLUMN label text DEFAULT 'none';", False),
    sq("adding-field-with-default", "ALTER TABLE orders ADD COLUMN flag boolean DEFAULT true;", False),
    sq(
        "adding-field-with-default", "ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now();", False
    ),
    sq(
        "adding-field-with-default",
        "ALTER TABLE orders ADD COLUMN qty integer DEFAULT 10;",
        True,
        "RS303",
        target_version=10,
    ),
    # adding-foreign-key-constraint
    sq(
        "adding-foreign-key-constraint",
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
        True,
        "RS201",
    ),
    sq(
        "adding-foreign-key-constraint",
        "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);",
        True,
        "RS201",
    ),
    sq(
        "adding-foreign-key-constraint",
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
        False,
    ),
    sq(
        "adding-foreign-key-constraint",
        "CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));",
        False,
    ),
    sq(
        "adding-foreign-key-constraint",
        "ALTER TABLE orders ADD COLUMN user_id bigint DEFAULT 1 REFERENCES users (id);",
        True,
        "RS201",
    ),
    # adding-not-nullable-field
    sq("adding-not-nullable-field", "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;", True, "RS302"),
    sq(
        "adding-not-nullable-field",
        "CREATE TABLE carts (id bigint, owner text);\nALTER TABLE carts ALTER COLUMN owner SET NOT NULL;",
        False,
    ),
    # adding-required-field
    sq("adding-required-field", "ALTER TABLE orders ADD COLUMN region text NOT NULL;", True, "RS301"),
    sq("adding-required-field", "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';", False),
    sq("adding-required-field", "ALTER TABLE orders ADD COLUMN region text;", False),
    # adding-primary-key-constraint
    sq("adding-primary-key-constraint", "ALTER TABLE items ADD PRIMARY KEY (id);", True, "RS205"),
    sq(
        "adding-primary-key-constraint",
        "ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY (id);",
        True,
        "RS205",
    ),
    sq(
        "adding-primary-key-constraint",
        "ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY USING INDEX items_id_idx;",
        False,
    ),
    # adding-serial-primary-key-field
    sq(
        "adding-serial-primary-key-field",
        "ALTER TABLE items ADD COLUMN id serial PRIMARY KEY;",
        True,
        "RS402",
        "RS205",
    ),
    sq(
        "adding-serial-primary-key-field",
        "ALTER TABLE items ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
        True,
        "RS402",
        "RS205",
    ),
    sq("adding-serial-primary-key-field", "CREATE TABLE items (id bigserial PRIMARY KEY);", False),
    # ban-char-field
    sq("ban-char-field", "CREATE TABLE codes (code char(4));", True, scope="style"),
    sq("ban-char-field", "CREATE TABLE codes (code varchar(4));", False, scope="style"),
    # ban-concurrent-index-creation-in-transaction
    sq(
        "ban-concurrent-index-creation-in-transaction",
        "BEGIN;\nCREATE INDEX CONCURRENTLY ix_orders_user ON orders (user_id);\nCOMMIT;",
        True,
        "RS102",
    ),
    sq(
        "ban-concurrent-index-creation-in-transaction",
        "CREATE INDEX CONCURRENTLY ix_orders_user ON orders (user_id);",
        False,
    ),
    # ban-drop-column
    sq("ban-drop-column", "ALTER TABLE orders DROP COLUMN legacy;", True, "RS511"),
    sq("ban-drop-column", "ALTER TABLE orders DROP COLUMN IF EXISTS legacy;", True, "RS511"),
    # ban-drop-database
    sq("ban-drop-database", "DROP DATABASE shop;", True, "RS514"),
    sq("ban-drop-database", "DROP DATABASE IF EXISTS shop;", True, "RS514"),
    # ban-drop-not-null
    sq("ban-drop-not-null", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;", True, "RS304"),
    # ban-drop-table
    sq("ban-drop-table", "DROP TABLE sessions;", True, "RS512"),
    sq("ban-drop-table", "DROP TABLE IF EXISTS sessions CASCADE;", True, "RS512"),
    # ban-truncate-cascade
    sq("ban-truncate-cascade", "TRUNCATE TABLE accounts CASCADE;", True, "RS520"),
    # changing-column-type
    sq("changing-column-type", "ALTER TABLE orders ALTER COLUMN total TYPE bigint;", True, "RS401"),
    sq(
        "changing-column-type",
        "ALTER TABLE orders ALTER COLUMN note SET DATA TYPE varchar(20);",
        True,
        "RS401",
        pending="schema catalogue: RS401 reads an unstated old type as a widening",
    ),
    sq(
        "changing-column-type",
        "ALTER TABLE orders ALTER COLUMN code TYPE integer USING code::integer;",
        True,
        "RS401",
    ),
    # constraint-missing-not-valid
    sq(
        "constraint-missing-not-valid",
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);",
        True,
        "RS202",
    ),
    sq(
        "constraint-missing-not-valid",
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;",
        False,
    ),
    sq(
        "constraint-missing-not-valid",
        "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\nCOMMIT;",
        True,
        "RS203",
    ),
    sq(
        "constraint-missing-not-valid", "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;", False
    ),
    # disallowed-unique-constraint
    sq(
        "disallowed-unique-constraint",
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
        True,
        "RS204",
    ),
    sq(
        "disallowed-unique-constraint",
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;",
        False,
    ),
    sq("disallowed-unique-constraint", "ALTER TABLE users ADD COLUMN handle text UNIQUE;", True, "RS204"),
    # prefer-bigint-over-int / prefer-big-int / prefer-bigint-over-smallint (style, opt-in)
    sq(
        "prefer-bigint-over-int",
        "CREATE TABLE accounts (id integer PRIMARY KEY);",
        True,
        "RS951",
        scope="style",
    ),
    sq("prefer-bigint-over-int", "CREATE TABLE accounts (id bigint PRIMARY KEY);", False, scope="style"),
    sq(
        "prefer-bigint-over-smallint",
        "CREATE TABLE accounts (id smallint PRIMARY KEY);",
        True,
        "RS951",
        scope="style",
    ),
    # prefer-identity (style, opt-in)
    sq("prefer-identity", "CREATE TABLE accounts (id serial PRIMARY KEY);", True, "RS952", scope="style"),
    sq(
        "prefer-identity",
        "CREATE TABLE accounts (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);",
        False,
        scope="style",
    ),
    # prefer-text-field (style)
    sq("prefer-text-field", "CREATE TABLE notes (body varchar(100));", True, scope="style"),
    # prefer-timestamptz (style, opt-in)
    sq("prefer-timestamptz", "CREATE TABLE events (at timestamp);", True, "RS953", scope="style"),
    sq("prefer-timestamptz", "CREATE TABLE events (at timestamptz);", False, scope="style"),
    # prefer-robust-stmts (style: re-runnable statements)
    sq(
        "prefer-robust-stmts",
        "CREATE INDEX CONCURRENTLY ix_orders_user ON orders (user_id);",
        True,
        scope="style",
    ),
    # renaming-column / renaming-table
    sq("renaming-column", "ALTER TABLE users RENAME COLUMN email TO email_address;", True, "RS501"),
    sq("renaming-table", "ALTER TABLE users RENAME TO customers;", True, "RS502"),
    # require-concurrent-index-creation / deletion
    sq(
        "require-concurrent-index-creation", "CREATE INDEX ix_orders_user ON orders (user_id);", True, "RS101"
    ),
    sq(
        "require-concurrent-index-creation",
        "CREATE UNIQUE INDEX ux_users_email ON users (email);",
        True,
        "RS101",
    ),
    sq(
        "require-concurrent-index-creation",
        "CREATE TABLE carts (id bigint);\nCREATE INDEX ix_carts_id ON carts (id);",
        False,
    ),
    sq("require-concurrent-index-deletion", "DROP INDEX ix_orders_user;", True, "RS103"),
    sq("require-concurrent-index-deletion", "DROP INDEX CONCURRENTLY IF EXISTS ix_orders_user;", False),
    # transaction-nesting / ban-uncommitted-transaction
    sq("ban-uncommitted-transaction", "BEGIN;\nALTER TABLE orders ADD COLUMN note text;", True, "RS604"),
    sq("ban-uncommitted-transaction", "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;", False),
    # require-timeout-settings (info in releasesafe: a hint, counted as caught)
    sq("require-timeout-settings", "ALTER TABLE orders ADD COLUMN note text;", True, "RS602"),
    sq(
        "require-timeout-settings",
        "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;",
        False,
    ),
    # ban-create-domain-with-constraint / ban-alter-domain-with-add-constraint
    # no releasesafe rule is named here: any error or warning counts as caught
    sq(
        "ban-alter-domain-with-add-constraint",
        "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);",
        True,
    ),
    sq(
        "ban-create-domain-with-constraint",
        "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);",
        False,
        note="a new domain checks no stored value",
    ),
    sq(
        "transaction-nesting",
        "BEGIN;\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nCOMMIT;",
        True,
    ),
    # the same shapes as squawk's tests write them: quoted identifiers, several statements per file
    sq(
        "require-concurrent-index-creation",
        'CREATE INDEX "field_name_idx" ON "table_name" ("field_name");',
        True,
        "RS101",
    ),
    sq(
        "require-concurrent-index-creation",
        'CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");',
        False,
    ),
    sq("require-concurrent-index-deletion", 'DROP INDEX IF EXISTS "field_name_idx";', True, "RS103"),
    sq(
        "renaming-column",
        'ALTER TABLE "table_name" RENAME COLUMN "column_name" TO "new_column_name";',
        True,
        "RS501",
    ),
    sq("renaming-table", 'ALTER TABLE "table_name" RENAME TO "new_table_name";', True, "RS502"),
    sq("ban-drop-not-null", 'ALTER TABLE "bar_tbl" ALTER COLUMN "foo_col" DROP NOT NULL;', True, "RS304"),
    sq(
        "adding-required-field", 'ALTER TABLE "core_recipe" ADD COLUMN "foo" integer NOT NULL;', True, "RS301"
    ),
    sq(
        "adding-required-field",
        'ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10 NOT NULL;',
        False,
    ),
    sq(
        "adding-not-nullable-field",
        'ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;',
        True,
        "RS302",
    ),
    sq(
        "changing-column-type",
        'ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text USING "edits"::text;',
        True,
        "RS401",
        pending="schema catalogue: RS401 reads an unstated old type as a widening",
    ),
    sq(
        "disallowed-unique-constraint",
        'ALTER TABLE "table_name" ADD CONSTRAINT "field_name_constraint" UNIQUE ("field_name");',
        True,
        "RS204",
    ),
    sq(
        "disallowed-unique-constraint",
        'CREATE TABLE "table_name" ("field_name" text);\nALTER TABLE "table_name" ADD CONSTRAINT "field_name_constraint" UNIQUE ("field_name");',
        False,
    ),
    sq(
        "constraint-missing-not-valid",
        'ALTER TABLE "app_email" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "app_user" ("id");',
        True,
        "RS201",
    ),
    sq(
        "adding-serial-primary-key-field",
        "ALTER TABLE a ADD COLUMN b bigserial PRIMARY KEY;",
        True,
        "RS402",
        "RS205",
    ),
    sq(
        "adding-field-with-default",
        'ALTER TABLE "core_recipe" ADD COLUMN "total" integer GENERATED ALWAYS AS ("a" + "b") STORED;',
        True,
        "RS402",
    ),
    sq("ban-drop-table", 'DROP TABLE IF EXISTS "table_name" CASCADE;', True, "RS512"),
    sq(
        "ban-concurrent-index-creation-in-transaction",
        'BEGIN;\nCREATE UNIQUE INDEX CONCURRENTLY "ux" ON "t" ("a");\nCOMMIT;',
        True,
        "RS102",
    ),
    # extra squawk cases: the table is new, so nothing is locked for long
    sq(
        "adding-required-field",
        "CREATE TABLE carts (id bigint);\nALTER TABLE carts ADD COLUMN owner text NOT NULL;",
        False,
    ),
    sq(
        "changing-column-type",
        "CREATE TABLE carts (id int);\nALTER TABLE carts ALTER COLUMN id TYPE bigint;",
        False,
    ),
    sq(
        "adding-foreign-key-constraint",
        "CREATE TABLE carts (id bigint, user_id bigint);\nALTER TABLE carts ADD CONSTRAINT carts_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
        False,
    ),
]

ALEMBIC = """
def upgrade():
{body}
"""


def alembic(body: str) -> str:
    return ALEMBIC.format(body="\n".join("    " + line for line in body.strip().splitlines()))


STRONG_MIGRATIONS = [
    # remove_column
    sm("remove_column", alembic('op.drop_column("users", "nickname")'), True, "RS511", form="alembic"),
    sm(
        "remove_column",
        "ALTER TABLE users DROP COLUMN nickname;",
        True,
        "RS511",
        dialect="mysql",
        target_version=80,
    ),
    # change_column
    sm(
        "change_column",
        alembic('op.alter_column("users", "age", type_=sa.BigInteger(), existing_type=sa.Integer())'),
        True,
        "RS401",
        form="alembic",
    ),
    sm(
        "change_column",
        alembic('op.alter_column("users", "name", type_=sa.String(50), existing_type=sa.String(100))'),
        True,
        "RS401",
        form="alembic",
    ),
    sm(
        "change_column",
        alembic('op.alter_column("users", "name", type_=sa.String(200), existing_type=sa.String(100))'),
        False,
        form="alembic",
    ),
    sm(
        "change_column",
        alembic('op.alter_column("users", "name", type_=sa.Text(), existing_type=sa.String(100))'),
        False,
        form="alembic",
    ),
    sm("change_column", "ALTER TABLE users ALTER COLUMN price TYPE numeric(12, 2);", True, "RS401"),
    sm(
        "change_column",
        "ALTER TABLE users ALTER COLUMN ip TYPE inet;",
        True,
        "RS401",
        note="from text: a rewrite",
    ),
    sm(
        "change_column",
        "ALTER TABLE users MODIFY name varchar(50);",
        True,
        "RS901",
        dialect="mysql",
        target_version=80,
    ),
    sm(
        "change_column",
        "ALTER TABLE users MODIFY age bigint;",
        True,
        "RS901",
        dialect="mysql",
        target_version=80,
    ),
    # rename_column / rename_table
    sm(
        "rename_column",
        alembic('op.alter_column("users", "name", new_column_name="full_name")'),
        True,
        "RS501",
        form="alembic",
    ),
    sm("rename_table", alembic('op.rename_table("users", "customers")'), True, "RS502", form="alembic"),
    sm(
        "rename_column",
        "ALTER TABLE users RENAME COLUMN name TO full_name;",
        True,
        "RS501",
        dialect="mysql",
        target_version=80,
    ),
    # add_index
    sm(
        "add_index",
        alembic('op.create_index("ix_users_email", "users", ["email"])'),
        True,
        "RS101",
        form="alembic",
    ),
    sm(
        "add_index",
        alembic(
            'with op.get_context().autocommit_block():\n    op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)'
        ),
        False,
        form="alembic",
    ),
    sm(
        "add_index",
        alembic('op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)'),
        True,
        "RS102",
        form="alembic",
        note="concurrently inside the migration's transaction fails",
    ),
    sm(
        "add_index",
        alembic(
            'op.create_table("carts", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("user_id", sa.BigInteger()))\nop.create_index("ix_carts_user", "carts", ["user_id"])'
        ),
        False,
        form="alembic",
    ),
    # remove_index
    sm(
        "remove_index",
        alembic('op.drop_index("ix_users_email", table_name="users")'),
        True,
        "RS103",
        form="alembic",
    ),
    sm(
        "remove_index",
        alembic(
            'with op.get_context().autocommit_block():\n    op.drop_index("ix_users_email", table_name="users", postgresql_concurrently=True)'
        ),
        False,
        form="alembic",
    ),
    # add_reference / add_belongs_to (a column, its index and its foreign key)
    sm(
        "add_reference",
        alembic(
            'op.add_column("orders", sa.Column("user_id", sa.BigInteger(), nullable=True))\nop.create_index("ix_orders_user_id", "orders", ["user_id"])'
        ),
        True,
        "RS101",
        form="alembic",
    ),
    sm(
        "add_reference",
        alembic(
            'op.add_column("orders", sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True))'
        ),
        True,
        "RS201",
        form="alembic",
    ),
    sm(
        "add_reference",
        alembic('op.add_column("orders", sa.Column("user_id", sa.BigInteger(), nullable=True))'),
        False,
        form="alembic",
    ),
    # add_foreign_key / validate_foreign_key
    sm(
        "add_foreign_key",
        alembic('op.create_foreign_key("fk_orders_users", "orders", "users", ["user_id"], ["id"])'),
        True,
        "RS201",
        form="alembic",
    ),
    sm(
        "add_foreign_key",
        alembic(
            'op.create_foreign_key("fk_orders_users", "orders", "users", ["user_id"], ["id"], postgresql_not_valid=True)'
        ),
        False,
        form="alembic",
    ),
    sm(
        "validate_foreign_key",
        alembic(
            'op.create_foreign_key("fk_orders_users", "orders", "users", ["user_id"], ["id"], postgresql_not_valid=True)\n'
            'op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_users")'
        ),
        True,
        "RS203",
        form="alembic",
    ),
    sm(
        "validate_foreign_key",
        alembic(
            'op.create_foreign_key("fk_orders_users", "orders", "users", ["user_id"], ["id"], postgresql_not_valid=True)\n'
            'with op.get_context().autocommit_block():\n    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_users")'
        ),
        False,
        form="alembic",
    ),
    sm(
        "add_foreign_key",
        "ALTER TABLE orders ADD CONSTRAINT fk_orders_users FOREIGN KEY (user_id) REFERENCES users (id);",
        True,
        "RS201",
        dialect="mysql",
        target_version=80,
    ),
    # add_check_constraint / validate_check_constraint
    sm(
        "add_check_constraint",
        alembic('op.create_check_constraint("price_positive", "products", "price > 0")'),
        True,
        "RS202",
        form="alembic",
    ),
    sm(
        "add_check_constraint",
        alembic(
            'op.create_check_constraint("price_positive", "products", "price > 0", postgresql_not_valid=True)'
        ),
        False,
        form="alembic",
    ),
    sm(
        "validate_check_constraint",
        "BEGIN;\nALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0) NOT VALID;\nALTER TABLE products VALIDATE CONSTRAINT price_positive;\nCOMMIT;",
        True,
        "RS203",
    ),
    # add_exclusion_constraint / add_unique_constraint
    sm(
        "add_exclusion_constraint",
        "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
        True,
        "RS206",
    ),
    sm(
        "add_unique_constraint",
        alembic('op.create_unique_constraint("uq_users_email", "users", ["email"])'),
        True,
        "RS204",
        form="alembic",
    ),
    # change_column_null
    sm(
        "change_column_null",
        alembic('op.alter_column("users", "email", nullable=False, existing_type=sa.Text())'),
        True,
        "RS302",
        form="alembic",
    ),
    sm(
        "change_column_null",
        "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
        "COMMIT;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        False,
        note="a validated CHECK proves the column: Postgres 12+ skips the scan",
    ),
    # add_column: default, volatile default, json, auto-increment, generated
    sm(
        "add_column_default",
        alembic('op.add_column("users", sa.Column("plan", sa.Text(), server_default="free"))'),
        False,
        form="alembic",
    ),
    sm(
        "add_column_default",
        alembic('op.add_column("users", sa.Column("plan", sa.Text(), server_default="free"))'),
        True,
        "RS303",
        form="alembic",
        target_version=10,
    ),
    sm(
        "add_column_default_callable",
        alembic(
            'op.add_column("users", sa.Column("token", sa.Uuid(), server_default=sa.text("gen_random_uuid()")))'
        ),
        True,
        "RS303",
        form="alembic",
    ),
    sm(
        "add_column_json",
        alembic('op.add_column("users", sa.Column("settings", sa.JSON()))'),
        True,
        "RS407",
        form="alembic",
    ),
    sm(
        "add_column_json",
        alembic('op.add_column("users", sa.Column("settings", postgresql.JSONB()))'),
        False,
        form="alembic",
    ),
    sm("add_column_auto_incrementing", "ALTER TABLE users ADD COLUMN seq bigserial;", True, "RS402"),
    sm(
        "add_column_generated_stored",
        "ALTER TABLE users ADD COLUMN full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED;",
        True,
        "RS402",
    ),
    sm(
        "add_column",
        "ALTER TABLE users ADD COLUMN nickname text, ALGORITHM=INSTANT;",
        False,
        dialect="mysql",
        target_version=80,
    ),
    # backfill in the migration's transaction
    sm(
        "add_column_with_backfill",
        alembic(
            'op.add_column("users", sa.Column("plan", sa.Text(), nullable=True))\nop.execute("UPDATE users SET plan = \'free\'")'
        ),
        True,
        "RS702",
        form="alembic",
    ),
    # create_table and drop_table
    sm(
        "create_table",
        alembic('op.create_table("carts", sa.Column("id", sa.BigInteger(), primary_key=True))'),
        False,
        form="alembic",
    ),
    sm("drop_table", alembic('op.drop_table("carts")'), True, "RS512", form="alembic"),
    # MySQL: widening a varchar within one length byte is in place; narrowing it copies the table
    sm(
        "change_column",
        alembic('op.alter_column("users", "name", type_=sa.String(60), existing_type=sa.String(50))'),
        False,
        form="alembic",
        dialect="mysql",
        target_version=80,
    ),
    sm(
        "change_column",
        alembic('op.alter_column("users", "name", type_=sa.String(40), existing_type=sa.String(50))'),
        True,
        "RS901",
        form="alembic",
        dialect="mysql",
        target_version=80,
    ),
    sm(
        "add_index",
        alembic('op.create_index("ix_users_email", "users", ["email"])'),
        False,
        form="alembic",
        dialect="mysql",
        target_version=80,
    ),
    sm(
        "remove_column",
        alembic('op.drop_column("users", "nickname")'),
        True,
        "RS511",
        form="alembic",
        dialect="mysql",
        target_version=80,
    ),
    # change_column_null with a default: an UPDATE of the NULLs, then SET NOT NULL, in one transaction
    sm(
        "change_column_null_default",
        alembic(
            'op.execute("UPDATE users SET plan = \'free\' WHERE plan IS NULL")\nop.alter_column("users", "plan", nullable=False, existing_type=sa.Text())'
        ),
        True,
        "RS302",
        "RS702",
        form="alembic",
    ),
    # rename_schema
    sm("rename_schema", "ALTER SCHEMA billing RENAME TO invoicing;", True, "RS503"),
]

CASES = SQUAWK + STRONG_MIGRATIONS
