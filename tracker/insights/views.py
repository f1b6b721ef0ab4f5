"""The benchmark across cities of a theme, pairing suggestions for a city on a theme, and the
practice library."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assessments.scale import LEVEL_LABELS
from tracker.auth.policy.loaders import (
    authorize,
    get_organisation_or_404,
    get_theme_for_or_404,
)
from tracker.auth.policy.rules import Need
from tracker.clock import local_today
from tracker.downloads import send_download
from tracker.forms import db_int
from tracker.insights import queries
from tracker.insights.export import average_text, change_text, level_text, matrix_xlsx
from tracker.insights.library import (
    EVERY_PROGRAMME,
    LibraryFilters,
    ProgrammeChoice,
    adopted_by,
    filter_choices,
    inspired_by,
    library_page,
    live_factor_home,
    programme_choices,
    theme_factors,
    theme_programme,
    travels,
)
from tracker.insights.matrix import RoleChoice, RoundChoice, build_matrix
from tracker.insights.suggestions import STRONG_LEVEL, WEAKEST
from tracker.spreadsheets import XLSX_MIMETYPE

bp = Blueprint("insights", __name__)


def _choice(enum_type, name: str, default, notices: list[str], unknown):
    """A filter's value from the address; a value we do not know is the default, and
    `unknown(value)`, saying so, is added to the notices the page shows."""
    given = request.args.get(name) or default.value
    try:
        return enum_type(given)
    except ValueError:
        notices.append(unknown(given[:80]))
        return default


def _matrix(theme, notices: list[str]):
    round_choice = _choice(
        RoundChoice,
        "round",
        RoundChoice.LATEST,
        notices,
        lambda value: _(
            "There is no round “%(value)s”: each city's latest completed round is shown.",
            value=value,
        ),
    )
    role = _choice(
        RoleChoice,
        "role",
        RoleChoice.ALL,
        notices,
        lambda value: _("There is no role “%(value)s”: every city is shown.", value=value),
    )
    columns = queries.factor_columns(theme.id)
    sort = request.args.get("sort") or "city"
    if sort != "city" and not any(column.key == sort for column in columns):
        notices.append(
            _(
                "There is no factor “%(value)s” to order by: the cities are in name order.",
                value=sort[:80],
            )
        )
        sort = "city"
    matrix = build_matrix(
        columns,
        queries.completed_rounds(theme.id),
        choice=round_choice,
        cities=queries.cities_in_role(theme.id, role),
        sort=sort,
    )
    return matrix, round_choice, role, sort


@bp.route("/catalogue/<key>/themes/<code>/across")
def benchmark(key: str, code: str):
    """Every city that assessed itself on the theme × every factor."""
    theme = get_theme_for_or_404(key, code, Need.COMPARE_CITIES)
    notices: list[str] = []
    matrix, round_choice, role, sort = _matrix(theme, notices)
    return render_template(
        "insights/benchmark.html",
        theme=theme,
        notices=notices,
        matrix=matrix,
        round_choice=round_choice,
        role=role,
        sort=sort,
        rounds=list(RoundChoice),
        roles=list(RoleChoice),
        level_text=level_text,
        average_text=average_text,
        change_text=change_text,
    )


@bp.route("/catalogue/<key>/themes/<code>/across.xlsx")
def benchmark_xlsx(key: str, code: str):
    """The matrix as an Excel workbook, with the page's filters and order."""
    theme = get_theme_for_or_404(key, code, Need.COMPARE_CITIES)
    matrix, round_choice, role, _sort = _matrix(theme, [])
    name = f"across-{theme.programme.key}-{theme.code}-{round_choice.value}-{role.value}.xlsx"
    return send_download(matrix_xlsx(theme, matrix), name, XLSX_MIMETYPE)


@bp.route("/catalogue/<key>/themes/<code>/suggestions")
def suggestions(key: str, code: str):
    """Candidate mentors for an implementing city, ranked by strength where it is weakest."""
    theme = get_theme_for_or_404(key, code, Need.PAIR_CITIES)
    rounds = queries.completed_rounds(theme.id)
    latest = queries.latest_levels_by_city(rounds)
    assessed_cities = sorted(
        (each for each in latest.values()), key=lambda each: each.city_name.casefold()
    )
    found = queries.suggest_mentors(theme.id, request.args.get("city", type=db_int), rounds)
    return render_template(
        "insights/suggestions.html",
        theme=theme,
        assessed_cities=assessed_cities,
        chosen=found.chosen,
        ranked=found.ranked,
        unassessed=found.unassessed,
        weakest_count=WEAKEST,
        strong_level=STRONG_LEVEL,
        strong_label=LEVEL_LABELS[STRONG_LEVEL],
    )


def _library_filters(programmes: list[ProgrammeChoice], notices: list[str]) -> LibraryFilters:
    """The library's filters from the address; a programme, theme or factor the tracker does
    not have is dropped, with a notice saying so. A factor given without its theme (an old
    link) chooses its theme too, so the factor filter can offer it; a theme outside the
    programmes under way shows its own programme."""
    theme_id = request.args.get("theme", type=db_int)
    theme_home = theme_programme(theme_id) if theme_id else None
    if request.args.get("theme") and theme_home is None:
        notices.append(_("The theme chosen is not in the benchmarks: every theme is shown."))
        theme_id = None
    factor_id = request.args.get("factor", type=db_int)
    factor_home = live_factor_home(factor_id) if factor_id else None
    factor_theme = factor_home[0] if factor_home else None
    if request.args.get("factor") and factor_theme is None:
        notices.append(
            _("The factor chosen is not in the current benchmarks: every factor is shown.")
        )
        factor_id = None
    elif theme_id and factor_theme and factor_theme != theme_id:
        # The theme was changed after a factor of another one was chosen.
        notices.append(
            _("The factor chosen is not in the theme chosen: every factor of that theme is shown.")
        )
        factor_id = None
    elif factor_home:
        theme_id, theme_home = factor_home
    programme, programme_ids = _programmes_shown(programmes, theme_home, notices)
    if theme_id and programme_ids is not None and theme_home not in programme_ids:
        # The programme was changed after a theme of another one was chosen.
        notices.append(
            _("The theme chosen is not in the programme chosen: every theme of it is shown.")
        )
        theme_id = factor_id = None
    return LibraryFilters(
        text=request.args.get("q", "")[:200],
        programme_ids=programme_ids,
        programme=programme,
        theme_id=theme_id,
        factor_id=factor_id,
        city=request.args.get("city", "")[:200],
        country=request.args.get("country", "")[:100],
    )


def _programmes_shown(
    programmes: list[ProgrammeChoice], theme_home: int | None, notices: list[str]
) -> tuple[str, tuple[int, ...] | None]:
    """The programme filter's value and the programmes it shows (None: every one). By
    default the programmes under way, or every programme when none is; a theme chosen outside
    them (an old link) shows its own programme."""
    chosen = request.args.get("programme", "")
    by_key = {programme.key: programme for programme in programmes}
    if chosen not in ("", EVERY_PROGRAMME) and chosen not in by_key:
        notices.append(_("The programme chosen is not in the tracker: the default is shown."))
        chosen = ""
    if chosen == EVERY_PROGRAMME:
        return chosen, None
    if chosen:
        return chosen, (by_key[chosen].id,)
    under_way = tuple(programme.id for programme in programmes if programme.under_way)
    if theme_home is not None and under_way and theme_home not in under_way:
        home = next(programme for programme in programmes if programme.id == theme_home)
        return home.key, (home.id,)
    return "", under_way or None


@bp.route("/practices")
def library():
    """Every live good-practice example, searchable, and where each travelled."""
    authorize(Need.USE_TRACKER)
    programmes = programme_choices(local_today())
    notices: list[str] = []
    filters = _library_filters(programmes, notices)
    page = library_page(filters, request.args.get("page", 1, type=int))
    return render_template(
        "insights/library.html",
        page=page,
        filters=filters,
        notices=notices,
        travels=travels(current_user, [example.id for example in page.items]),
        programmes=programmes,
        every_programme=EVERY_PROGRAMME,
        choices=filter_choices(filters.programme_ids),
        factors=theme_factors(filters.theme_id) if filters.theme_id else [],
    )


@bp.route("/practices/cities/<int:organisation_id>")
def city_practices(organisation_id: int):
    """The practices a city adopted (its actions cite them) and those it inspired."""
    city = get_organisation_or_404(organisation_id, Need.USE_TRACKER)
    if not city.is_city:
        abort(404)
    return render_template(
        "insights/city_practices.html",
        city=city,
        adopted=adopted_by(current_user, city.id),
        inspired=inspired_by(city),
    )
