"""Text folded for searching: without case or accents, the same on every database.

"Rīga", "RIGA" and "riga" fold alike, as do "Łódź" and "lodz", "München" and "munchen". SQLite's
lower() knows only ASCII and neither database ignores accents by itself, so each searchable row
keeps its text folded in Python (`SearchText`), and a search compares folded with folded.
Folding is letter by letter, so a match in folded text maps back onto the original for
highlighting (`fold_with_positions`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that carry their mark in the letter itself, so decomposition leaves them as they are.
OWN_LETTERS = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "þ": "th",
    "æ": "ae", "œ": "oe", "ß": "ss", "ĳ": "ij",
}  # fmt: skip


@lru_cache(maxsize=4096)
def fold_letter(letter: str) -> str:
    """One character folded: lower case, without its accents."""
    lowered = letter.casefold()
    folded = "".join(
        OWN_LETTERS.get(part, part)
        for part in unicodedata.normalize("NFKD", lowered)
        if not unicodedata.combining(part)
    )
    return folded


def fold(text: str) -> str:
    """The text folded for searching, its runs of white space as one space."""
    return "".join(fold_letter(letter) for letter in " ".join(text.split()))


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The text folded letter by letter (spaces kept as they are), with the position in `text`
    of each folded character."""
    folded, positions = [], []
    for index, letter in enumerate(text):
        part = fold_letter(letter) if not letter.isspace() else " "
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions


def find(text: str, query: str) -> tuple[int, int] | None:
    """Where the folded query first matches in `text`, as (start, end) positions in `text`."""
    needle = fold(query)
    folded, positions = fold_with_positions(text)
    at = folded.find(needle) if needle else -1
    if at < 0:
        return None
    return positions[at], positions[at + len(needle) - 1] + 1
