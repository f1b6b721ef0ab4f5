"""A pair's infographic: the page that shows it, the SVG, PNG and PDF files, and attaching it to
the pair's infographic deliverable."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.loaders import get_deliverable_or_404, get_pair_or_404
from tracker.auth.policy.rules import Need, can
from tracker.clock import local_today
from tracker.downloads import send_download
from tracker.infographics.data import infographic_data, infographic_deliverable
from tracker.infographics.layout import PAGE_SIZES, PageSize
from tracker.infographics.render import FORMATS, PNG_DPI, file_name, render, summary
from tracker.infographics.service import attach_infographic, earlier_generated_file
from tracker.transaction import save_or_flash_errors

bp = Blueprint("infographics", __name__)

# The SVG is shown in an <img> and may be opened on its own: it can run nothing and load nothing.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _page_size() -> PageSize:
    return PAGE_SIZES.get(request.args.get("size", "a4")) or abort(404)


@bp.route("/pairs/<int:pair_id>/infographic")
def show(pair_id: int):
    """The infographic page: the drawing, its text summary, downloads and attaching it."""
    pair = get_pair_or_404(pair_id)
    page = _page_size()
    data = infographic_data(pair, local_today())
    deliverable = infographic_deliverable(current_user, pair)
    may_attach = deliverable is not None and can(
        current_user, Need.WORK_ON_DELIVERABLE, deliverable
    )
    return render_template(
        "infographics/show.html",
        pair=pair,
        page=page,
        sizes=PAGE_SIZES.values(),
        data=data,
        summary=summary(data),
        png_dpi=PNG_DPI,
        deliverable=deliverable,
        may_attach=may_attach,
        may_register=can(current_user, Need.REGISTER_DELIVERABLES),
        earlier=earlier_generated_file(deliverable) if may_attach else None,
    )


@bp.route("/pairs/<int:pair_id>/infographic.<any(svg, png, pdf):kind>")
def download(pair_id: int, kind: str):
    """The infographic as SVG, PNG or PDF, shown or downloaded."""
    pair = get_pair_or_404(pair_id)
    page = _page_size()
    return send_download(
        render(infographic_data(pair, local_today()), page, kind),
        file_name(pair, page, kind),
        FORMATS[kind],
        inline=not request.args.get("download"),
        policy=SVG_POLICY,
    )


@bp.route("/pairs/<int:pair_id>/infographic/attach", methods=["POST"])
def attach(pair_id: int):
    """Attach the infographic as a PDF to the pair's infographic deliverable."""
    pair = get_pair_or_404(pair_id)
    found = infographic_deliverable(current_user, pair)
    if found is None:
        flash(
            _(
                "This pair has no infographic deliverable yet. A coordinator registers it in "
                "the deliverables register; then the infographic can be attached to it."
            ),
            "warning",
        )
        return redirect(url_for("infographics.show", pair_id=pair.id))
    deliverable = get_deliverable_or_404(found.id, Need.WORK_ON_DELIVERABLE)
    page = PAGE_SIZES["a4"]
    pdf = render(infographic_data(pair, local_today()), page, "pdf")
    name = file_name(pair, page, "pdf", generated=True)
    if not save_or_flash_errors(lambda: attach_infographic(current_user, deliverable, name, pdf)):
        return redirect(url_for("infographics.show", pair_id=pair.id))
    flash(
        _("The infographic is attached to '%(title)s'.", title=deliverable.title),
        "success",
    )
    return redirect(url_for("deliverables.show", deliverable_id=deliverable.id) + "#files")
