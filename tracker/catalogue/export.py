"""Writing the catalogue as YAML files in the documented format (docs/catalogue-format.md):
a programme with its themes' latest versions, or one theme's version, each loading back as
no change."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from tracker.benchmarks.content import Benchmark, FactorText
from tracker.benchmarks.models import BenchmarkVersion
from tracker.benchmarks.queries import latest_version
from tracker.catalogue.loader import FORMAT
from tracker.catalogue.models import Programme, QuestionKind, Theme
from tracker.content_languages import tidy

FORMAT_PAGE = Path(__file__).resolve().parents[2] / "docs" / "catalogue-format.md"


def programme_yaml(programme: Programme) -> str:
    """The programme, its context factors and each theme's latest published version."""
    document = {
        "format": FORMAT,
        "programme": _programme(programme),
        "themes": [_theme(theme, latest_version(theme.id)) for theme in programme.themes],
    }
    return _dump(document)


def theme_yaml(theme: Theme, version: BenchmarkVersion | None) -> str:
    """One theme's benchmark as `version` says it (the theme alone, its programme by key)."""
    document = {
        "format": FORMAT,
        "programme": {"key": theme.programme.key},
        "themes": [_theme(theme, version)],
    }
    return _dump(document)


def template_yaml() -> str:
    """An empty, commented file to start from: the example of the format page."""
    text = format_page()
    found = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    return found.group(1) if found else ""


def format_page() -> str:
    """The format page's Markdown, docs/catalogue-format.md."""
    return FORMAT_PAGE.read_text(encoding="utf-8")


def format_page_html() -> Markup:
    """The format page for the browser. Raw HTML in the Markdown is shown as text, not run."""
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(format_page())
    return Markup(html)  # noqa: S704 -- our own page, its raw HTML escaped by the renderer


def _programme(programme: Programme) -> dict[str, Any]:
    values: dict[str, Any] = {"key": programme.key, "name": programme.name}
    for name in ("full_name", "period_start", "period_end", "funder", "description"):
        if getattr(programme, name):
            values[name] = getattr(programme, name)
    if programme.context_factors:
        values["context_factors"] = [
            {"key": item.key, "title": item.title, "description": item.description}
            for item in programme.context_factors
        ]
    return values


def _theme(theme: Theme, version: BenchmarkVersion | None) -> dict[str, Any]:
    values: dict[str, Any] = {"code": theme.code, "title": theme.title}
    if theme.expert_organisation:
        values["expert_organisation"] = theme.expert_organisation.name
    for name in ("standard", "summary"):
        if getattr(theme, name):
            values[name] = _in_languages(theme, name)
    benchmark = Benchmark.from_json(version.content) if version else Benchmark()
    if benchmark.factors:
        values["factors"] = [_factor(factor) for factor in benchmark.factors]
    return values


def _factor(factor: FactorText) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": factor.key,
        "title": _in_languages(factor, "title"),
        "statement": _in_languages(factor, "statement"),
    }
    if factor.rationale:
        values["rationale"] = _in_languages(factor, "rationale")
    values["guide_questions"] = [
        _in_languages(question, "text")
        if question.kind == QuestionKind.SCALE.value
        else {"text": _in_languages(question, "text"), "answer": question.kind}
        for question in factor.guide_questions
    ]
    if factor.examples:
        values["examples"] = [
            {
                name: value
                for name, value in (
                    ("city", example.city),
                    ("country", example.country),
                    ("title", _in_languages(example, "title")),
                    ("summary", _in_languages(example, "summary")),
                    ("url", example.url),
                )
                if value
            }
            for example in factor.examples
        ]
    return values


def _in_languages(item: Any, name: str) -> str | dict[str, str]:
    """A text as the file gives it: the English alone, or with its translations when it has
    any, `{en: ..., fr: ..., de: ...}`."""
    english = getattr(item, name)
    translated = {
        language: texts[name]
        for language, texts in tidy(getattr(item, "translations", None)).items()
        if name in texts
    }
    return {"en": english, **translated} if translated else english


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a date of any date class (a test's frozen clock has its own)
    as a plain YAML date."""


_Dumper.add_multi_representer(date, yaml.representer.SafeRepresenter.represent_date)


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
