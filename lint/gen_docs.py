"""Generate docs/rules/*.md from the rule catalogue.

python lint/gen_docs.py          # write the pages
python lint/gen_docs.py --check  # exit 1 when a page is missing, stale or orphaned
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pytest_releasesafe import catalogue  # noqa: E402

DOCS = ROOT / "docs" / "rules"


def page(rule: catalogue.Rule) -> str:
    lines = [f"# {rule.code} {rule.name}", "", f"**{rule.summary}**", ""]
    lines.append(f"- Severity: `{rule.severity}`")
    if rule.face == "lint":
        lines.append(f"- Dialects: {', '.join(rule.dialects)}")
    else:
        lines.append(f"- Reported by: `{catalogue.FACES[rule.face]}`")
    if rule.min_version or rule.max_version:
        lines.append(f"- Postgres versions: {rule.min_version or 'any'} to {rule.max_version or 'latest'}")
    if rule.fixable:
        lines.append("- Fixable: `releasesafe lint --fix`")
    if rule.opt_in:
        lines.append(f'- Opt-in: enable with `select = ["{rule.code}"]`')
    lines += ["", "## Why is this bad?", "", rule.why.strip(), ""]
    for dialect, override in sorted(rule.dialect_overrides.items()):
        if "why" in override:
            lines += [f"On {dialect}: {override['why'].strip()}", ""]
    lines += ["## What to do instead", "", _neutral(rule.help_alembic or rule.help), ""]
    if rule.help_sql:
        lines += ["In SQL:", "", _neutral(rule.help_sql), ""]
    for verdict, title in ((True, "Unsafe"), (False, "Safe")):
        examples = [e for e in rule.examples if e.bad is verdict]
        if not examples:
            continue
        lines += [f"## {title} examples", ""]
        for example in examples:
            language = "python" if example.form == "alembic" else "sql"
            suffix = f" ({example.dialect})" if example.dialect != "postgresql" else ""
            lines += [
                f"{example.form.capitalize()}{suffix}:",
                "",
                f"```{language}",
                example.code.rstrip(),
                "```",
                "",
            ]
    if rule.references:
        lines += ["## References", "", *(f"- <{ref}>" for ref in rule.references), ""]
    if rule.face == "lint":
        lines += [
            "## Suppressing",
            "",
            f"`# releasesafe: ignore[{rule.code}] <why this is safe here>` on the line or the line above (SQL: `--`).",
            "",
        ]
    return "\n".join(lines)


def _neutral(template: str) -> str:
    """Show templates with readable placeholders instead of `{field}`."""
    return catalogue.fill(template, {}).strip()


def index(rules: list[catalogue.Rule]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from `rules/*.yaml` by `python lint/gen_docs.py`.",
        "",
        "| Code | Name | Severity | Dialects (or command) | Summary |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        where = ", ".join(rule.dialects) if rule.face == "lint" else f"`{catalogue.FACES[rule.face]}`"
        lines.append(
            f"| {rule.code} | [{rule.name}]({rule.code}-{rule.name}.md) | {rule.severity} | {where} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def expected() -> dict[Path, str]:
    rules = sorted(catalogue.load().values(), key=lambda r: r.code)
    pages = {DOCS / f"{r.code}-{r.name}.md": page(r) for r in rules}
    pages[DOCS / "README.md"] = index(rules)
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    pages = expected()
    existing = set(DOCS.glob("*.md")) if DOCS.exists() else set()
    if args.check:
        stale = [p for p, text in pages.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        orphans = existing - set(pages)
        for path in stale:
            print(f"stale or missing: {path.relative_to(ROOT)}")
        for path in orphans:
            print(f"orphaned (no rule): {path.relative_to(ROOT)}")
        if stale or orphans:
            print("run: python lint/gen_docs.py")
            return 1
        return 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for path in existing - set(pages):
        path.unlink()
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
