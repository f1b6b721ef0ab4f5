"""Fitting text on the infographic: wrapping and shortening by an estimate of DejaVu Sans's
widths that errs on the wide side, so that nothing overflows in CairoSVG nor in a browser
with a narrower font. Sizes and widths are in millimetres."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

# Average advance widths of DejaVu Sans in ems, rounded up (measured with Cairo).
REGULAR_EM, BOLD_EM = 0.56, 0.63


@dataclass(frozen=True)
class TextBlock:
    """Lines of text at one size."""

    lines: list[str]
    size: float

    @property
    def line_height(self) -> float:
        return round(self.size * 1.15, 2)

    @property
    def extra_height(self) -> float:
        """How much lower what follows the block goes for its lines after the first."""
        return round((len(self.lines) - 1) * self.line_height, 2)


def characters_fitting(width: float, size: float, em: float = REGULAR_EM) -> int:
    """How many characters of text at `size` (mm) fit in `width` (mm)."""
    return max(4, int(width / (size * em)))


def text_width(text: str, size: float, em: float = REGULAR_EM) -> float:
    return len(text) * size * em


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters: whole when it fits, else cut after a clause
    if that keeps most of the line, else after a word, and marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    clause = max(head.rfind(", "), head.rfind("; "), head.rfind(": "))
    if clause >= limit * 0.6:
        head = head[:clause]
    elif text[limit - 1] != " " and " " in head:  # drop the word cut in two
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-–") + "…"


def wrap(text: str, limit: int, max_lines: int) -> list[str]:
    """Wrap text into at most `max_lines` lines of `limit` characters, the last one shortened
    if the text runs longer."""
    lines = textwrap.wrap(" ".join(text.split()), limit)
    if len(lines) <= max_lines:
        return lines
    rest = " ".join(lines[max_lines - 1 :])
    return [*lines[: max_lines - 1], shorten(rest, limit)]


def fit_size(text: str, width: float, largest: float, smallest: float, em: float) -> float:
    """The largest font size within the bounds at which the text fits on one line."""
    needed = len(text) * em
    return round(max(smallest, min(largest, width / needed if needed else largest)), 2)


def fitted(text: str, width: float, largest: float, smallest: float, wrapped: float) -> TextBlock:
    """Bold text on one line as large as fits, or on two lines at `wrapped` size."""
    size = fit_size(text, width, largest, smallest, BOLD_EM)
    if text_width(text, size, BOLD_EM) <= width:
        return TextBlock([text], size)
    return TextBlock(wrap(text, characters_fitting(width, wrapped, BOLD_EM), 2), wrapped)
