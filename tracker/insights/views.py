"""The benchmark across cities of a theme, pairing suggestions for a city on a theme, and the
practice library."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from tracker.assessments.scale import LEVEL_LABELS
from tracker.auth.policy.loaders import (
    authorize,
    get_organisation_or_404,
    get_theme_for_or_404,
)
from tracker.auth.policy.rules import Need
from tracker.downloads import send_download
from tracker.forms import db_int
from tracker.insights import queries
from tracker.insights.export import average_text, change_text, level_text, matrix_xlsx
from tracker.insights.library import (
    LibraryFilters,
    adopted_by,
    filter_choices,
    inspired_by,
    library_page,
    travels,
)
from tracker.insights.matrix import RoleChoice, RoundChoice, build_matrix
from tracker.insights.suggestions import STRONG_LEVEL, WEAKEST, rank
from tracker.spreadsheets import XLSX_MIMETYPE

bp = Blueprint("insights", __name__)


def _choice(enum_type, name: str, default):
    """A filter's value from the address; anything unknown is the default."""
    try:
        return enum_type(request.args.get(name, default.value))
    except ValueError:
        return default


def _matrix(theme):
    round_choice = _choice(RoundChoice, "round", RoundChoice.LATEST)
    role = _choice(RoleChoice, "role", RoleChoice.ALL)
    sort = request.args.get("sort", "city")[:80]
    matrix = build_matrix(
        queries.factor_columns(theme.id),
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
    matrix, round_choice, role, sort = _matrix(theme)
    return render_template(
        "insights/benchmark.html",
        theme=theme,
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
    matrix, round_choice, role, _sort = _matrix(theme)
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
    chosen = latest.get(request.args.get("city", type=db_int) or 0)
    ranked, unassessed, numbers = [], [], {}
    if chosen is not None:
        numbers = {
            column.id: column.number
            for column in queries.factor_columns(theme.id)
            if column.is_live
        }
        candidates, unassessed = queries.candidates_for(chosen.city_id, theme.id, rounds)
        ranked = rank(chosen.levels, numbers, candidates)
    return render_template(
        "insights/suggestions.html",
        theme=theme,
        assessed_cities=assessed_cities,
        chosen=chosen,
        ranked=ranked,
        unassessed=unassessed,
        weakest_count=WEAKEST,
        strong_level=STRONG_LEVEL,
        strong_label=LEVEL_LABELS[STRONG_LEVEL],
    )


def _library_filters() -> LibraryFilters:
    return LibraryFilters(
        text=request.args.get("q", "")[:200],
        theme_id=request.args.get("theme", type=db_int),
        factor_key=request.args.get("factor", "")[:80],
        city=request.args.get("city", "")[:200],
        country=request.args.get("country", "")[:100],
    )


@bp.route("/practices")
def library():
    """Every live good-practice example, searchable, and where each travelled."""
    authorize(Need.USE_TRACKER)
    filters = _library_filters()
    page = library_page(filters, request.args.get("page", 1, type=int))
    themes, example_cities, countries = filter_choices()
    return render_template(
        "insights/library.html",
        page=page,
        filters=filters,
        travels=travels(current_user, [example.id for example in page.items]),
        themes=themes,
        example_cities=example_cities,
        countries=countries,
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
