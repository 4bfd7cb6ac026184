"""Read a user's source file and write a changed version back without losing anything.

Every command that rewrites a user's file (`lint --fix`, `flags remove --write`) goes through
here, so the guarantees hold in one place:

- the file is decoded as Python/SQL tools would (UTF-8 with or without a BOM, or the encoding a
  PEP 263 coding line declares) and encoded back the same way, BOM included;
- line endings are kept: the text handed to callers uses "\\n", and a file that used "\\r\\n"
  (or "\\r") gets it back on every line;
- the write is atomic: a temporary file in the same folder, flushed and fsynced, then
  `os.replace`d over the original, so a kill at any moment leaves the old file or the new one,
  never a truncated one; the file's permission bits are kept;
- a file changed on disk since it was read is not overwritten, and a symlink that leads outside
  the project is not followed.

Failures raise `RewriteRefused` with a reason meant for the user; the caller reports it for that
file and goes on with the rest.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

# PEP 263: a coding declaration on line 1 or 2.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class RewriteRefused(Exception):
    """The file cannot be read or written safely; the message says why."""


@dataclass(frozen=True)
class SourceText:
    """A file's text as callers edit it ("\\n" line endings), and how to write it back."""

    path: Path
    text: str
    encoding: str  # codec name used to decode (without the BOM)
    bom: bool
    newline: str  # "\n", "\r\n" or "\r": the file's dominant line ending
    digest: str  # sha256 of the bytes read, to detect a change on disk before writing


def declared_encoding(data: bytes) -> str | None:
    """The encoding a PEP 263 coding line declares in the first two lines, if any."""
    for line in data.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            return match.group(1).decode("ascii", "replace")
    return None


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf >= max(lf, lone_cr) and crlf:
        return "\r\n"
    if lone_cr > lf:
        return "\r"
    return "\n"


def decode_source(path: Path, data: bytes) -> SourceText:
    """Decode `data` read from `path`; RewriteRefused when it is not text we can round-trip."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    encoding = "utf-8" if bom else (declared_encoding(body) or "utf-8")
    try:
        codecs.lookup(encoding)
        raw = body.decode(encoding)
    except (LookupError, UnicodeDecodeError) as error:
        raise RewriteRefused(f"cannot decode as {encoding}: {error}") from None
    if "\x00" in raw:
        raise RewriteRefused("binary file (contains NUL bytes)")
    newline = _dominant_newline(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, text, encoding, bom, newline, hashlib.sha256(data).hexdigest())


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RewriteRefused(f"cannot read: {error.strerror or error}") from None
    return decode_source(path, data)


def encode_source(source: SourceText, new_text: str) -> bytes:
    """`new_text` ("\\n" line endings) encoded as `source` was: same codec, BOM and line ending."""
    text = new_text.replace("\r\n", "\n")
    if source.newline != "\n":
        text = text.replace("\n", source.newline)
    try:
        data = text.encode(source.encoding)
    except UnicodeEncodeError as error:
        raise RewriteRefused(f"the new text cannot be written as {source.encoding}: {error}") from None
    return codecs.BOM_UTF8 + data if source.bom else data


def _check_inside(path: Path, root: Path | None) -> Path:
    """The real file to replace; refuses a symlink that leads outside `root`."""
    real = path.resolve()
    if root is not None and path.is_symlink():
        root_real = root.resolve()
        if real != root_real and root_real not in real.parents:
            raise RewriteRefused(f"symlink leads outside the project (to {real}); not followed")
    return real


def write_source(source: SourceText, new_text: str, *, root: Path | None = None) -> None:
    """Atomically replace `source.path` with `new_text`, keeping encoding, BOM, newlines and mode.

    Refuses (RewriteRefused) when the file changed since `source` was read, when a symlink leads
    outside `root`, or when the folder is not writable. The original file is never truncated.
    """
    target = _check_inside(source.path, root)
    payload = encode_source(source, new_text)
    try:
        current = target.read_bytes()
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as error:
        raise RewriteRefused(f"cannot read before writing: {error.strerror or error}") from None
    if hashlib.sha256(current).hexdigest() != source.digest:
        raise RewriteRefused("changed on disk since it was read; not overwritten (run again)")
    if not os.access(target, os.W_OK):
        raise RewriteRefused("file is not writable")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise RewriteRefused(f"cannot create a temporary file beside it: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise RewriteRefused(f"cannot write: {error.strerror or error}") from None
    _fsync_directory(target.parent)


def _fsync_directory(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
