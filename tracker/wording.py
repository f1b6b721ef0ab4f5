"""Short forms of people's text, for titles, subjects and lists."""

from __future__ import annotations


def one_line(text: str, limit: int = 90) -> str:
    """The text on one line, cut with an ellipsis beyond `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
