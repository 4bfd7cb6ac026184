"""Judge inventory flags and code references: the findings of `releasesafe flags scan`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypedDict

from ..findings import Finding
from .config import FlagsConfig
from .inventory import InventoryFlag
from .references import FlagReference
from .rules import RULES


class _CheckExtra(TypedDict):
    """What a code finding adds about the check: its keys go to finding()'s **extra, not its
    positional fields (a plain dict[str, str] could, as far as the type checker knows)."""

    sdk: str
    call: str


def finding(
    rule_name: str,
    path: str,
    line: int,
    column: int,
    message: str,
    help: str,
    flag: str | None,
    **extra: object,
) -> Finding:
    rule = RULES[rule_name]
    fields: list[tuple[str, object]] = [("flag", flag)]
    fields.extend(extra.items())
    return Finding(
        path, line, column, rule.code, rule.name, rule.severity, message, help, extra=tuple(fields)
    )


def _removal_help(flag: InventoryFlag) -> str:
    value = {0: "off", 100: "on"}.get(flag.rollout, "on|off") if flag.rollout is not None else "on|off"
    return f"Remove it: releasesafe flags remove {flag.name} --value {value} --inventory {flag.path} --write"


def stale_reasons(flag: InventoryFlag, config: FlagsConfig, today: dt.date) -> list[tuple[str, str, str]]:
    """(rule name, reason, help) for each way an inventory flag is stale on ``today``.

    The reason reads after the flag's name: "Flag 'x' <reason>"."""
    reasons: list[tuple[str, str, str]] = []
    if flag.remove_by is not None and today > flag.remove_by:
        days = (today - flag.remove_by).days
        reasons.append(
            (
                "flag-past-remove-by",
                f"was due for removal on {flag.remove_by.isoformat()} ({days} days ago)"
                + (f"; owner: {flag.owner}." if flag.owner else "."),
                _removal_help(flag),
            )
        )
    # Kill switches (ops) and permissions sit at 100% or 0% by design: only temporary types go stale.
    temporary = config.lifetimes.get(flag.type) is not None
    if temporary and flag.rollout in (0, 100):
        since = flag.rolled_out or flag.created
        if since is not None and (today - since).days >= config.stale_after_days:
            state = "on for everyone" if flag.rollout == 100 else "off for everyone"
            reasons.append(
                (
                    "flag-fully-rolled-out",
                    f"has been {state} since {since.isoformat()} ({(today - since).days} days, "
                    f"more than {config.stale_after_days}): it no longer decides anything.",
                    _removal_help(flag),
                )
            )
    lifetime = config.lifetimes.get(flag.type)
    if lifetime is not None and flag.created is not None and (today - flag.created).days > lifetime:
        age = (today - flag.created).days
        reasons.append(
            (
                "flag-lifetime-exceeded",
                f"is {age} days old; {flag.type} flags are expected to live at most {lifetime} days.",
                "Finish the rollout and remove the flag, or change its type to ops/permission if it is meant "
                "to stay, or set remove_by to record a decision.",
            )
        )
    return reasons


def inventory_findings(
    inventory: dict[str, InventoryFlag],
    references: Iterable[FlagReference],
    config: FlagsConfig,
    today: dt.date,
    *,
    report_unused: bool = True,
) -> list[Finding]:
    references = list(references)
    referenced = {reference.flag for reference in references if reference.flag is not None}
    found: list[Finding] = []
    for flag in inventory.values():
        for rule_name, reason, help_text in stale_reasons(flag, config, today):
            message = f"Flag '{flag.name}' ({flag.type}) {reason}"
            found.append(finding(rule_name, flag.path, flag.line, 1, message, help_text, flag.name))
        if report_unused and flag.name not in referenced:
            found.append(
                finding(
                    "flag-unused",
                    flag.path,
                    flag.line,
                    1,
                    f"Flag '{flag.name}' is in the inventory but no code checks it.",
                    "If the flag is gone from the code, delete its inventory entry and the flag in your flag service.",
                    flag.name,
                )
            )
    return found


def reference_findings(
    references: Iterable[FlagReference],
    inventory: dict[str, InventoryFlag] | None,
    config: FlagsConfig,
    today: dt.date,
    *,
    stale_references: bool = False,
) -> list[Finding]:
    """Findings located in code: dynamic keys, and (with an inventory) unknown and stale flags."""
    found: list[Finding] = []
    for reference in references:
        where = (reference.path, reference.line, reference.column)
        extra: _CheckExtra = {"sdk": reference.check.sdk, "call": reference.check.call}
        if reference.flag is None:
            found.append(
                finding(
                    "flag-key-dynamic",
                    *where,
                    f"{reference.check.sdk} check '{reference.check.call}' gets its flag key at run time.",
                    "Use a string literal, a module constant or an Enum member so the flag can be tracked.",
                    None,
                    **extra,
                )
            )
            continue
        if inventory is None:
            continue
        flag = inventory.get(reference.flag)
        if flag is None:
            found.append(
                finding(
                    "flag-unknown",
                    *where,
                    f"Flag '{reference.flag}' is checked here but is not in the inventory.",
                    "Add it to the inventory with its type, owner and created date.",
                    reference.flag,
                    **extra,
                )
            )
            continue
        reasons = stale_reasons(flag, config, today) if stale_references else []
        if reasons:
            why = "; ".join(reason.rstrip(".") for _, reason, _ in reasons)
            found.append(
                finding(
                    "flag-stale-reference",
                    *where,
                    f"Flag '{reference.flag}' is stale: it {why}. Do not add checks of it; remove them.",
                    reasons[0][2],
                    reference.flag,
                    **extra,
                )
            )
    return found
