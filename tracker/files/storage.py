"""Checking uploaded files by their content, keeping them outside the web root, and deciding
which may open in the browser.

A file is accepted only if its bytes are one of the accepted kinds, whatever its name says.
SVG is text, so it is parsed (safely) and refused if it could run script when opened.
Files are stored under generated names; the name the user gave is kept only for display.

Every file is downloaded (an attachment) unless it is shown as it is: a PNG or JPEG image
opens in the browser only when it decodes as one, within MAX_INLINE_SIDE and
MAX_INLINE_PIXELS, with no markup hidden in it; a PDF only when its viewer link asks for it
(`?view=1`), and then inside the sandbox policy every download carries.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import filetype
from defusedxml import ElementTree as SafeXML
from defusedxml.common import DefusedXmlException
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from tracker.downloads import clean_filename
from tracker.exceptions import RuleViolation
from tracker.files.store import file_store

ACCEPTED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/svg+xml": "svg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}  # may open in the browser
MAX_INLINE_SIDE = 8000  # pixels
MAX_INLINE_PIXELS = 16_000_000  # a 4,000 x 4,000 photo; decoded, at most 64 MB for a moment
FORMAT_ENDS = {"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9"}  # the last bytes of a whole file
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|object|embed|svg)\b", re.I)
SVG_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler"}
)
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    display_name: str
    size: int
    sha256: str


def check_upload(filename: str | None, data: bytes) -> CheckedFile:
    """Accept the file if its content is of an accepted kind and safe; else RuleViolation."""
    if not data:
        raise RuleViolation(_("The file is empty."), "file")
    limit = current_app.config["MAX_UPLOAD_MB"]
    if len(data) > limit * 1024 * 1024:
        raise RuleViolation(_("The file is larger than %(limit)d MB.", limit=limit), "file")
    kind = filetype.guess(data)
    content_type = kind.mime if kind is not None else None
    if content_type is None and _looks_like_svg(data):
        content_type = "image/svg+xml"
    if content_type not in ACCEPTED:
        raise RuleViolation(
            _(
                "This kind of file is not accepted. Upload a PDF, PNG, JPEG, SVG, Word (.docx), "
                "Excel (.xlsx), PowerPoint (.pptx) or OpenDocument text or slides (.odt, .odp) "
                "file."
            ),
            "file",
        )
    extension = ACCEPTED[content_type]
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        display_name=display_name(filename, extension),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def display_name(filename: str | None, extension: str) -> str:
    """A harmless version of the user's file name (letters of every language kept, no folders,
    control or reserved characters), with the extension of what it really is."""
    name = unicodedata.normalize("NFKC", filename or "").replace("\\", "/")
    stem = Path(name.rsplit("/", 1)[-1]).stem
    safe = clean_filename(stem)[:120].strip(". -")
    return f"{safe or 'file'}.{extension}"


def _looks_like_svg(data: bytes) -> bool:
    """Whether the bytes are an SVG image with nothing in it that could run script."""
    head = data[:1024].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head):
        return False
    try:
        root = SafeXML.fromstring(data)
    except (SafeXML.ParseError, DefusedXmlException, ValueError):
        return False
    if _local(root.tag) != "svg":
        return False
    for element in root.iter():
        if _local(element.tag) in SVG_FORBIDDEN_ELEMENTS:
            raise RuleViolation(_("The SVG file contains a script, so it is not accepted."), "file")
        for name, value in element.attrib.items():
            if _local(name).startswith("on") or SCRIPT_URL.match(value or ""):
                raise RuleViolation(
                    _("The SVG file contains a script, so it is not accepted."), "file"
                )
    return True


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def store(data: bytes, extension: str) -> str:
    """Keep the bytes under a new random name; return that name."""
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    file_store().save(stored_name, data)
    return stored_name


def shown_inline(content_type: str, stored_name: str, *, viewer: bool = False) -> bool:
    """Whether a stored file may open in the browser, rather than be downloaded."""
    if content_type == "application/pdf":
        return viewer
    if content_type in IMAGE_FORMATS:
        return _plain_image(stored_name, IMAGE_FORMATS[content_type])
    return False


@functools.lru_cache(maxsize=1024)
def _plain_image(stored_name: str, image_format: str) -> bool:
    """Whether the file is one whole image of that format, of a size worth showing, with no
    markup a browser could take for a page (remembered per file: a stored file never changes,
    and its random name is never given to another).

    Pillow's own checks cannot be relied on alone: WeasyPrint, once imported, tells Pillow to
    load truncated images, for the whole process. So the file must also end where the format
    ends, and a PNG's chunks must pass their checksums.
    """
    data = file_store().read(stored_name)
    if MARKUP.search(data) or not data.endswith(FORMAT_ENDS[image_format]):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                width, height = image.size
                if max(width, height) > MAX_INLINE_SIDE or width * height > MAX_INLINE_PIXELS:
                    return False
                if image_format == "PNG":
                    image.verify()  # every chunk there, with its checksum
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))  # JPEG: cheaper
                image.load()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return False
    return True
