"""Generate Postgres version facts from a real server's catalogs.

    python lint/gen_pg_facts.py [--url postgresql://postgres@127.0.0.1/postgres] [--check]

Writes pytest_releasesafe/data/pg_facts_<major>.json with:
- `volatility`: function name -> most volatile of its overloads ("i", "s" or "v") from pg_proc;
- `arities`: function name -> [min, max] argument counts its overloads accept (max -1: variadic), so a
  call no overload accepts (`now(123)`) is unknown rather than judged by its name;
- `binary_casts`: [source, target] type pairs whose cast is binary-coercible (pg_cast.castmethod = 'b'),
  i.e. an ALTER COLUMN TYPE between them rewrites nothing;
- `type_changes`: [old, new, "rewrite" | "no_rewrite"] for the pairs in TYPE_CHANGE_PAIRS, measured by
  running ALTER COLUMN TYPE on a scratch table (session TimeZone UTC) and comparing its relfilenode
  before and after; pytest_releasesafe/type_changes.py must agree with these (tests check it).
`--check` exits 1 when the committed file differs from what the server reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psycopg

DATA = Path(__file__).resolve().parent.parent / "pytest_releasesafe" / "data"
RANK = {"i": 0, "s": 1, "v": 2}

# Type changes migrations make, each measured on the server.
TYPE_CHANGE_PAIRS = (
    ("varchar(10)", "varchar(20)"),
    ("varchar(20)", "varchar(10)"),
    ("varchar(10)", "varchar"),
    ("varchar(10)", "text"),
    ("text", "varchar"),
    ("text", "varchar(10)"),
    ("char(10)", "char(20)"),
    ("char(10)", "varchar(10)"),
    ("char(10)", "text"),
    ("varchar(10)", "char(10)"),
    ("numeric(10,2)", "numeric(12,2)"),
    ("numeric(10,2)", "numeric(12,4)"),
    ("numeric(10,2)", "numeric"),
    ("numeric", "numeric(10,2)"),
    ("numeric(12,2)", "numeric(10,2)"),
    ("smallint", "integer"),
    ("integer", "bigint"),
    ("bigint", "integer"),
    ("integer", "numeric"),
    ("integer", "text"),
    ("real", "double precision"),
    ("timestamp", "timestamptz"),
    ("timestamptz", "timestamp"),
    ("timestamp(3)", "timestamp(6)"),
    ("timestamp(6)", "timestamp(3)"),
    ("timestamp(3)", "timestamp"),
    ("timestamptz(3)", "timestamptz"),
    ("time(3)", "time(6)"),
    ("interval(3)", "interval(6)"),
    ("varbit(10)", "varbit(20)"),
    ("bit(10)", "bit(20)"),
    ("cidr", "inet"),
    ("inet", "cidr"),
    ("json", "jsonb"),
    ("jsonb", "json"),
    ("uuid", "text"),
    ("date", "timestamp"),
    ("xml", "text"),
)


def measure_type_change(
    conn: psycopg.Connection, old: str, new: str, table: str = "releasesafe_facts_probe"
) -> str:
    """ "rewrite" or "no_rewrite": does ALTER COLUMN TYPE old -> new give the table a new relfilenode?"""
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL TimeZone = 'UTC'")
        conn.execute(f"CREATE TEMPORARY TABLE {table} (c {old})")
        conn.execute(f"INSERT INTO {table} VALUES (NULL)")
        before = conn.execute(f"SELECT pg_relation_filenode('{table}')").fetchone()[0]
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN c TYPE {new}")
        after = conn.execute(f"SELECT pg_relation_filenode('{table}')").fetchone()[0]
    return "rewrite" if before != after else "no_rewrite"


def collect(url: str) -> tuple[int, dict]:
    with psycopg.connect(url) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
        volatility: dict[str, str] = {}
        for name, vol in conn.execute("SELECT proname, provolatile FROM pg_proc"):
            if name not in volatility or RANK[vol] > RANK[volatility[name]]:
                volatility[name] = vol
        arities: dict[str, set[tuple[int, int]]] = {}
        for name, nargs, ndefaults, variadic in conn.execute(
            "SELECT proname, pronargs, pronargdefaults, provariadic <> 0 FROM pg_proc"
        ):
            arities.setdefault(name, set()).add((nargs - ndefaults, -1 if variadic else nargs))
        casts = conn.execute(
            "SELECT format_type(castsource, NULL), format_type(casttarget, NULL) FROM pg_cast "
            "WHERE castmethod = 'b' ORDER BY 1, 2"
        ).fetchall()
        changes = [[old, new, measure_type_change(conn, old, new)] for old, new in TYPE_CHANGE_PAIRS]
    facts = {
        "volatility": dict(sorted(volatility.items())),
        "arities": {name: sorted([list(a) for a in spans]) for name, spans in sorted(arities.items())},
        "binary_casts": [list(c) for c in casts],
        "type_changes": changes,
    }
    return major, facts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    major, facts = collect(args.url)
    target = DATA / f"pg_facts_{major}.json"
    text = json.dumps(facts, indent=0, sort_keys=True) + "\n"
    if args.check:
        if not target.exists() or target.read_text() != text:
            print(f"{target} is out of date; run python lint/gen_pg_facts.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text)
    print(f"wrote {target} ({len(facts['volatility'])} functions, {len(facts['binary_casts'])} binary casts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
