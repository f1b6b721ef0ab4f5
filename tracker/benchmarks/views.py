"""A theme's benchmark versions, the difference between two, and the editor of its draft."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.policy.loaders import (
    get_programme_or_404,
    get_theme_or_404,
    get_theme_to_edit_or_404,
)
from tracker.auth.policy.rules import Need, can
from tracker.benchmarks import service
from tracker.benchmarks.content import Benchmark
from tracker.benchmarks.diff import compare
from tracker.benchmarks.forms import (
    DraftButtonForm,
    PublishForm,
    factor_form,
    factor_input,
    retire_form,
)
from tracker.benchmarks.queries import (
    file_drafts,
    latest_version,
    theme_versions,
    version_number,
)
from tracker.forms import db_int
from tracker.transaction import save_or_flash_errors, save_or_show_errors

bp = Blueprint("benchmarks", __name__)


@bp.route("/<key>/themes/<code>/versions")
def versions(key: str, code: str):
    """The theme's published versions, newest first, each with what it changed."""
    theme = get_theme_or_404(key, code)
    history = theme_versions(theme.id)
    changes = {
        version.number: compare(
            Benchmark.from_json(older.content), Benchmark.from_json(version.content)
        ).summary()
        for version, older in zip(history, history[1:], strict=False)
    }
    return render_template(
        "benchmarks/versions.html",
        theme=theme,
        versions=history,
        changes=changes,
        may_edit=can(current_user, Need.EDIT_BENCHMARK, theme),
    )


@bp.route("/<key>/themes/<code>/versions/<int:number>")
def version(key: str, code: str, number: int):
    """One published version's text, as rounds taken against it show it."""
    theme = get_theme_or_404(key, code)
    found = version_number(theme.id, number) or abort(404)
    return render_template(
        "benchmarks/version.html",
        theme=theme,
        version=found,
        benchmark=Benchmark.from_json(found.content),
    )


@bp.route("/<key>/themes/<code>/compare")
def compare_versions(key: str, code: str):
    """What changed between two versions (by default the latest and the one before)."""
    theme = get_theme_or_404(key, code)
    history = theme_versions(theme.id)
    if not history:
        abort(404)
    numbers = [v.number for v in history]
    new = request.args.get("to", type=db_int) or numbers[0]
    old = request.args.get("from", type=db_int) or (numbers[1] if len(numbers) > 1 else new)
    versions_by_number = {v.number: v for v in history}
    if old not in versions_by_number or new not in versions_by_number:
        abort(404)
    difference = compare(
        Benchmark.from_json(versions_by_number[old].content),
        Benchmark.from_json(versions_by_number[new].content),
    )
    return render_template(
        "benchmarks/compare.html",
        theme=theme,
        versions=history,
        old=versions_by_number[old],
        new=versions_by_number[new],
        difference=difference,
    )


@bp.route("/<key>/themes/<code>/draft")
def draft(key: str, code: str):
    """The draft of the theme's next version: its factors in order, and publishing it."""
    theme = get_theme_to_edit_or_404(key, code)
    return _draft_page(theme, PublishForm())


def _draft_page(theme, publish_form, status=200):
    draft, benchmark = service.draft_benchmark(theme)
    publish_form.version.data = draft.version_id if draft else 0
    return render_template(
        "benchmarks/draft.html",
        theme=theme,
        draft=draft,
        benchmark=benchmark,
        latest=latest_version(theme.id),
        difference=service.since_latest(theme.id, benchmark),
        publish_form=publish_form,
        draft_version=draft.version_id if draft else 0,
    ), status


@bp.route("/<key>/themes/<code>/draft/factors/new", methods=["GET", "POST"])
def new_factor(key: str, code: str):
    """Add a factor to the draft."""
    theme = get_theme_to_edit_or_404(key, code)
    return _factor_page(theme, None)


@bp.route("/<key>/themes/<code>/draft/factors/<factor_key>/edit", methods=["GET", "POST"])
def edit_factor(key: str, code: str, factor_key: str):
    """Change a factor of the draft: its texts, guide questions and examples."""
    theme = get_theme_to_edit_or_404(key, code)
    return _factor_page(theme, factor_key)


def _factor_page(theme, factor_key):
    draft, benchmark = service.draft_benchmark(theme)
    factor = benchmark.factor(factor_key) if factor_key else None
    if factor_key and factor is None:
        abort(404)
    form = factor_form(factor, draft.version_id if draft else 0)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: service.save_factor(
            current_user, theme, factor_key, factor_input(form), form.version.data
        ),
    ):
        flash(_("The factor is saved in the draft."), "success")
        return _to_draft(theme)
    return render_template("benchmarks/factor.html", theme=theme, factor=factor, form=form)


@bp.route("/<key>/themes/<code>/draft/factors/<factor_key>/move", methods=["POST"])
def move_factor(key: str, code: str, factor_key: str):
    """Move a factor one place up or down."""
    theme = get_theme_to_edit_or_404(key, code)
    form = DraftButtonForm()
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None or not form.validate_on_submit():
        abort(400)
    if save_or_flash_errors(
        lambda: service.move_factor(current_user, theme, factor_key, step, form.version.data)
    ):
        flash(_("The factor is moved."), "success")
    return _to_draft(theme, f"factor-{factor_key}")


@bp.route("/<key>/themes/<code>/draft/factors/<factor_key>/retire", methods=["GET", "POST"])
def retire_factor(key: str, code: str, factor_key: str):
    """Take a factor out of the draft (asking first while a draft round rates it)."""
    theme = get_theme_to_edit_or_404(key, code)
    draft, benchmark = service.draft_benchmark(theme)
    factor = benchmark.factor(factor_key) or abort(404)
    rounds = service.rounds_rating(theme, factor.id)
    form = retire_form(bool(rounds))
    if request.method == "GET":
        form.version.data = draft.version_id if draft else 0
    confirmed = bool(getattr(form, "confirm", None) and form.confirm.data)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: service.retire_factor(
            current_user, theme, factor_key, form.version.data, confirmed=confirmed
        ),
    ):
        flash(_("The factor is out of the draft; it is retired when the draft is published."))
        return _to_draft(theme)
    return render_template(
        "benchmarks/retire.html",
        theme=theme,
        factor=factor,
        form=form,
        rounds=rounds,
    )


@bp.route("/<key>/themes/<code>/draft/publish", methods=["POST"])
def publish(key: str, code: str):
    """Publish the draft as the theme's next version."""
    theme = get_theme_to_edit_or_404(key, code)
    form = PublishForm()
    if form.validate_on_submit():
        published = save_or_show_errors(
            form,
            lambda: service.publish(current_user, theme, form.note.data or "", form.version.data),
        )
        if published:
            flash(
                _("Version %(number)d is published.", number=published.number),
                "success",
            )
            return redirect(url_for(".version", key=key, code=code, number=published.number))
    return _draft_page(theme, form, status=422)


@bp.route("/<key>/themes/<code>/draft/discard", methods=["POST"])
def discard(key: str, code: str):
    """Throw the draft away; the latest version stays as it is."""
    theme = get_theme_to_edit_or_404(key, code)
    form = DraftButtonForm()
    if form.validate_on_submit() and save_or_flash_errors(
        lambda: service.discard_draft(current_user, theme, form.version.data)
    ):
        flash(_("The draft is discarded."), "success")
    return _to_draft(theme)


@bp.route("/<key>/drafts", methods=["GET", "POST"])
def programme_drafts(key: str):
    """The drafts a loaded file made for a programme's themes, published all at once."""
    programme = get_programme_or_404(key, Need.LOAD_CATALOGUE)
    drafts = file_drafts(programme)
    form = PublishForm()
    if form.validate_on_submit():
        published = save_or_flash_errors(
            lambda: [
                service.publish(current_user, draft.theme, form.note.data or "", draft.version_id)
                for draft in drafts
            ]
        )
        if published:
            flash(
                ngettext(
                    "%(num)d version is published.",
                    "%(num)d versions are published.",
                    len(published),
                ),
                "success",
            )
            return redirect(url_for("catalogue.programme", key=key))
    differences = {
        draft.theme_id: service.since_latest(draft.theme_id, Benchmark.from_json(draft.content))
        for draft in drafts
    }
    return render_template(
        "benchmarks/programme_drafts.html",
        programme=programme,
        drafts=drafts,
        differences=differences,
        form=form,
    )


def _to_draft(theme, anchor=None):
    return redirect(url_for(".draft", key=theme.programme.key, code=theme.code, _anchor=anchor))
