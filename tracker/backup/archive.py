"""The backup archive: one .tar.gz with a manifest, the rows as JSON, and the uploaded files.

Reading is strict: every member is checked before anything is restored, so an archive that
would write outside the upload folder (a `../` name, an absolute path, a link) is refused whole.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa

from tracker.files.store import ArchivedFile, FileStore

MANIFEST = "manifest.json"
DATA = "data.json"
DATABASE_COPY = "database.sqlite"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """A backup cannot be written or restored; the message says why, for the operator."""


def write_archive(
    output: Path,
    manifest: dict[str, Any],
    data: dict[str, Any],
    database_copy: Path | None,
    uploads: list[ArchivedFile],
) -> None:
    """Write the archive under a temporary name, then move it into place.

    A backup that fails half-way must not leave a file that looks like a good backup. The
    archive holds personal data and password hashes, so only its owner may read it.
    """
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_json(tar, MANIFEST, manifest)
            _add_json(tar, DATA, data)
            if database_copy is not None:
                tar.add(database_copy, arcname=DATABASE_COPY, filter=_owner_only)
            for upload in uploads:
                info = tarfile.TarInfo(f"{UPLOADS}/{upload.name}")
                info.size, info.mtime = upload.size, int(time.time())
                with upload.open() as content:
                    tar.addfile(_owner_only(info), content)
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _add_json(tar: tarfile.TarFile, name: str, content: dict[str, Any]) -> None:
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(time.time())
    tar.addfile(_owner_only(info), io.BytesIO(payload))


def _owner_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Files unpacked by hand (`tar -x`) are readable by their owner only, and belong to
    whoever unpacks them, not to an account of the server the backup was made on."""
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


@dataclass
class OpenArchive:
    """A checked archive: its manifest, its rows, and its uploaded files still packed."""

    tar: tarfile.TarFile
    manifest: dict[str, Any]
    data: dict[str, Any]
    upload_members: list[tarfile.TarInfo]

    def extract_uploads(self, store: FileStore, connection: sa.Connection) -> int:
        """Put the uploaded files back into the store; return how many there were."""
        for member in self.upload_members:
            source = self.tar.extractfile(member)
            if source is None:
                raise BackupError(f"The archive's member {member.name!r} cannot be read.")
            name = PurePosixPath(member.name).relative_to(UPLOADS).as_posix()
            try:
                with source:
                    store.restore(connection, name, source)
            except ValueError as error:
                raise BackupError(f"Refusing the archive: {error}.") from error
        return len(self.upload_members)


@contextmanager
def open_archive(path: Path) -> Iterator[OpenArchive]:
    """Open a backup archive after checking every member; BackupError if it is not safe."""
    with _open_tar(path) as tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{path} is damaged ({error}).") from error
        for member in members:
            _check_member(member)
        yield OpenArchive(
            tar=tar,
            manifest=_read_json(tar, MANIFEST),
            data=_read_json(tar, DATA),
            upload_members=[m for m in members if m.isfile() and m.name.startswith(f"{UPLOADS}/")],
        )


def _open_tar(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a tracker backup archive ({error}).") from error


def _check_member(member: tarfile.TarInfo) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise BackupError(
            f"Refusing the archive: its member {member.name!r} would be written outside the "
            "target folder."
        )
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"Refusing the archive: its member {member.name!r} is not a plain file.")
    expected = str(name) in (MANIFEST, DATA, DATABASE_COPY) or name.parts[:1] == (UPLOADS,)
    if not expected:
        raise BackupError(f"Refusing the archive: unexpected member {member.name!r}.")


def _read_json(tar: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        member = tar.extractfile(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}; it is not a tracker backup.") from None
    if member is None:
        raise BackupError(f"The archive's {name} is not a file.")
    with member:
        try:
            return json.load(member)
        except ValueError as error:
            raise BackupError(f"The archive's {name} is not valid JSON ({error}).") from error
