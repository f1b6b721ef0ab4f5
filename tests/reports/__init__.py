"""Tests of the programme report: its figures, page, workbook and PDF."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]")


def pdf_media_boxes(data: bytes) -> list[tuple[float, float]]:
    """The page sizes (points) a PDF declares, also inside compressed object streams."""
    sources = [data]
    for stream in STREAM.findall(data):
        try:
            sources.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not a Flate stream (an image, a font): no page dictionaries in it
    return [
        (float(width), float(height))
        for source in sources
        for width, height in MEDIA_BOX.findall(source)
    ]
