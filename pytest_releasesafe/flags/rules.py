"""The flag rules: code, kebab name, default severity and a one-line summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlagRule:
    code: str
    name: str
    severity: str
    summary: str


RULES: dict[str, FlagRule] = {
    rule.name: rule
    for rule in (
        FlagRule(
            "RSF001", "flag-past-remove-by", "error", "The flag is past the remove_by date its owner set."
        ),
        FlagRule(
            "RSF002",
            "flag-fully-rolled-out",
            "warning",
            "The flag has been fully on (or fully off) for longer than stale_after_days: it no longer decides anything.",
        ),
        FlagRule(
            "RSF003",
            "flag-lifetime-exceeded",
            "warning",
            "A release or experiment flag has lived longer than its expected lifetime.",
        ),
        FlagRule(
            "RSF004", "flag-unknown", "warning", "The code checks a flag that the inventory does not list."
        ),
        FlagRule("RSF005", "flag-unused", "warning", "The inventory lists a flag that no code checks."),
        FlagRule(
            "RSF006",
            "flag-key-dynamic",
            "info",
            "A flag check whose key is computed at run time, so it cannot be matched against the inventory.",
        ),
        FlagRule(
            "RSF007",
            "flag-stale-reference",
            "error",
            "The code checks a flag that is already stale; remove the check instead of adding to it.",
        ),
        FlagRule(
            "RSF008", "flag-inventory-invalid", "error", "An inventory entry that cannot be understood."
        ),
        FlagRule(
            "RSF009",
            "flag-parse-error",
            "error",
            "A Python file that cannot be parsed, so its flags are unknown.",
        ),
    )
}
