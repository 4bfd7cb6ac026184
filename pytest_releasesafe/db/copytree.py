"""Copy a pristine data directory: lean on system calls, since it happens for every server start.

shutil.copytree costs about twice as much here (it copies metadata file by file); the files only
need their bytes, private modes, and the server account as owner (set as each file is made).
"""

from __future__ import annotations

import os
from pathlib import Path

from pytest_releasesafe.db.runas import RunAs


def copy_private_tree(source: Path, target: Path, owner: RunAs | None) -> None:
    """Copy `source` to the new directory `target`: dirs 0700, files 0600, owned by `owner`."""
    for root, directories, files in os.walk(source):
        relative = os.path.relpath(root, source)
        destination = str(target) if relative == "." else os.path.join(target, relative)
        os.mkdir(destination, 0o700)
        if owner is not None:
            os.chown(destination, owner.uid, owner.gid)
        for name in directories:
            link = os.path.join(root, name)
            if os.path.islink(link):  # os.walk lists links to directories with them
                _copy_link(link, os.path.join(destination, name), owner)
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                _copy_link(path, os.path.join(destination, name), owner)
            else:
                _copy_file(path, os.path.join(destination, name), owner)


def _copy_file(source: str, target: str, owner: RunAs | None) -> None:
    reader = os.open(source, os.O_RDONLY)
    try:
        writer = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if owner is not None:
                os.fchown(writer, owner.uid, owner.gid)
            size = os.fstat(reader).st_size
            offset = 0
            while offset < size:
                sent = os.sendfile(writer, reader, offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        finally:
            os.close(writer)
    finally:
        os.close(reader)


def _copy_link(source: str, target: str, owner: RunAs | None) -> None:
    os.symlink(os.readlink(source), target)
    if owner is not None:
        os.chown(target, owner.uid, owner.gid, follow_symlinks=False)
