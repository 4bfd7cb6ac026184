"""Hide passwords before any text that may hold a database URL or DSN is shown.

Skip reasons, error messages, report headers and logs end up in CI logs that many people can read;
a database password must never reach them. Works on free text (a URL inside a driver's error
message, a URL we could not parse), not only on URL objects, so it is applied to whatever we print.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

# scheme://user:password@host — the password runs to the last "@" of the token, because people
# paste passwords with a raw "@" in them that the URL parser would split at the first one.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@'\"]*:)(?P<secret>[^\s'\"]*)@")
# libpq/ODBC DSNs and query strings (password=..., pwd=..., PGPASSWORD=...; quoted or bare) and
# mappings ('password': '...'). Not "password: x": MySQL's "(using password: YES)" says nothing secret.
_KEY_PASSWORD = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd|pgpassword|mysql_pwd)\s*=\s*|\b(?:password|passwd)['\"]\s*:\s*)"
    r"(?P<secret>'[^']*'|\"[^\"]*\"|[^\s&;,)'\"]+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with every URL password and `password=` value replaced by ***."""
    if not text or ("@" not in text and "=" not in text and ":" not in text):
        return text
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@" if m["secret"] != MASK else m[0], text)
    return _KEY_PASSWORD.sub(lambda m: f"{m['head']}{MASK}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (installed on our own loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
