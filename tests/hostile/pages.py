"""Reading the forms of a page the way a browser does: where each posts, and its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

CHOICE_INPUTS = {"checkbox", "radio"}
NOT_SENT = {"reset", "image"}


@dataclass
class FormField:
    name: str
    kind: str  # the input type, or "select" / "textarea"
    value: str = ""  # what the page filled in (the first checked / selected option for choices)
    options: list[str] = field(default_factory=list)  # values offered by a choice
    checked: list[str] = field(default_factory=list)  # options checked / selected on the page
    multiple: bool = False
    maxlength: int | None = None
    required: bool = False
    pattern: str | None = None  # a format the page asks for (a key, a colour), not free text


@dataclass
class Form:
    action: str  # the path (with its query) the form is sent to
    method: str
    multipart: bool
    fields: dict[str, FormField] = field(default_factory=dict)

    def as_sent(self) -> dict[str, list[str]]:
        """The fields the page filled in (choices only where one is checked or selected)."""
        data: dict[str, list[str]] = {}
        for item in self.fields.values():
            if item.kind in ("submit", "button", "file"):
                continue
            if item.kind in CHOICE_INPUTS or item.kind == "select":
                if item.checked:
                    data[item.name] = list(item.checked)
            else:
                data[item.name] = [item.value]
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = attributes.get("action") or self.page_url
            parts = urlsplit(action)
            self._form = Form(
                action=parts.path + (f"?{parts.query}" if parts.query else ""),
                method=attributes.get("method", "get").lower(),
                multipart="multipart" in attributes.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select.options.append(value)
            if "selected" in attributes:
                self._select.checked.append(value)
            return
        if self._form is None or "name" not in attributes:
            return
        name = attributes["name"]
        if tag in ("input", "button"):
            kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
            if kind in NOT_SENT:
                return
            item = self._form.fields.setdefault(name, FormField(name, kind))
            value = attributes.get("value", "on" if kind in CHOICE_INPUTS else "")
            if kind in CHOICE_INPUTS:
                item.options.append(value)
                item.multiple = item.multiple or kind == "checkbox"
                if "checked" in attributes:
                    item.checked.append(value)
            else:
                item.value = value
        elif tag == "select":
            self._select = self._form.fields.setdefault(
                name, FormField(name, "select", multiple="multiple" in attributes)
            )
        elif tag == "textarea":
            self._textarea = self._form.fields.setdefault(name, FormField(name, "textarea"))
        item = self._form.fields.get(name)
        if item is not None:
            item.required = item.required or "required" in attributes
            item.pattern = attributes.get("pattern") or item.pattern
            if attributes.get("maxlength", "").isdigit():
                item.maxlength = int(attributes["maxlength"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:  # HTML parsing drops the first line break
                self._textarea.value = self._textarea.value.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def forms_of(html: str, page_url: str) -> list[Form]:
    """The forms on a page."""
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms
