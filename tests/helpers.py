"""Small helpers for tests."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import sqlalchemy as sa

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


class QueryCounter:
    """Counts the SQL statements run while open (savepoints and transaction control excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for simple assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,.;:])", r"\1", text)  # "Riga</a>, 14 Mar" reads "Riga, 14 Mar"


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}


@dataclass
class FormErrors:
    """The errors a form page shows: each field marked aria-invalid (by id) with the text of the
    error messages its aria-describedby points to, and the error summary's links (href, text)."""

    fields: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # what the inputs show, by id


def form_errors(response) -> FormErrors:
    """Read the errors of a form page (see FormErrors)."""

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[tuple[str, str | None, str | None]] = []  # tag, id, summary href
            self.text: dict[str, str] = {}
            self.described: dict[str, list[str]] = {}
            self.values: dict[str, str] = {}
            self.summary: list[tuple[str, str]] = []
            self.in_summary = 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            classes = (attrs.get("class") or "").split()
            element_id = attrs.get("id")
            if attrs.get("aria-invalid") == "true" and element_id:
                self.described[element_id] = (attrs.get("aria-describedby") or "").split()
            if tag == "input" and element_id:
                self.values[element_id] = attrs.get("value") or ""
            href = attrs.get("href") if tag == "a" and self.in_summary else None
            if href:
                self.summary.append((href, ""))
            if tag in VOID_ELEMENTS:
                return
            if "error-summary" in classes:
                self.in_summary += 1
            self.open.append((tag, element_id, "error-summary" in classes))
            if element_id:
                self.text.setdefault(element_id, "")

        def handle_endtag(self, tag):
            while self.open:
                open_tag, _id, summary = self.open.pop()
                self.in_summary -= 1 if summary else 0
                if open_tag == tag:
                    break

        def handle_data(self, data):
            for _tag, element_id, _summary in self.open:
                if element_id:
                    self.text[element_id] += data
            if self.in_summary and self.summary and any(t == "a" for t, *_ in self.open):
                href, text = self.summary[-1]
                self.summary[-1] = (href, text + data)

    reader = Reader()
    reader.feed(response.get_data(as_text=True))
    squeeze = lambda text: " ".join(text.split())  # noqa: E731
    return FormErrors(
        fields={
            element_id: squeeze(
                " ".join(reader.text.get(ref, "") for ref in refs if "error" in ref)
            )
            for element_id, refs in reader.described.items()
        },
        summary=[(href, squeeze(text)) for href, text in reader.summary],
        values=reader.values,
    )
