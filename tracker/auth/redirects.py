"""Safe redirects after sign-in: only to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return target if it is a local path, else None (no scheme, host, '//' or '\\' tricks)."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
