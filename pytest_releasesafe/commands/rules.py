"""`releasesafe rules` and `releasesafe explain RULE`."""

from __future__ import annotations

import json

import click

from pytest_releasesafe import catalogue


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule: code, name, severity, dialects and summary."""
    entries = sorted(catalogue.load().values(), key=lambda r: r.code)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity,
                        "dialects": list(r.dialects),
                        "summary": r.summary,
                        "fixable": r.fixable,
                        "opt_in": r.opt_in,
                        "reported_by": catalogue.FACES[r.face],
                    }
                    for r in entries
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.name) for r in entries)
    for r in entries:
        flags = ("  fix" if r.fixable else "") + ("  opt-in" if r.opt_in else "")
        where = ",".join(r.dialects) if r.face == "lint" else catalogue.FACES[r.face]
        pad = width + 6 - len(r.code)  # RSF001 is one longer than RS101: keep the later columns aligned
        click.echo(f"{r.code}  {r.name:<{pad}}  {r.severity:<7}  {where:<26} {r.summary}{flags}")


@click.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule (by code or name): why it is unsafe, what to do instead, examples."""
    found = catalogue.lookup(rule)
    if found is None:
        from pytest_releasesafe.selectors import known_rules, suggestion

        hint = suggestion(rule, known_rules())
        raise click.UsageError(
            f"no rule {rule!r}{f' (did you mean {hint}?)' if hint else ''}; see `releasesafe rules`"
        )
    click.echo(render_explanation(found))


def render_explanation(rule: catalogue.Rule) -> str:
    where = ", ".join(rule.dialects) if rule.face == "lint" else f"reported by `{catalogue.FACES[rule.face]}`"
    lines = [
        f"{rule.code} {rule.name} ({rule.severity}; {where})",
        "",
        rule.summary,
        "",
        "Why:",
        rule.why.strip(),
        "",
    ]
    # Help texts are templates filled with the user's names; here they show as <index>, <table>.
    lines += ["What to do instead:", catalogue.fill(rule.help_alembic or rule.help, {}).strip(), ""]
    if rule.help_sql:
        lines += ["In SQL:", catalogue.fill(rule.help_sql, {}).strip(), ""]
    for example in rule.examples:
        verdict = "Unsafe" if example.bad else "Safe"
        lines += [
            f"{verdict} ({example.form}{', ' + example.dialect if example.dialect != 'postgresql' else ''}):",
            *("    " + line for line in example.code.rstrip().splitlines()),
            "",
        ]
    if rule.references:
        lines += ["References:", *(f"  {ref}" for ref in rule.references)]
    return "\n".join(lines).rstrip() + "\n"
