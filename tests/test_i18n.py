"""The interface is ready for translation: every string a person reads goes through gettext.

None of these checks needs a database: Babel extracts the messages with the mapping in
babel.cfg; no template holds words outside `_()`; no flash message or domain error is a bare
string in the Python code.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from jinja2 import Environment, nodes

from config import BASE_DIR, TestConfig
from tracker import create_app

TEMPLATES = BASE_DIR / "templates"
TEMPLATE_SUFFIXES = {".html", ".txt", ".svg"}
# What `make messages` passes: `-k _l -k lazy_pgettext:1c,2 -k N_ -k NP_:1,2` (argument 1 of
# lazy_pgettext is the context; N_ and NP_: tracker/messages.py).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_pgettext": ((1, "c"), 2),
    "N_": None,
    "NP_": (1, 2),
}
GETTEXT_NAMES = {name for name in KEYWORDS if "gettext" in name or "_" in name}

# Attributes a person reads or hears: a tooltip, a screen reader's label, an empty field's hint.
HUMAN_FACING_ATTRIBUTES = {
    "title",
    "alt",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "placeholder",
    "label",
}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
NON_TEXT_ELEMENTS = {"script", "style"}

# Words a translator would leave as they are (a brand, a unit), each with the reason why. None
# so far: symbols and numbers pass without it, and units go through _() with their number.
UNTRANSLATABLE: dict[str, str] = {}

# A Jinja tag or comment becomes JINJA, and the n-th `{{ }}` the character n after it, so the
# HTML around them still parses and an expression's place (text, attribute) is known.
JINJA = 0xE000
MARKER = re.compile("[\ue000-\uf8ff]")
LETTER = re.compile(r"[^\W\d_]")


@pytest.fixture(scope="module")
def jinja_env() -> Environment:
    """The app's own Jinja environment: its extensions and delimiters decide what is text."""
    return create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).jinja_env


def template_paths() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in TEMPLATE_SUFFIXES)


# Extraction ----------------------------------------------------------------------------------


def relative_names(paths: list[Path]) -> set[str]:
    return {path.relative_to(BASE_DIR).as_posix() for path in paths}


def test_babel_extracts_every_file_with_the_projects_mapping(capsys):
    with (BASE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    extracted_from: list[str] = []

    # babel.cfg says `silent = false`: a template that does not parse raises instead of being
    # skipped. Babel writes its other complaints (an empty msgid) to stderr.
    messages = list(
        extract_from_dir(
            BASE_DIR,
            method_map,
            options_map,
            keywords=KEYWORDS,
            callback=lambda filename, method, options: extracted_from.append(filename),
        )
    )

    assert capsys.readouterr().err == ""
    python_files = list((BASE_DIR / "tracker").rglob("*.py"))
    assert set(extracted_from) == relative_names(template_paths() + python_files)
    ids = {text if isinstance(text, str) else text[0] for _file, _line, text, *_rest in messages}
    assert {"Mentoring tracker", "Draft", "Give the action a title.", "%(num)d overdue item"} <= ids
    from_templates = [message for message in messages if message[0].startswith("templates/")]
    # Today about 1,050 distinct messages, 950 of them from templates: far fewer means files
    # or keywords went missing from the mapping.
    assert len(ids) > 800 and len(from_templates) > 600, (len(ids), len(from_templates))


# Templates -----------------------------------------------------------------------------------


class Template(NamedTuple):
    text: str  # the literal text, with markers for the Jinja constructs
    expressions: list[str]  # the source of each `{{ }}`, by its marker


def without_jinja(env: Environment, source: str) -> Template:
    """The template's literal text, each Jinja construct replaced by a marker (line breaks kept).

    Text inside {% trans %} goes to gettext, so it counts as a Jinja construct.
    """
    parts: list[str] = []
    expressions: list[str] = []
    in_expression = tag_name_follows = in_trans = False
    for _line, kind, value in env.lex(source):
        if kind == "data" and not in_trans:
            parts.append(value)
            continue
        if kind == "variable_begin" and not in_trans:
            in_expression = True
            expressions.append("")
            parts.append(chr(JINJA + len(expressions)))
        elif kind == "variable_end":
            in_expression = False
        elif in_expression:
            expressions[-1] += value
        elif kind in ("block_begin", "comment_begin"):
            tag_name_follows = kind == "block_begin"
            parts.append(chr(JINJA))
        elif kind == "name" and tag_name_follows:
            tag_name_follows = False
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        parts.append("\n" * value.count("\n"))
    return Template("".join(parts), expressions)


class HumanFacingText(HTMLParser):
    """Collects (line, text) for text nodes and human-facing attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.inside_non_text: str | None = None

    def note(self, text: str) -> None:
        first_letter = LETTER.search(text)
        line = self.getpos()[0] + text[: first_letter.start() if first_letter else 0].count("\n")
        self.found.append((line, text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NON_TEXT_ELEMENTS:
            self.inside_non_text = tag
        self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        is_button = tag == "input" and dict(attrs).get("type") in BUTTON_INPUT_TYPES
        for name, value in attrs:
            if value and (name in HUMAN_FACING_ATTRIBUTES or (is_button and name == "value")):
                self.note(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside_non_text:
            self.inside_non_text = None

    def handle_data(self, data: str) -> None:
        if self.inside_non_text is None:
            self.note(data)


def human_facing(name: str, text: str) -> list[tuple[int, str]]:
    """(line, text) for each piece of the template a person reads or hears."""
    if name.endswith(".txt"):  # a plain-text email: all of it is read
        return list(enumerate(text.splitlines(), 1))
    parser = HumanFacingText()
    parser.feed(text)
    parser.close()
    return parser.found


def rendered_constants(node: nodes.Node) -> list[str]:
    """The strings an expression may print as they are: `"text"`, `x or "text"`, `"a" ~ b`."""
    if isinstance(node, nodes.Const):
        return [node.value] if isinstance(node.value, str) else []
    children: list[nodes.Node | None] = []
    if isinstance(node, nodes.CondExpr):
        children = [node.expr1, node.expr2]
    elif isinstance(node, nodes.BinExpr):
        children = [node.left, node.right]
    elif isinstance(node, nodes.Concat):
        children = list(node.nodes)
    elif isinstance(node, nodes.Filter):
        children = [node.node]
    return [text for child in children if child for text in rendered_constants(child)]


def printed_constants(env: Environment, expression: str) -> list[str]:
    output = env.parse("{{" + expression + "}}").body[0]
    return rendered_constants(output.nodes[0])


def is_words(text: str) -> bool:
    return bool(LETTER.search(text)) and text not in UNTRANSLATABLE


def untranslated_text(env: Environment, name: str, source: str) -> list[str]:
    """Words a template shows as they are, outside `_()`: in its text or as quoted strings."""
    template = without_jinja(env, source)
    defects = []
    for line, fragment in human_facing(name, template.text):
        words = " ".join(MARKER.sub(" ", fragment).split())
        quoted = [
            text
            for marker in MARKER.findall(fragment)
            if ord(marker) != JINJA
            for text in printed_constants(env, template.expressions[ord(marker) - JINJA - 1])
        ]
        defects += [f"{name}:{line}: {text!r}" for text in [words, *quoted] if is_words(text)]
    return defects


def unextractable_gettext(env: Environment, name: str, source: str) -> list[str]:
    """`_()` calls whose message Babel cannot read, so it never reaches the translators."""
    return [
        f"{name}:{call.lineno}: _() of something other than a literal"
        for call in env.parse(source).find_all(nodes.Call)
        if isinstance(call.node, nodes.Name)
        and call.node.name in GETTEXT_NAMES
        and not (call.args and isinstance(call.args[0], nodes.Const))
    ]


def template_defects(env: Environment, name: str, source: str) -> list[str]:
    return untranslated_text(env, name, source) + unextractable_gettext(env, name, source)


def test_templates_put_every_word_a_person_reads_through_gettext(jinja_env):
    defects = [
        defect
        for path in template_paths()
        for defect in template_defects(
            jinja_env, path.relative_to(TEMPLATES).as_posix(), path.read_text(encoding="utf-8")
        )
    ]
    assert not defects, "Text to put through _():\n" + "\n".join(defects)


@pytest.mark.parametrize(
    ("source", "defect"),
    [
        ("<p>Hello</p>", "page.html:1: 'Hello'"),
        ("<p>\n{% if x %}\n  Second line{% endif %}</p>", "page.html:3: 'Second line'"),
        ('<img src="x.png" alt="A map">', "'A map'"),
        ('<input type="submit" value="Save">', "'Save'"),
        ('<a title="{{ _(\'Open\') }} now" href="/">{{ _("x") }}</a>', "'now'"),
        ("<p>{{ count if count else 'none yet' }}</p>", "'none yet'"),
        ("<p>{{ x or 'Nothing' }}</p>", "'Nothing'"),
        ("{{ _(label) }}", "_() of something other than a literal"),
    ],
)
def test_the_template_check_finds_untranslated_text(jinja_env, source, defect):
    found = template_defects(jinja_env, "page.html", source)
    assert len(found) == 1 and defect in found[0], found


def test_the_template_check_passes_markup_and_translated_text(jinja_env):
    source = (
        '<!doctype html><p class="lead" data-x="y">{{ _("Hello") }} &middot; {{ name }}</p>'
        '<img src="x.png" alt="{{ _(\'A map\') }}"><input type="hidden" name="n" value="v">'
        "<span class=\"{{ 'is-new' if new }}\">{{ _('New') if new else '—' }}</span>"
        "{# a comment #}<!-- a comment --><style>p { color: red }</style>"
        "{% trans %}Hello {{ name }}{% endtrans %}"
    )
    assert template_defects(jinja_env, "page.html", source) == []


def test_a_plain_text_email_is_read_whole(jinja_env):
    assert template_defects(jinja_env, "mail.txt", "Hello {{ name }},\n{{ _('Bye') }}") == [
        "mail.txt:1: 'Hello ,'"
    ]


# Python ----------------------------------------------------------------------------------------

MESSAGE_TAKERS = {"flash", "RuleViolation", "InvalidTransition", "StaleObject"}
# Sentences kept in the database for readers in any language: the argument (by position) that
# must be a message id with parameters, N_(...), never words written (or translated) in place.
KEPT_SENTENCES = {"record": 3, "notify": 2, "Reminder": 3, "queue_email": 2}
# The one module that translates message ids read from the database (they were extracted
# where they were written, with N_).
TRANSLATES_KEPT_MESSAGES = {"tracker/messages.py"}


def called_name(call: ast.Call) -> str | None:
    function = call.func
    return function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)


def is_text(node: ast.expr) -> bool:
    """Words written in place (a literal, f-string, +, %, .format) rather than translated."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(is_text(part) for part in node.values)
    if isinstance(node, ast.BinOp):
        return is_text(node.left) or is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and is_text(node.func.value)
    return False


def untranslated_messages(source: str, filename: str) -> list[str]:
    """flash() and domain-error messages written as bare strings, and _() of built strings."""
    problems = []
    for call in ast.walk(ast.parse(source, filename)):
        if not (isinstance(call, ast.Call) and call.args):
            continue
        name, message = called_name(call), call.args[0]
        if name in MESSAGE_TAKERS and is_text(message):
            problems.append(f"{filename}:{call.lineno}: {name}() of a bare string")
        elif (
            name in GETTEXT_NAMES
            and filename not in TRANSLATES_KEPT_MESSAGES
            and not (isinstance(message, ast.Constant) and isinstance(message.value, str))
        ):
            problems.append(f"{filename}:{call.lineno}: {name}() of something Babel cannot read")
        position = KEPT_SENTENCES.get(name, len(call.args))
        if position < len(call.args) and written_in_place(call.args[position]):
            problems.append(f"{filename}:{call.lineno}: {name}() of words, not N_(...)")
    return problems


def written_in_place(node: ast.expr) -> bool:
    """A sentence as words (a string, an f-string, words joined) or translated now, for the
    language of whoever happens to cause it, instead of a message id kept for its readers."""
    if isinstance(node, ast.IfExp):
        return written_in_place(node.body) or written_in_place(node.orelse)
    if isinstance(node, ast.Call) and called_name(node) in GETTEXT_NAMES - {"N_", "NP_"}:
        return True
    return is_text(node) or isinstance(node, (ast.JoinedStr, ast.Constant))


def test_flash_messages_and_domain_errors_are_translated():
    defects = [
        problem
        for path in sorted((BASE_DIR / "tracker").rglob("*.py"))
        for problem in untranslated_messages(
            path.read_text(encoding="utf-8"), path.relative_to(BASE_DIR).as_posix()
        )
    ]
    assert not defects, "\n".join(defects)


@pytest.mark.parametrize(
    "source",
    [
        'flash("Saved.")',
        'flash(f"Saved {name}.", "success")',
        'raise RuleViolation("Too late.", "ends_on")',
        'raise errors.InvalidTransition("Not now " + status)',
        'flash("{} saved".format(name))',
        "flash(_(f'Saved {name}.'))",
    ],
)
def test_the_python_check_finds_bare_messages(source):
    assert untranslated_messages(source, "view.py")


def test_the_python_check_passes_translated_messages():
    source = (
        'flash(_("Saved %(name)s.", name=name), "success")\n'
        "flash(str(error.message))\n"
        'raise RuleViolation(_l("Too late."), "ends_on")\n'
        'flash(ngettext("%(num)d file", "%(num)d files", n))\n'
    )
    assert untranslated_messages(source, "view.py") == []


@pytest.mark.parametrize(
    "call",
    [
        'record(actor, "plan.updated", plan, f"Updated the plan of {pair.label}")',
        'record(actor, "plan.updated", plan, "Updated the plan")',
        'record(actor, "plan.updated", plan, _("Updated the plan of %(p)s", p=pair.label))',
        'notify(users, "comment", "New comment: " + title, link)',
        'notify(users, "comment", N_("Hello") if new else f"Bye {name}", link)',
    ],
)
def test_kept_sentences_are_never_words(call):
    assert untranslated_messages(call, "tracker/area/service.py") != []


def test_a_kept_sentence_is_a_message_id_with_parameters():
    call = 'record(actor, "plan.updated", plan, N_("Updated the plan of %(p)s", p=pair.label))'
    assert untranslated_messages(call, "tracker/area/service.py") == []
