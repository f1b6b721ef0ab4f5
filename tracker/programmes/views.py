"""Programme set-up (coordinators): the programme, its themes, context factors and the
deliverables every new pair owes."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import (
    get_context_factor_or_404,
    get_deliverable_template_or_404,
    get_programme_or_404,
    get_theme_or_404,
    programme_with_benchmarks,
)
from tracker.auth.policy.rules import Need
from tracker.catalogue.models import ContextFactor, Programme, Theme
from tracker.deliverables.models import DeliverableKind
from tracker.forms import translations_data, translations_of
from tracker.organisations.queries import organisations_by_name
from tracker.programmes.forms import (
    ContextFactorForm,
    DeliverableTemplateForm,
    ProgrammeForm,
    ThemeForm,
)
from tracker.programmes.models import DeliverableTemplate, ResponsibleParty
from tracker.programmes.queries import deliverable_templates, expert_organisations
from tracker.programmes.service import (
    save_context_factor,
    save_deliverable_template,
    save_programme,
    save_theme,
)
from tracker.transaction import save_or_show_errors

bp = Blueprint("programmes", __name__)
bp.before_request(area_guard(Need.SET_UP_PROGRAMMES))


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Create a programme."""
    return _edit_programme(None)


@bp.route("/<key>")
def show(key: str):
    """A programme's set-up: its details, themes, context factors and deliverable templates."""
    programme = get_programme_or_404(key, Need.SET_UP_PROGRAMMES, *programme_with_benchmarks())
    return render_template(
        "programmes/show.html", programme=programme, templates=deliverable_templates(programme)
    )


@bp.route("/<key>/edit", methods=["GET", "POST"])
def edit(key: str):
    """Change a programme's name, key, period, funder and colours."""
    return _edit_programme(get_programme_or_404(key, Need.SET_UP_PROGRAMMES))


def _edit_programme(programme: Programme | None):
    form = ProgrammeForm(obj=programme)
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_programme(
                current_user,
                programme,
                key=form.key.data or "",
                name=form.name.data or "",
                full_name=form.full_name.data or "",
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                funder=form.funder.data or "",
                description=form.description.data or "",
                colours=form.colours(),
            ),
        )
    ):
        flash(_("Saved the programme %(name)s.", name=saved.name), "success")
        return redirect(url_for("programmes.show", key=saved.key))
    return render_template("programmes/edit.html", form=form, programme=programme)


@bp.route("/<key>/themes/new", methods=["GET", "POST"])
def new_theme(key: str):
    """Add a theme to a programme."""
    return _edit_theme(get_programme_or_404(key, Need.SET_UP_PROGRAMMES), None)


@bp.route("/<key>/themes/<code>/edit", methods=["GET", "POST"])
def edit_theme(key: str, code: str):
    """Change a theme's code, title, standard and facilitating expert organisation."""
    theme = get_theme_or_404(key, code, Need.SET_UP_PROGRAMMES)
    return _edit_theme(theme.programme, theme)


def _edit_theme(programme: Programme, theme: Theme | None):
    form = ThemeForm(expert_organisations(), obj=theme, **translations_data(theme, "standard"))
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_theme(
                current_user,
                programme,
                theme,
                code=form.code.data or "",
                title=form.title.data or "",
                standard=form.standard.data or "",
                summary=form.summary.data or "",
                expert_organisation_id=form.expert_organisation_id.data,
                translations=translations_of(form, "standard"),
            ),
        )
    ):
        flash(_("Saved theme %(label)s.", label=saved.label), "success")
        # The theme as everyone reads it, where its benchmark is written next.
        return redirect(url_for("catalogue.theme", key=programme.key, code=saved.code))
    return render_template("programmes/theme.html", form=form, programme=programme, theme=theme)


@bp.route("/<key>/context-factors/new", methods=["GET", "POST"])
def new_context_factor(key: str):
    """Add a context factor to a programme."""
    return _edit_context_factor(get_programme_or_404(key, Need.SET_UP_PROGRAMMES), None)


@bp.route("/<key>/context-factors/<int:context_factor_id>/edit", methods=["GET", "POST"])
def edit_context_factor(key: str, context_factor_id: int):
    """Change a context factor's title or description."""
    factor = get_context_factor_or_404(key, context_factor_id)
    return _edit_context_factor(factor.programme, factor)


def _edit_context_factor(programme: Programme, factor: ContextFactor | None):
    form = ContextFactorForm(obj=factor)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: save_context_factor(
            current_user,
            programme,
            factor,
            title=form.title.data or "",
            description=form.description.data or "",
        ),
    ):
        flash(_("Saved the context factor."), "success")
        return redirect(url_for("programmes.show", key=programme.key))
    return render_template(
        "programmes/context_factor.html", form=form, programme=programme, factor=factor
    )


@bp.route("/<key>/deliverable-templates/new", methods=["GET", "POST"])
def new_template(key: str):
    """Add a deliverable that every new pair of the programme owes."""
    return _edit_template(get_programme_or_404(key, Need.SET_UP_PROGRAMMES), None)


@bp.route("/<key>/deliverable-templates/<int:template_id>/edit", methods=["GET", "POST"])
def edit_template(key: str, template_id: int):
    """Change a deliverable that every new pair of the programme owes."""
    template = get_deliverable_template_or_404(key, template_id)
    return _edit_template(template.programme, template)


def _edit_template(programme: Programme, template: DeliverableTemplate | None):
    form = DeliverableTemplateForm(organisations_by_name(), obj=template)
    if template is not None and not form.is_submitted():
        form.kind.data, form.responsible.data = template.kind.value, template.responsible.value
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: save_deliverable_template(
            current_user,
            programme,
            template,
            kind=DeliverableKind(form.kind.data),
            title=form.title.data or "",
            description=form.description.data or "",
            months_after_start=form.months(),
            responsible=ResponsibleParty(form.responsible.data),
            responsible_organisation_id=form.responsible_organisation_id.data,
        ),
    ):
        flash(_("Saved the deliverable every new pair owes."), "success")
        return redirect(url_for("programmes.show", key=programme.key))
    return render_template(
        "programmes/template.html", form=form, programme=programme, template=template
    )
