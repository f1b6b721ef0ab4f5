"""Setting up a programme: the programme, its themes, context factors and deliverable
templates, each change checked whole (every problem reported at once) and audited; and the
deliverables a new pair owes by its programme's templates."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.loader import SLUG
from tracker.catalogue.models import ContextFactor, Programme, Theme
from tracker.content_languages import Translations, pick
from tracker.db import utcnow
from tracker.deliverables.models import Deliverable, DeliverableKind, DeliverableStatus
from tracker.exceptions import Place, RuleViolation
from tracker.extensions import db
from tracker.locking import touch
from tracker.messages import N_, Message
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair
from tracker.programmes.models import PROGRAMME_COLOURS, DeliverableTemplate, ResponsibleParty
from tracker.programmes.queries import deliverable_templates

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
THEME_CODE = re.compile(r"[A-Z0-9]{1,10}")
# Words the programmes' and the catalogue's own addresses use (/programmes/new, /catalogue/load).
RESERVED_KEYS = frozenset({"new", "load"})
MAX_MONTHS = 120  # ten years: longer than any programme, and a typo beyond it is caught


class Problems:
    """The problems found in one form's values, raised together so each shows by its field."""

    def __init__(self) -> None:
        self.found: list[tuple[Place, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def raise_any(self) -> None:
        if self.found:
            raise RuleViolation(self.found[0][1], self.found[0][0], self.found)


def save_programme(
    actor: User,
    programme: Programme | None,
    *,
    key: str,
    name: str,
    full_name: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    funder: str = "",
    description: str = "",
    colours: dict[str, str] | None = None,
) -> Programme:
    """Create a programme (when None is given) or change one. `colours` maps any of
    PROGRAMME_COLOURS to #rrggbb, or to "" for the network's setting."""
    key, name = key.strip().lower(), name.strip()
    problems = Problems()
    if not name:
        problems.add("name", _("Give the programme a name."))
    if not SLUG.fullmatch(key):
        problems.add(
            "key",
            _(
                "Give a short key in small letters, digits and hyphens, for example "
                "cities-grow: it is part of the programme's web addresses."
            ),
        )
    elif key in RESERVED_KEYS:
        problems.add(
            "key", _("The tracker's addresses use the word %(key)s: choose another key.", key=key)
        )
    elif _taken(sa.select(Programme.id).where(Programme.key == key), programme):
        problems.add("key", _("Another programme already has the key %(key)s.", key=key))
    if period_start and period_end and period_end < period_start:
        problems.add("period_end", _("The period ends before it starts."))
    colours = {
        field: (value or "").strip().lower()
        for field, value in (colours or {}).items()
        if field in PROGRAMME_COLOURS
    }
    for field, value in colours.items():
        if value and not HEX_COLOUR.fullmatch(value):
            problems.add(
                field, _("Write the colour as # and six hexadecimal digits, for example #1d4e89.")
            )
    problems.raise_any()

    is_new = programme is None
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    programme.key, programme.name = key, name
    programme.full_name = full_name.strip() or None
    programme.period_start, programme.period_end = period_start, period_end
    programme.funder = funder.strip() or None
    programme.description = description.strip() or None
    for field, value in colours.items():
        setattr(programme, field, value or None)
    db.session.flush()
    record(
        actor,
        "programme.created" if is_new else "programme.updated",
        programme,
        N_("Created the programme %(name)s (%(key)s)", name=name, key=key)
        if is_new
        else N_("Changed the programme %(name)s (%(key)s)", name=name, key=key),
    )
    return programme


def save_theme(
    actor: User,
    programme: Programme,
    theme: Theme | None,
    *,
    code: str,
    title: str,
    standard: str = "",
    summary: str = "",
    expert_organisation_id: int | None = None,
    translations: Translations | None = None,
) -> Theme:
    """Add a theme to the programme (when None is given) or change one."""
    code, title = code.strip().upper(), title.strip()
    problems = Problems()
    if not THEME_CODE.fullmatch(code):
        problems.add("code", _("Give a code of up to 10 letters or digits, for example B."))
    elif _taken(
        sa.select(Theme.id).where(Theme.programme_id == programme.id, Theme.code == code), theme
    ):
        problems.add(
            "code",
            _(
                "%(programme)s already has a theme %(code)s: choose another code.",
                programme=programme.name,
                code=code,
            ),
        )
    if not title:
        problems.add("title", _("Give the theme a title."))
    expert = (
        db.session.get(Organisation, expert_organisation_id) if expert_organisation_id else None
    )
    if expert_organisation_id and (expert is None or expert.kind is not OrganisationKind.EXPERT):
        problems.add(
            "expert_organisation_id",
            _("Choose an expert partner: only they facilitate themes."),
        )
    problems.raise_any()

    is_new = theme is None
    if theme is None:
        theme = Theme(programme=programme)
        db.session.add(theme)
    theme.code, theme.title = code, title
    theme.standard, theme.summary = standard.strip(), summary.strip()
    theme.translations = pick(translations or {}, "standard")
    theme.expert_organisation = expert
    db.session.flush()
    record(
        actor,
        "theme.created" if is_new else "theme.updated",
        theme,
        _theme_summary(is_new, theme.label, programme.name, expert.name if expert else None),
    )
    return theme


def _theme_summary(is_new: bool, theme: str, programme: str, expert: str | None) -> Message:
    named = {"theme": theme, "programme": programme}
    if expert is None:
        return (
            N_("Added theme %(theme)s of %(programme)s", **named)
            if is_new
            else N_("Changed theme %(theme)s of %(programme)s", **named)
        )
    return (
        N_(
            "Added theme %(theme)s of %(programme)s, facilitated by %(expert)s",
            expert=expert,
            **named,
        )
        if is_new
        else N_(
            "Changed theme %(theme)s of %(programme)s, facilitated by %(expert)s",
            expert=expert,
            **named,
        )
    )


def save_context_factor(
    actor: User,
    programme: Programme,
    factor: ContextFactor | None,
    *,
    title: str,
    description: str = "",
) -> ContextFactor:
    """Add a context factor at the end of the programme's list (when None is given) or change
    one; its key, by which catalogue files find it again, is made once from the title."""
    title = title.strip()
    if not title:
        raise RuleViolation(_("Give the context factor a title."), "title")
    is_new = factor is None
    if factor is None:
        factor = ContextFactor(
            key=_free_key(programme, _slug(title)),
            position=1 + max((item.position for item in programme.context_factors), default=0),
        )
        programme.context_factors.append(factor)
    factor.title, factor.description = title, description.strip()
    db.session.flush()
    record(
        actor,
        "context_factor.created" if is_new else "context_factor.updated",
        factor,
        N_(
            "Added the context factor '%(title)s' of %(programme)s",
            title=title,
            programme=programme.name,
        )
        if is_new
        else N_(
            "Changed the context factor '%(title)s' of %(programme)s",
            title=title,
            programme=programme.name,
        ),
    )
    return factor


def save_deliverable_template(
    actor: User,
    programme: Programme,
    template: DeliverableTemplate | None,
    *,
    kind: DeliverableKind,
    title: str,
    description: str = "",
    months_after_start: int | None,
    responsible: ResponsibleParty,
    responsible_organisation_id: int | None = None,
) -> DeliverableTemplate:
    """Add a deliverable every new pair of the programme owes (when None is given) or change
    one; pairs that exist already keep the deliverables they have."""
    title = title.strip()
    problems = Problems()
    if not title:
        problems.add("title", _("Give the deliverable a title."))
    if months_after_start is None or not 1 <= months_after_start <= MAX_MONTHS:
        problems.add(
            "months_after_start",
            _(
                "Give the number of months as a whole number from 1 to %(most)d.",
                most=MAX_MONTHS,
            ),
        )
    organisation = None
    if responsible is ResponsibleParty.ORGANISATION:
        organisation = (
            db.session.get(Organisation, responsible_organisation_id)
            if responsible_organisation_id
            else None
        )
        if organisation is None:
            problems.add("responsible_organisation_id", _("Choose the organisation that owes it."))
    problems.raise_any()

    is_new = template is None
    if template is None:
        template = DeliverableTemplate(programme=programme)
        db.session.add(template)
    template.kind, template.title, template.description = kind, title, description.strip()
    template.months_after_start = months_after_start
    template.responsible, template.responsible_organisation = responsible, organisation
    db.session.flush()
    owed = {"title": title, "programme": programme.name, "months": months_after_start}
    record(
        actor,
        "deliverable_template.created" if is_new else "deliverable_template.updated",
        template,
        N_(
            "Added the deliverable '%(title)s' every pair of %(programme)s owes, due "
            "%(months)d months after the pair starts",
            **owed,
        )
        if is_new
        else N_(
            "Changed the deliverable '%(title)s' every pair of %(programme)s owes, due "
            "%(months)d months after the pair starts",
            **owed,
        ),
    )
    return template


def owe_template_deliverables(actor: User | None, pair: Pair) -> list[Deliverable]:
    """Register the deliverables a new pair owes by its programme's templates, due that many
    months after the pair starts (after today for a pair without a start date yet)."""
    start = pair.starts_on or utcnow().date()
    created = []
    for template in deliverable_templates(pair.theme.programme):
        deliverable = Deliverable(
            programme=pair.theme.programme,
            theme=pair.theme,
            pair=pair,
            kind=template.kind,
            title=f"{template.title}: {pair.label}"[:300],
            description=template.description,
            responsible_organisation=_owed_by(template, pair),
            due_on=add_months(start, template.months_after_start),
            status=DeliverableStatus.PLANNED,
            is_demo=pair.is_demo,
            template_id=template.id,
        )
        db.session.add(deliverable)
        created.append(deliverable)
    db.session.flush()
    for deliverable in created:
        record(
            actor,
            "deliverable.created",
            deliverable,
            N_(
                "Registered the deliverable '%(title)s' (due %(date)s, %(organisation)s) by the "
                "programme's template",
                title=deliverable.title,
                date=deliverable.due_on,
                organisation=deliverable.responsible_organisation.name,
            ),
            pair_id=pair.id,
        )
    return created


def move_template_deliverables(actor: User, pair: Pair, previous_start: date | None) -> None:
    """After the pair's start moved, move the due dates of its deliverables registered by a
    template with it, while they are planned and still due when the template said (a date
    someone changed by hand is theirs to keep)."""
    rows = db.session.execute(
        sa.select(Deliverable, DeliverableTemplate.months_after_start)
        .join(DeliverableTemplate, Deliverable.template_id == DeliverableTemplate.id)
        .where(Deliverable.pair_id == pair.id, Deliverable.status == DeliverableStatus.PLANNED)
    ).all()
    for deliverable, months in rows:
        registered_on = deliverable.created_at.date()
        if deliverable.due_on != add_months(previous_start or registered_on, months):
            continue
        previous_due = deliverable.due_on
        deliverable.due_on = add_months(pair.starts_on or registered_on, months)
        if deliverable.due_on == previous_due:
            continue
        touch(deliverable)
        record(
            actor,
            "deliverable.updated",
            deliverable,
            N_(
                "Moved '%(title)s' from %(previous)s to %(date)s with the pair's start",
                title=deliverable.title,
                previous=previous_due,
                date=deliverable.due_on,
            ),
            pair_id=pair.id,
        )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _owed_by(template: DeliverableTemplate, pair: Pair) -> Organisation:
    """The organisation that owes the pair's deliverable; a theme without an expert partner
    yet leaves the expert's deliverables with the implementing city, for the coordinator to
    move when the partner is known."""
    if template.responsible_organisation is not None:
        return template.responsible_organisation
    if template.responsible is ResponsibleParty.MENTOR_CITY:
        return pair.mentor_city
    if template.responsible is ResponsibleParty.EXPERT_ORGANISATION:
        return pair.theme.expert_organisation or pair.implementing_city
    return pair.implementing_city


def _taken(query: sa.Select, current: Programme | Theme | None) -> bool:
    """Whether another row than `current` matches the query (of ids)."""
    ids = set(db.session.execute(query).scalars())
    return bool(ids - {getattr(current, "id", None)})


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60] or "context-factor"


def _free_key(programme: Programme, wanted: str) -> str:
    taken = {item.key for item in programme.context_factors}
    key, number = wanted, 2
    while key in taken:
        key, number = f"{wanted}-{number}", number + 1
    return key
