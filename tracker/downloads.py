"""Every file the tracker sends goes out through `send_download`: one place for the file name,
the content type, attachment or inline, caching and the sandbox around the file.

File names carry the names of cities and plans (Gdańsk, Rīga, Łódź, a title in quotes). The
Content-Disposition header holds them twice, as RFC 6266 asks: a UTF-8 `filename*` for every
current browser and a plain ASCII `filename` for the rest, with nothing that could end the
header's quoted string or name a folder.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from flask import Response, send_file

# A downloaded file can run nothing and load nothing, even when opened on its own.
SANDBOX_POLICY = "default-src 'none'; sandbox"
NO_STORE = "private, no-store"
MAX_NAME_LENGTH = 150
# Letters that Unicode does not decompose into an ASCII letter and a mark.
ASCII_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ı": "i"}
)  # fmt: skip
UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?<>|]+")
NOT_PLAIN_ASCII = re.compile(r"[^A-Za-z0-9._()' -]+")


def send_download(
    content: bytes | str | Path | Iterator[bytes],
    filename: str,
    mimetype: str,
    *,
    inline: bool = False,
    policy: str = SANDBOX_POLICY,
    cache_control: str = NO_STORE,
    size: int | None = None,
) -> Response:
    """A response sending `content` under `filename`: bytes, text, a file on disk, or a stored
    file's pieces (streamed, `size` bytes in all)."""
    if isinstance(content, Path):
        response = send_file(content, mimetype=mimetype, conditional=False, max_age=0)
    elif isinstance(content, Iterator):
        response = Response(content, mimetype=mimetype)
        if size is not None:
            response.content_length = size
    else:
        body = content.encode("utf-8") if isinstance(content, str) else content
        response = send_file(io.BytesIO(body), mimetype=mimetype, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = cache_control
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition value for a file name, with its UTF-8 and ASCII forms."""
    name = clean_filename(filename)
    return "{}; filename=\"{}\"; filename*=UTF-8''{}".format(
        "inline" if inline else "attachment", ascii_filename(name), quote(name, safe="")
    )


def clean_filename(filename: str) -> str:
    """The name without control characters, folder separators or characters that systems
    refuse, in one line, shortened keeping its extension."""
    name = " ".join(UNSAFE_IN_NAME.sub("-", filename).split()).strip(". -") or "download"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension


def plain_letters(text: str) -> str:
    """The text with its letters as close as ASCII comes (Łódź → Lodz); the rest unchanged."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def ascii_filename(name: str) -> str:
    """The closest plain-ASCII name (Łódź → Lodz), for clients that do not read filename*."""
    letters = plain_letters(name)
    plain = NOT_PLAIN_ASCII.sub("_", letters.replace('"', "'")).strip("_ ")
    stem, dot, extension = plain.rpartition(".") if "." in plain else (plain, "", "")
    if not stem.strip("_ .'()-"):  # nothing left of the name itself (Arabic, Greek, ...)
        return f"download{dot}{extension}"
    return plain
