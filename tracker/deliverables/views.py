"""The deliverables register: the programme's timeline and list, each deliverable, its files."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import (
    authorize,
    get_deliverable_or_404,
    get_file_or_404,
    get_programme_or_404,
)
from tracker.auth.policy.rules import Need, allowed, can, deliverable_move_need
from tracker.bin.pages import delete_page
from tracker.catalogue.models import Programme
from tracker.catalogue.queries import newest_programmes_first
from tracker.clock import local_today
from tracker.deliverables.deletions import deliverable_deletion
from tracker.deliverables.forms import (
    DeliverableFilterForm,
    DeliverableForm,
    DeliverableStatusForm,
    FileUploadForm,
    LinkForm,
)
from tracker.deliverables.models import (
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
)
from tracker.deliverables.queries import (
    RegisterFilters,
    by_month,
    form_choices,
    is_overdue,
    load_details,
    register,
    responsible_organisations,
    status_counts,
)
from tracker.deliverables.service import (
    DELIVERABLE_TRANSITIONS,
    add_file,
    add_link,
    change_deliverable_status,
    save_deliverable,
)
from tracker.files.sending import send_stored
from tracker.forms import choices, db_int, enum_choices
from tracker.transaction import save_or_flash_errors, save_or_show_errors
from tracker.workflow import next_statuses

bp = Blueprint("deliverables", __name__)


@bp.route("/deliverables/")
def programmes():
    """The register starts from a programme; with only one, go straight to it."""
    programmes = newest_programmes_first()
    if len(programmes) == 1:
        return redirect(url_for("deliverables.index", key=programmes[0].key))
    return render_template("deliverables/programmes.html", programmes=programmes)


@bp.route("/programmes/<key>/deliverables")
def index(key: str):
    """A programme's deliverables the user may see, by month, with filters."""
    programme = get_programme_or_404(key)
    form = DeliverableFilterForm(request.args)
    form.kind.choices = choices([("", _("All kinds"))]) + enum_choices(DeliverableKind)
    form.status.choices = choices([("", _("Any status"))]) + enum_choices(DeliverableStatus)
    form.organisation.choices = choices(
        [
            ("", _("All organisations")),
            *((org.id, org.name) for org in responsible_organisations(programme)),
        ]
    )
    filters = RegisterFilters(
        kind=_enum(DeliverableKind, form.kind.data),
        status=_enum(DeliverableStatus, form.status.data),
        organisation_id=form.organisation.data,
        overdue=request.args.get("overdue") == "1",
    )
    today = local_today()
    page, overdue_count = register(
        current_user, programme, filters, today, request.args.get("page", 1, type=db_int)
    )
    return render_template(
        "deliverables/index.html",
        programme=programme,
        form=form,
        filters=filters,
        page=page,
        overdue_count=overdue_count,
        deliverables=page.items,
        months=by_month(page.items),
        counts=_all_statuses(status_counts(current_user, programme)),
        overdue=lambda deliverable: is_overdue(deliverable, today),
    )


@bp.route("/programmes/<key>/deliverables/new", methods=["GET", "POST"])
def create(key: str):
    """Register a deliverable of the programme."""
    return _edit(get_programme_or_404(key, Need.REGISTER_DELIVERABLES), None)


@bp.route("/deliverables/<int:deliverable_id>/edit", methods=["GET", "POST"])
def edit(deliverable_id: int):
    """Change what is owed, by whom, by when."""
    deliverable = get_deliverable_or_404(deliverable_id, Need.EDIT_DELIVERABLE)
    return _edit(deliverable.programme, deliverable)


def _edit(programme: Programme, deliverable: Deliverable | None):
    themes, pairs, organisations = form_choices(programme)
    form = DeliverableForm(obj=deliverable)
    form.theme_id.choices = choices(
        [("", _("The whole programme")), *((t.id, t.label) for t in themes)]
    )
    form.pair_id.choices = choices([("", "—"), *((p.id, p.label) for p in pairs)])
    form.responsible_organisation_id.choices = choices((o.id, o.name) for o in organisations)
    if request.method == "GET":
        if deliverable is not None:
            form.kind.data = deliverable.kind.value
            form.version.data = deliverable.version_id
        else:
            form.pair_id.data = request.args.get("pair", type=db_int)
            form.kind.data = request.args.get("kind", "other")
    if form.validate_on_submit() and (
        saved := save_or_show_errors(
            form,
            lambda: save_deliverable(
                current_user,
                deliverable,
                programme_id=programme.id,
                theme_id=form.theme_id.data,
                pair_id=form.pair_id.data,
                kind=DeliverableKind(form.kind.data),
                title=form.title.data or "",
                description=form.description.data or "",
                responsible_organisation_id=form.responsible_organisation_id.data,
                due_on=form.due_on.data,
                expected_version=form.version.data,
            ),
        )
    ):
        flash(_("The deliverable '%(title)s' is saved.", title=saved.title), "success")
        return redirect(url_for("deliverables.show", deliverable_id=saved.id))
    return render_template(
        "deliverables/edit.html", form=form, programme=programme, deliverable=deliverable
    )


@bp.route("/deliverables/<int:deliverable_id>")
def show(deliverable_id: int):
    """A deliverable: its files and links, its status and the moves the user may make."""
    return _show_page(get_deliverable_or_404(deliverable_id))


def _show_page(
    deliverable: Deliverable,
    upload_form: FileUploadForm | None = None,
    link_form: LinkForm | None = None,
):
    """The deliverable's page; with the upload or link form that was refused, its errors
    beside its fields and what was typed kept."""
    deliverable = load_details(deliverable)
    reachable = next_statuses(DELIVERABLE_TRANSITIONS, deliverable.status)
    moves = allowed(
        current_user,
        {status: deliverable_move_need(deliverable.status, status) for status in reachable},
        deliverable,
    )
    return render_template(
        "deliverables/show.html",
        deliverable=deliverable,
        may_add_files=can(current_user, Need.WORK_ON_DELIVERABLE, deliverable)
        and deliverable.status is not DeliverableStatus.APPROVED,
        may_review=can(current_user, Need.REVIEW_DELIVERABLE, deliverable),
        moves=moves,
        overdue=is_overdue(deliverable, local_today()),
        status_form=DeliverableStatusForm(formdata=None),
        upload_form=upload_form or _upload_form(deliverable, formdata=None),
        link_form=link_form or LinkForm(formdata=None),
    )


def _upload_form(deliverable: Deliverable, **kwargs) -> FileUploadForm:
    form = FileUploadForm(**kwargs)
    form.replaces_id.choices = choices(
        [
            ("", _("Nothing: add a new file")),
            *((f.id, f.original_name) for f in deliverable.files if f.is_current),
        ]
    )
    return form


@bp.route("/deliverables/<int:deliverable_id>/status", methods=["POST"])
def change_status(deliverable_id: int):
    """Move the deliverable on: start, submit, approve or send back."""
    deliverable = get_deliverable_or_404(deliverable_id, Need.WORK_ON_DELIVERABLE)
    form = DeliverableStatusForm()
    if form.validate_on_submit():
        target = DeliverableStatus(form.status.data)
        authorize(deliverable_move_need(deliverable.status, target), deliverable)
        if save_or_flash_errors(
            lambda: change_deliverable_status(
                current_user, deliverable, target, form.comment.data or ""
            )
        ):
            flash(
                _("The deliverable is now %(status)s.", status=deliverable.status.label.lower()),
                "success",
            )
    return redirect(url_for("deliverables.show", deliverable_id=deliverable.id))


@bp.route("/deliverables/<int:deliverable_id>/files", methods=["POST"])
def upload(deliverable_id: int):
    """Attach a file, or a new version of one."""
    deliverable = get_deliverable_or_404(deliverable_id, Need.WORK_ON_DELIVERABLE)
    form = _upload_form(deliverable)
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: add_file(
            current_user,
            deliverable,
            form.file.data.filename,
            form.file.data.read(),
            form.replaces_id.data,
        ),
    ):
        flash(_("The file is attached."), "success")
        return redirect(url_for("deliverables.show", deliverable_id=deliverable.id))
    return _show_page(deliverable, upload_form=form)


@bp.route("/deliverables/<int:deliverable_id>/links", methods=["POST"])
def link(deliverable_id: int):
    """Attach a link (a video, a web page)."""
    deliverable = get_deliverable_or_404(deliverable_id, Need.WORK_ON_DELIVERABLE)
    form = LinkForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: add_link(current_user, deliverable, form.url.data, form.label.data or "")
    ):
        flash(_("The link is added."), "success")
        return redirect(url_for("deliverables.show", deliverable_id=deliverable.id))
    return _show_page(deliverable, link_form=form)


@bp.route("/deliverables/files/<int:file_id>")
def download(file_id: int):
    """One of a deliverable's files: images and PDFs shown, everything else downloaded."""
    stored = get_file_or_404(file_id)
    return send_stored(stored, viewer=request.args.get("view") == "1")


@bp.route("/deliverables/<int:deliverable_id>/delete", methods=["GET", "POST"])
def delete(deliverable_id: int):
    """Delete a deliverable registered by mistake, with its files and links (asks first)."""
    deliverable = get_deliverable_or_404(deliverable_id, Need.EDIT_DELIVERABLE)
    return delete_page(
        deliverable_deletion(deliverable),
        back=url_for("deliverables.show", deliverable_id=deliverable.id),
        done=url_for("deliverables.index", key=deliverable.programme.key),
    )


def _enum(enum_class, value):
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def _all_statuses(counts: dict[DeliverableStatus, int]) -> list[tuple[DeliverableStatus, int]]:
    return [(status, counts.get(status, 0)) for status in DeliverableStatus]
