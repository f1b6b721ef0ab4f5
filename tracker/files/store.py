"""Where stored files live: a folder on this machine (STORAGE=local, the default) or the
database (STORAGE=database), so that several web servers share every file.

Both stores keep a file under its generated name and follow the transaction that refers to
it. In the database that is simply the same transaction. In a folder, a file is written before
the commit (a rolled-back change may leave an unreferenced file, never a missing one) and
removed only after the commit that stops using it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.files.models import StoredChunk

CHUNK_BYTES = 1024 * 1024
STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")


@dataclass(frozen=True)
class ArchivedFile:
    """A stored file as a backup archive holds it: its path in the archive's upload folder,
    its size, and a way to read it."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]


class FileStore(Protocol):
    def save(self, stored_name: str, data: bytes) -> None: ...
    def exists(self, stored_name: str) -> bool: ...
    def read(self, stored_name: str) -> bytes: ...
    def stream(self, stored_name: str) -> Iterator[bytes]: ...
    def discard(self, stored_name: str) -> None: ...
    def archived(self, connection: sa.Connection) -> list[ArchivedFile]: ...
    def restore(self, connection: sa.Connection, name: str, source: IO[bytes]) -> None: ...


def file_store() -> FileStore:
    """The store the settings choose."""
    if current_app.config["STORAGE"] == "database":
        return DatabaseStore()
    return FolderStore(Path(current_app.config["UPLOAD_DIR"]))


def checked_name(stored_name: str) -> str:
    if not STORED_NAME.fullmatch(stored_name):
        raise ValueError("not a stored file name")
    return stored_name


def archive_name(stored_name: str) -> str:
    """A file's place in a backup (and in a folder store): fanned out by its first two
    characters, so no folder holds too many files."""
    return f"{stored_name[:2]}/{stored_name}"


class FolderStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, stored_name: str) -> Path:
        return self.folder / archive_name(checked_name(stored_name))

    def save(self, stored_name: str, data: bytes) -> None:
        path = self.path(stored_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def exists(self, stored_name: str) -> bool:
        return self.path(stored_name).is_file()

    def read(self, stored_name: str) -> bytes:
        return self.path(stored_name).read_bytes()

    def stream(self, stored_name: str) -> Iterator[bytes]:
        return _read_in_pieces(self.path(stored_name))

    def discard(self, stored_name: str) -> None:
        path = self.path(stored_name)
        sa.event.listen(
            db.session(), "after_commit", lambda _session: path.unlink(missing_ok=True), once=True
        )

    def archived(self, _connection: sa.Connection) -> list[ArchivedFile]:
        """Every file in the folder (links left out: they could point anywhere)."""
        if not self.folder.is_dir():
            return []
        return [
            ArchivedFile(path.relative_to(self.folder).as_posix(), path.stat().st_size,
                         lambda path=path: path.open("rb"))
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and not path.is_symlink()
        ]  # fmt: skip

    def restore(self, _connection: sa.Connection, name: str, source: IO[bytes]) -> None:
        root = self.folder.resolve()
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"{name!r} would be written outside {root}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as destination:
            while chunk := source.read(CHUNK_BYTES):
                destination.write(chunk)


class DatabaseStore:
    def save(self, stored_name: str, data: bytes) -> None:
        checked_name(stored_name)
        for number, start in enumerate(range(0, len(data), CHUNK_BYTES)):
            db.session.add(
                StoredChunk(stored_name=stored_name, number=number, data=data[start:start + CHUNK_BYTES])
            )  # fmt: skip
        db.session.flush()

    def exists(self, stored_name: str) -> bool:
        # Asked before every download: the key alone, never a megabyte of data.
        first = sa.select(StoredChunk.number).where(
            StoredChunk.stored_name == stored_name, StoredChunk.number == 0
        )
        return db.session.execute(sa.select(first.exists())).scalar_one()

    def read(self, stored_name: str) -> bytes:
        return b"".join(self.stream(stored_name))

    def stream(self, stored_name: str) -> Iterator[bytes]:
        """The file's pieces one at a time, each read by a query of its own on a connection of
        its own (the response is sent after the request and its transaction have ended)."""
        return _streamed(db.engine, stored_name)

    def discard(self, stored_name: str) -> None:
        db.session.execute(sa.delete(StoredChunk).where(StoredChunk.stored_name == stored_name))

    def archived(self, connection: sa.Connection) -> list[ArchivedFile]:
        sizes = connection.execute(
            sa.select(StoredChunk.stored_name, sa.func.sum(sa.func.length(StoredChunk.data)))
            .group_by(StoredChunk.stored_name)
            .order_by(StoredChunk.stored_name)
        ).all()
        return [
            ArchivedFile(archive_name(name), int(size),
                         lambda name=name: _PieceReader(_pieces(connection, name)))
            for name, size in sizes
        ]  # fmt: skip

    def restore(self, connection: sa.Connection, name: str, source: IO[bytes]) -> None:
        stored_name = checked_name(name.rsplit("/", 1)[-1])
        number = 0
        while chunk := source.read(CHUNK_BYTES):
            connection.execute(
                sa.insert(StoredChunk).values(stored_name=stored_name, number=number, data=chunk)
            )
            number += 1


# The streams are read after the request's context is gone: they take what they need first.
def _read_in_pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as content:
        while chunk := content.read(CHUNK_BYTES):
            yield chunk


def _streamed(engine: sa.Engine, stored_name: str) -> Iterator[bytes]:
    with engine.connect() as connection:
        yield from _pieces(connection, stored_name)


def _pieces(connection: sa.Connection, stored_name: str) -> Iterator[bytes]:
    number = 0
    while True:
        piece = connection.execute(
            sa.select(StoredChunk.data).where(
                StoredChunk.stored_name == stored_name, StoredChunk.number == number
            )
        ).scalar()
        if piece is None:
            return
        yield bytes(piece)
        number += 1


class _PieceReader:
    """A file object over a file's pieces, for the archive writer to copy from."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces, self.buffer = pieces, b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            piece = next(self.pieces, None)
            if piece is None:
                break
            self.buffer += piece
        taken = self.buffer if size < 0 else self.buffer[:size]
        self.buffer = self.buffer[len(taken) :]
        return taken

    def close(self) -> None:
        self.buffer = b""

    def __enter__(self) -> _PieceReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
