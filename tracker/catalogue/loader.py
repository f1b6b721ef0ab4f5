"""Loading benchmark catalogue files (YAML, format in docs/catalogue-format.md).

Programmes, context factors and themes are upserted, keyed on programme key, context-factor
key and theme code: loading the same file twice changes nothing, and a load never deletes
anything. A theme's benchmark is never changed in place: the file's benchmark is compared
with the theme's latest published version (factors by key, questions by position, examples
by city and title), and each theme whose benchmark it changes is reported, for the caller to
make it a draft (or, for a theme without any version yet, publish it as version 1).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import yaml
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from tracker.benchmarks.content import (
    Benchmark,
    ExampleText,
    FactorText,
    QuestionText,
    live_benchmark,
)
from tracker.benchmarks.diff import Difference, compare
from tracker.benchmarks.service import take_loaded_benchmarks
from tracker.catalogue.models import ContextFactor, Example, Programme, QuestionKind, Theme
from tracker.content_languages import TRANSLATED, Translations, pick, tidy
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind

FORMAT = "tracker-catalogue/1"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20  # a catalogue nests six levels deep (programme, themes, factors, examples...)
MAX_NUMBER_CHARS = 30
# The texts of each kind of item, and the most characters their columns hold (None: any).
TEXTS: dict[str, dict[str, int | None]] = {
    "programme": {"key": 60, "name": 200, "full_name": 300, "funder": 300, "description": None},
    "context factor": {"key": 80, "title": 200, "description": None},
    "theme": {"title": 300, "expert_organisation": 200, "standard": None, "summary": None},
    "factor": {"key": 80, "title": 300, "statement": None, "rationale": None},
    "example": {"city": 200, "country": 100, "title": 300, "summary": None, "url": 1000},
}
# The texts that may be given in several languages, `title: {en: ..., fr: ..., de: ...}`
# (English required); the others are English only.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "theme": ("standard",),
    "factor": ("title", "statement", "rationale"),
    "question": ("text",),
    "example": ("title", "summary"),
}
QUESTION_LIMITS: dict[str, int | None] = {"text": None}


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; nothing from it was saved."""


@dataclass(frozen=True)
class ChangedBenchmark:
    """A theme whose benchmark the file changes: what the file says, and how it differs."""

    theme: Theme
    benchmark: Benchmark
    difference: Difference


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    programmes: list[str] = field(default_factory=list)
    benchmarks: list[ChangedBenchmark] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or self.benchmarks)

    def describe(self) -> str:
        """What the load changed, in the reader's language (English outside a request)."""
        if not self.changed:
            return _("nothing changed")
        parts = [COUNTED[kind][0](count) for kind, count in sorted(self.created.items())] + [
            COUNTED[kind][1](count) for kind, count in sorted(self.updated.items())
        ]
        parts += [
            _(
                "theme %(code)s's benchmark: %(summary)s",
                code=item.theme.code,
                summary=item.difference.summary(),
            )
            for item in self.benchmarks
        ]
        return ", ".join(parts)


# What a load adds or updates, counted in words: (added, updated) for each kind of item.
COUNTED: dict[str, tuple[Callable[[int], str], Callable[[int], str]]] = {
    "programmes": (
        lambda n: ngettext("%(num)d programme added", "%(num)d programmes added", n),
        lambda n: ngettext("%(num)d programme updated", "%(num)d programmes updated", n),
    ),
    "context factors": (
        lambda n: ngettext("%(num)d context factor added", "%(num)d context factors added", n),
        lambda n: ngettext("%(num)d context factor updated", "%(num)d context factors updated", n),
    ),
    "themes": (
        lambda n: ngettext("%(num)d theme added", "%(num)d themes added", n),
        lambda n: ngettext("%(num)d theme updated", "%(num)d themes updated", n),
    ),
    "organisations": (
        lambda n: ngettext("%(num)d organisation added", "%(num)d organisations added", n),
        lambda n: ngettext("%(num)d organisation updated", "%(num)d organisations updated", n),
    ),
}


def bundled_files() -> list[Path]:
    """The catalogue files shipped with the tracker."""
    folder = resources.files("tracker.catalogue") / "data"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


class _CatalogueLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing what no catalogue holds and what could exhaust the server
    before it is built: nesting deeper than MAX_DEPTH (the safe loader recurses without
    limit), aliases (a few lines of them can stand for millions of items), and numbers longer
    than MAX_NUMBER_CHARS."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not used", mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_number(self, node: yaml.ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number longer than {MAX_NUMBER_CHARS} characters", node.start_mark
            )
        if node.tag.endswith(":int"):
            return self.construct_yaml_int(node)
        return self.construct_yaml_float(node)


_CatalogueLoader.add_constructor("tag:yaml.org,2002:int", _CatalogueLoader.construct_number)
_CatalogueLoader.add_constructor("tag:yaml.org,2002:float", _CatalogueLoader.construct_number)


def parse(stream: TextIO | str | bytes, source: str = "file") -> dict[str, Any]:
    """Read and check one catalogue document."""
    if not isinstance(stream, (str, bytes)):
        stream = stream.read(MAX_FILE_BYTES + 1)
    if len(stream) > MAX_FILE_BYTES or (
        isinstance(stream, str) and len(stream.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
    ):
        raise CatalogueError(f"{source}: the file is larger than 1 MB.")
    if isinstance(stream, bytes):
        try:
            stream = stream.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CatalogueError(f"{source}: the file is not UTF-8 text.") from error
    loader = _CatalogueLoader(stream)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        raise CatalogueError(f"{source}: not valid YAML ({error}).") from error
    finally:
        loader.dispose()
    _check_document(document, source)
    return document


def load_files(paths: list[Path]) -> LoadReport:
    """Load several files (the command line's way): files that name a programme come before
    those that only refer to it; a theme without any version gets the file's benchmark as
    version 1, and a change to a published one becomes a draft."""
    documents = [parse(path.read_text(encoding="utf-8"), path.name) for path in paths]
    documents.sort(key=lambda document: "name" not in document["programme"])
    report = LoadReport()
    for document in documents:
        load_document(document, report)
    take_loaded_benchmarks(None, report, ", ".join(path.name for path in paths), first=True)
    return report


def load_document(document: dict[str, Any], report: LoadReport | None = None) -> LoadReport:
    """Upsert one checked document into the database (flushes, does not commit)."""
    report = report or LoadReport()
    programme = _upsert_programme(document["programme"], report)
    for position, item in enumerate(document["programme"].get("context_factors") or [], 1):
        _upsert_context_factor(programme, position, item, report)
    for item in document.get("themes") or []:
        _upsert_theme(programme, item, report)
    db.session.flush()
    if programme.key not in report.programmes:
        report.programmes.append(programme.key)
    return report


# --- checking -------------------------------------------------------------------------------


def _check_document(document: Any, source: str) -> None:
    problems: list[str] = []
    if not isinstance(document, dict):
        raise CatalogueError(f"{source}: expected a mapping at the top of the file.")
    if document.get("format") != FORMAT:
        problems.append(f"'format' must be '{FORMAT}'")
    programme = document.get("programme")
    if not isinstance(programme, dict) or not _is_slug(programme.get("key")):
        problems.append("'programme.key' must be a slug such as 'cities-grow'")
        programme = {}
    for name in ("period_start", "period_end"):
        if name in programme and not isinstance(programme[name], date):
            problems.append(f"'programme.{name}' must be a date such as 2017-02-01")
    if "name" in programme and not _text(programme["name"]):
        problems.append("'programme.name' cannot be empty")
    _check_texts(programme, "programme", "the programme", problems)
    _check_keyed_list(programme.get("context_factors"), "context factor", ("title",), problems)
    for item in _dicts(programme.get("context_factors")):
        _check_texts(item, "context factor", f"context factor '{item.get('key')}'", problems)
    themes = document.get("themes") or []
    if not isinstance(themes, list):
        problems.append("'themes' must be a list")
        themes = []
    _split_languages(themes, problems)
    codes = [theme.get("code") for theme in _dicts(themes) if isinstance(theme.get("code"), str)]
    for index, theme in enumerate(themes, 1):
        _check_theme(theme, index, problems)
    if len(set(codes)) != len(codes):
        problems.append("theme codes must be unique in a file")
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems) + ".")


def _check_theme(theme: Any, index: int, problems: list[str]) -> None:
    if not isinstance(theme, dict):
        problems.append(f"theme {index} must be a mapping")
        return
    code = theme.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z0-9]{1,10}", code):
        problems.append(f"theme {index} needs a 'code' of capital letters or digits")
    if not _text(theme.get("title")):
        problems.append(f"theme {code or index} needs a 'title'")
    _check_texts(theme, "theme", f"theme {code or index}", problems)
    factors = theme.get("factors") or []
    _check_keyed_list(factors, f"factor of theme {code}", ("title", "statement"), problems)
    for factor in _dicts(factors):
        _check_texts(factor, "factor", f"factor '{factor.get('key')}'", problems)
        questions = factor.get("guide_questions")
        if not isinstance(questions, list) or not questions or not all(map(_question, questions)):
            problems.append(
                f"factor '{factor.get('key')}' needs at least one guide question, each a text "
                f"or a mapping with 'text' and 'answer: scale' or 'answer: open'"
            )
        examples = factor.get("examples") or []
        if not isinstance(examples, list):
            problems.append(f"the examples of factor '{factor.get('key')}' must be a list")
            continue
        for example in examples:
            if not isinstance(example, dict) or not all(
                _text(example.get(name)) for name in ("city", "title", "summary")
            ):
                problems.append(
                    f"each example of factor '{factor.get('key')}' needs city, title and summary"
                )
            else:
                _check_texts(example, "example", f"example '{example['title']}'", problems)


def _split_languages(themes: list[Any], problems: list[str]) -> None:
    """Replace each text given in several languages by its English, and keep the others in
    the item's `translations` ({"fr": {"title": ...}}), checked as its English would be."""
    for theme in _dicts(themes):
        _split_item(theme, "theme", TEXTS["theme"], f"theme {theme.get('code')}", problems)
        for factor in _dicts(theme.get("factors")):
            label = f"factor '{factor.get('key')}'"
            _split_item(factor, "factor", TEXTS["factor"], label, problems)
            questions = factor.get("guide_questions")
            for question in _dicts(questions):
                _split_item(
                    question, "question", QUESTION_LIMITS, f"a question of {label}", problems
                )
            for example in _dicts(factor.get("examples")):
                _split_item(
                    example, "example", TEXTS["example"], f"an example of {label}", problems
                )


def _split_item(
    item: dict[str, Any],
    kind: str,
    limits: dict[str, int | None],
    label: str,
    problems: list[str],
) -> None:
    if item.pop("translations", None) is not None:
        problems.append(f"{label}: translations are given beside each text, as title: {{en: ...}}")
    for name in TRANSLATABLE[kind]:
        value = item.get(name)
        if not isinstance(value, dict):
            continue
        languages = {"en", *TRANSLATED}
        if not set(value) <= languages or not _text(value.get("en")):
            problems.append(
                f"{label}: '{name}' in several languages is a mapping of "
                f"{', '.join(sorted(languages))} with en required"
            )
            item[name] = None
            continue
        texts = {language: text for language, text in value.items() if text is not None}
        if not all(isinstance(text, str) and "\x00" not in text for text in texts.values()):
            problems.append(f"{label}: each language of '{name}' must be text")
            item[name] = None
            continue
        limit = limits.get(name)
        if limit is not None and any(len(text.strip()) > limit for text in texts.values()):
            problems.append(f"{label}: '{name}' must be at most {limit} characters")
        item[name] = texts.pop("en")
        translations = item.setdefault("translations", {})
        for language, text in texts.items():
            translations.setdefault(language, {})[name] = text


def _check_keyed_list(
    items: Any, label: str, required: tuple[str, ...], problems: list[str]
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        problems.append(f"each {label} list must be a list")
        return
    keys = []
    for item in items:
        if not isinstance(item, dict) or not _is_slug(item.get("key")):
            problems.append(f"each {label} needs a slug 'key'")
            continue
        keys.append(item["key"])
        missing = [name for name in required if not _text(item.get(name))]
        if missing:
            problems.append(f"{label} '{item['key']}' needs {', '.join(missing)}")
    if len(set(keys)) != len(keys):
        problems.append(f"{label} keys must be unique")


def _check_texts(item: dict[str, Any], kind: str, label: str, problems: list[str]) -> None:
    """The item's texts are text (no NUL, which no database column holds) that fits their
    columns, and an example's link is a web address (never javascript: or data:)."""
    for name, limit in TEXTS[kind].items():
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or "\x00" in value:
            problems.append(f"{label}: '{name}' must be text")
        elif limit is not None and len(value.strip()) > limit:
            problems.append(f"{label}: '{name}' must be at most {limit} characters")
        elif name == "url" and urlsplit(value.strip()).scheme not in ("http", "https"):
            problems.append(f"{label}: 'url' must start with https:// or http://")


def _dicts(items: Any) -> list[dict[str, Any]]:
    """The mappings of a list (what is not a list, or not a mapping, is reported elsewhere)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _is_slug(value: Any) -> bool:
    return isinstance(value, str) and bool(SLUG.match(value))


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _question(value: Any) -> bool:
    """A guide question: its text, or a mapping of its text and answer kind."""
    if isinstance(value, dict):
        return (
            _text(value.get("text"))
            and "\x00" not in value["text"]
            and value.get("answer", QuestionKind.SCALE.value) in {k.value for k in QuestionKind}
            and set(value) <= {"text", "answer", "translations"}
        )
    return _text(value) and "\x00" not in value


# --- upserting ------------------------------------------------------------------------------


def _assign(obj: Any, values: dict[str, Any], kind: str, report: LoadReport) -> None:
    """Set the attributes that differ, counting the object as updated when any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed and obj in db.session and obj not in db.session.new:
        report.updated[kind] += 1


def _create(model: type, values: dict[str, Any], kind: str, report: LoadReport) -> Any:
    """A new object, counted; the caller attaches it to its parent (or adds a top-level one)."""
    report.created[kind] += 1
    return model(**values)


def _optional(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: _clean(data[name]) for name in names if name in data}


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _upsert_programme(data: dict[str, Any], report: LoadReport) -> Programme:
    programme = db.session.execute(
        select(Programme).where(Programme.key == data["key"])
    ).scalar_one_or_none()
    values = _optional(
        data, "name", "full_name", "period_start", "period_end", "funder", "description"
    )
    start = values.get("period_start", programme.period_start if programme else None)
    end = values.get("period_end", programme.period_end if programme else None)
    if start and end and end < start:
        raise CatalogueError(f"programme '{data['key']}': its period ends before it starts.")
    if programme is None:
        if not _text(data.get("name")):
            raise CatalogueError(
                f"programme '{data['key']}' is new, so its file must give its 'name'."
            )
        programme = _create(Programme, {"key": data["key"], **values}, "programmes", report)
        db.session.add(programme)
        return programme
    _assign(programme, values, "programmes", report)
    return programme


def _upsert_context_factor(
    programme: Programme, position: int, data: dict[str, Any], report: LoadReport
) -> None:
    existing = {item.key: item for item in programme.context_factors}
    values = {"title": _clean(data["title"]), "description": _clean(data.get("description") or "")}
    if data["key"] in existing:
        _assign(existing[data["key"]], values, "context factors", report)
    else:
        programme.context_factors.append(
            _create(
                ContextFactor,
                {"key": data["key"], "position": position, **values},
                "context factors",
                report,
            )
        )


def _upsert_theme(programme: Programme, data: dict[str, Any], report: LoadReport) -> None:
    theme = next((item for item in programme.themes if item.code == data["code"]), None)
    values = {"title": _clean(data["title"]), **_optional(data, "standard", "summary")}
    if "standard" in data:
        values["translations"] = pick(data.get("translations") or {}, "standard")
    if "expert_organisation" in data and data["expert_organisation"]:
        values["expert_organisation"] = _expert_organisation(data["expert_organisation"], report)
    if theme is None:
        theme = _create(Theme, {"code": data["code"], **values}, "themes", report)
        programme.themes.append(theme)
    else:
        _assign(theme, values, "themes", report)
    if data.get("factors"):
        db.session.flush()  # a new theme gets its id
        _file_benchmark(theme, data["factors"], report)


def _expert_organisation(name: str, report: LoadReport) -> Organisation:
    name = name.strip()
    organisation = db.session.execute(
        select(Organisation).where(Organisation.name == name)
    ).scalar_one_or_none()
    if organisation is None:
        organisation = _create(
            Organisation, {"name": name, "kind": OrganisationKind.EXPERT}, "organisations", report
        )
        db.session.add(organisation)
    elif organisation.kind is not OrganisationKind.EXPERT:
        raise CatalogueError(f"'{name}' exists but is not an expert organisation.")
    return organisation


def _file_benchmark(theme: Theme, items: list[dict[str, Any]], report: LoadReport) -> None:
    """Compare the file's benchmark for the theme with its live one; report it if it differs.
    Ids come from the live benchmark, so a reworded factor or question stays the same one."""
    live = live_benchmark(theme.id) if theme.id is not None else Benchmark()
    factors = []
    for item in items:
        current = live.factor(item["key"])
        questions = [_question_text(question) for question in item["guide_questions"]]
        factors.append(
            FactorText(
                id=current.id if current else None,
                key=item["key"],
                title=_clean(item["title"]),
                statement=_clean(item["statement"]),
                rationale=_clean(item.get("rationale") or ""),
                translations=tidy(item.get("translations")),
                guide_questions=tuple(
                    QuestionText(
                        text=text,
                        kind=kind,
                        translations=translations,
                        id=current.guide_questions[index].id
                        if current and index < len(current.guide_questions)
                        else None,
                    )
                    for index, (text, kind, translations) in enumerate(questions)
                ),
                examples=tuple(
                    _example_text(example, current) for example in item.get("examples") or []
                ),
            )
        )
    benchmark = Benchmark(tuple(factors)).renumbered()
    difference = compare(live, benchmark)
    if not difference.is_empty:
        report.benchmarks.append(ChangedBenchmark(theme, benchmark, difference))


def _question_text(item: str | dict[str, Any]) -> tuple[str, str, Translations]:
    if isinstance(item, dict):
        return (
            item["text"].strip(),
            item.get("answer", QuestionKind.SCALE.value),
            tidy(item.get("translations")),
        )
    return item.strip(), QuestionKind.SCALE.value, {}


def _example_text(data: dict[str, Any], current: FactorText | None) -> ExampleText:
    city, title = data["city"].strip(), data["title"].strip()
    same = next(
        (e for e in (current.examples if current else ()) if (e.city, e.title) == (city, title)),
        None,
    )
    return ExampleText(
        id=same.id if same else None,
        city=city,
        city_id=_city_id(city, same.city_id if same else None),
        country=_clean(data.get("country")) or None,
        title=title,
        summary=_clean(data["summary"]),
        url=_clean(data.get("url")) or None,
        translations=tidy(data.get("translations")),
    )


def _city_id(name: str, linked: int | None = None) -> int | None:
    """The city of this name; else the city the example is linked to already (a city renamed
    in the tracker keeps its examples when the catalogue is loaded again)."""
    named = db.session.execute(
        select(Organisation.id).where(
            Organisation.name == name, Organisation.kind == OrganisationKind.CITY
        )
    ).scalar_one_or_none()
    return named if named is not None else linked


def link_examples_to_cities() -> int:
    """Point examples at the city organisations of the same name; return how many changed."""
    changed = 0
    for example in db.session.execute(select(Example)).scalars():
        city_id = _city_id(example.city_name, example.city_id)
        if example.city_id != city_id:
            example.city_id = city_id
            changed += 1
    return changed
