"""Errors raised while getting a database.

Two kinds on purpose: a database that cannot be had here (skip the tests, say what to install)
and a setting or server that is broken (fail loudly, with the evidence).
"""

from __future__ import annotations


class DatabaseUnavailable(Exception):
    """No server of the requested kind can be had on this machine; `reason` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadDatabaseSetting(ValueError):
    """The database setting (name, version pin or URL) cannot be understood; the message quotes it."""


class ServerStartError(RuntimeError):
    """A server we started did not become ready; the message carries the tail of its log."""
