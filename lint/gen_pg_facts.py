"""Generate Postgres version facts from a real server's catalogs.

    python lint/gen_pg_facts.py [--url postgresql://postgres@127.0.0.1/postgres] [--check]

Writes pytest_releasesafe/data/pg_facts_<major>.json with:
- `volatility`: function name -> most volatile of its overloads ("i", "s" or "v") from pg_proc;
- `binary_casts`: [source, target] type pairs whose cast is binary-coercible (pg_cast.castmethod = 'b'),
  i.e. an ALTER COLUMN TYPE between them rewrites nothing.
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


def collect(url: str) -> tuple[int, dict]:
    with psycopg.connect(url) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
        volatility: dict[str, str] = {}
        for name, vol in conn.execute("SELECT proname, provolatile FROM pg_proc"):
            if name not in volatility or RANK[vol] > RANK[volatility[name]]:
                volatility[name] = vol
        casts = conn.execute(
            "SELECT format_type(castsource, NULL), format_type(casttarget, NULL) FROM pg_cast "
            "WHERE castmethod = 'b' ORDER BY 1, 2"
        ).fetchall()
    return major, {"volatility": dict(sorted(volatility.items())), "binary_casts": [list(c) for c in casts]}


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
