"""What reading each file told an earlier run, by the file's stat, so a warm run need not read it.

Every run orders a history (revision ids) and fingerprints it (content digests), even a pre-commit
run that lints five files of a thousand: reading and hashing the rest was a fifth of that run. An
entry holds a file's size, mtime, ctime, inode and device, its content digest and its revision
header; a file whose stat still matches is taken from the entry, unread. ctime moves on every write
and no tool sets it back; a file written less than two seconds before it was read is not indexed,
since a second write within the same timestamp tick would go unseen (git's "racy" entries).

Only clean text files are indexed: `.sql` files and `.py` files that are Alembic revisions. Any
other file is read every time, because what it holds decides how it is reported.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_releasesafe.engine import RevisionInfo, SourceFile
    from pytest_releasesafe.lint_cache import _Store

RACY_NS = 2_000_000_000  # written this recently: a same-tick rewrite would keep the stat


class SourceIndex:
    def __init__(self, store: _Store, salt: str) -> None:
        self.store = store
        self.salt = salt  # the cache's: another release or other settings index afresh

    def read(self, path: Path) -> tuple[SourceFile, RevisionInfo | None]:
        from pytest_releasesafe.engine import RevisionInfo, SourceFile, _display, read_with_revision

        display = _display(path)
        key = f"{self.salt}|{display}"
        try:
            stat = os.stat(path)
        except OSError:
            stat = None  # read_source reports why
        signature = stat and (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)
        entry = self.store.get(key) if stat else None
        if entry is not None and entry[0] == signature:
            _, digest, revision = entry
            info = (
                None
                if revision is None
                else RevisionInfo(display, revision[0], tuple(revision[1]), revision[2])
            )
            return SourceFile.unread(path, display, digest), info
        source, info = read_with_revision(path)
        if (
            stat is not None
            and source.text is not None
            and source.problem is None
            and (path.suffix == ".sql" or info is not None)
            and len(source.data) == stat.st_size  # not rewritten between the stat and the read
            and time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS
        ):
            revision = None if info is None else (info.revision, info.down_revision, info.line)
            self.store.put(key, (signature, source.digest, revision))
        return source, info
