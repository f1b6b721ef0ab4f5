"""Contrast measured from rendered pixels, with WCAG 2.1's relative luminance: text against the
ground it is drawn on, and a form control's boundary against the page around it. Used by the
browser tests (Playwright screenshots) and the infographic's tests (CairoSVG renderings)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from PIL import Image, ImageChops

RGB = tuple[int, int, int]
SENTINEL = (1, 254, 3)  # marks "no pixel here" in a composed image; no palette uses it


def luminance(colour: RGB) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (channel / 255 for channel in colour)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: RGB, two: RGB) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def parse_colour(value: str) -> RGB:
    """A colour written #rrggbb or rgb(r, g, b) / rgba(r, g, b, 1)."""
    value = value.strip()
    if value.startswith("#"):
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
    numbers = value[value.index("(") + 1 : value.index(")")].replace(",", " ").split()
    return int(float(numbers[0])), int(float(numbers[1])), int(float(numbers[2]))


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


@dataclass(frozen=True)
class TextOnGround:
    """Text of one colour drawn on one ground colour, over `pixels` of its glyphs."""

    text: RGB
    ground: RGB
    pixels: int

    @property
    def ratio(self) -> float:
        return contrast(self.text, self.ground)

    def __str__(self) -> str:
        return (
            f"text #{bytes(self.text).hex()} on #{bytes(self.ground).hex()}: "
            f"{self.ratio:.2f}:1 ({self.pixels} px)"
        )


def text_on_ground(
    shown: Image.Image, hidden: Image.Image, fills: set[RGB], min_pixels: int = 12
) -> list[TextOnGround]:
    """Every (text colour, ground colour) pair under the glyphs, from two renderings of the same
    picture: with its text and with its text hidden. A glyph's pixel is one that changed when the
    text was hidden (by more than the renderer's rounding) and shows exactly one of the text
    colours (its core, not its anti-aliased edge); its ground is that pixel in the rendering
    without text. Grounds under fewer than `min_pixels` glyph pixels are the anti-aliased edges
    of shapes, and are left out."""
    changed = _mask(
        ImageChops.difference(shown, hidden), lambda v: 255 if v > 8 else 0, any_band=True
    )
    found = []
    for fill in fills:
        exact = ImageChops.difference(shown, Image.new("RGB", shown.size, fill))
        glyphs = ImageChops.multiply(_mask(exact, lambda v: 255 if v <= 1 else 0), changed)
        grounds = Image.new("RGB", shown.size, SENTINEL)
        grounds.paste(hidden, mask=glyphs)
        for count, ground in grounds.getcolors(maxcolors=1 << 24) or []:
            if ground != SENTINEL and count >= min_pixels:
                found.append(TextOnGround(fill, ground, count))
    return sorted(found, key=lambda pair: pair.ratio)


def _mask(difference: Image.Image, test, any_band: bool = False) -> Image.Image:
    """A black-and-white (mode L) mask from a per-channel test: all channels pass, or any."""
    bands = [band.point(test) for band in difference.split()]
    combine = ImageChops.lighter if any_band else ImageChops.multiply
    mask = bands[0]
    for band in bands[1:]:
        mask = combine(mask, band)
    return mask


def boundary_contrast(picture: Image.Image, margin: int, edge: int) -> tuple[float, RGB, RGB]:
    """How far a control stands out from the page, in a picture of the control with `margin`
    pixels of page around it: the strongest contrast between a pixel of the control's outer
    `edge` pixels (its border, and its fill where that differs from the page) and the page's
    colour (the commonest colour of the outer half of the margin). Returns the ratio, the
    control's pixel and the page colour."""
    width, height = picture.size
    pixels = picture.load()
    outer = margin // 2
    page_band = Counter(
        pixels[x, y]
        for y in range(height)
        for x in range(width)
        if x < outer or y < outer or x >= width - outer or y >= height - outer
    )
    page = page_band.most_common(1)[0][0]
    left, top, right, bottom = margin, margin, width - margin, height - margin
    edge_pixels = {
        pixels[x, y]
        for y in range(top, bottom)
        for x in range(left, right)
        if x < left + edge or y < top + edge or x >= right - edge or y >= bottom - edge
    }
    best = max(edge_pixels, key=lambda colour: contrast(colour, page))
    return contrast(best, page), best, page
