"""Tests of the tracker in French and German: every message translated, no English left on the
main pages, emails and files, and benchmark content in several languages."""

from __future__ import annotations

from typing import Any


def read_in(app: Any, monkeypatch: Any, language: str) -> None:
    """Make every request (and email rendered in it) choose `language`, as a reader whose
    account, or whose browser, asks for it would get."""
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: language)
