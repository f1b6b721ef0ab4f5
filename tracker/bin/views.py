"""The bin, for coordinators: what was deleted, by whom, until when; restoring it."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.policy.guards import area_guard
from tracker.auth.policy.loaders import get_bin_entry_or_404
from tracker.auth.policy.rules import Need
from tracker.bin.queries import bin_entries
from tracker.bin.restoring import restore_entry
from tracker.bin.service import ParentInBin
from tracker.exceptions import RuleViolation
from tracker.forms import db_int
from tracker.paging import paginate
from tracker.transaction import commit_or_refuse

bp = Blueprint("bin", __name__, url_prefix="/bin")
bp.before_request(area_guard(Need.RESTORE_FROM_BIN))
PAGE_SIZE = 50


@bp.route("/")
def index():
    """What is in the bin, newest first, with when each goes for good."""
    page = paginate(bin_entries(), request.args.get("page", 1, type=db_int), PAGE_SIZE)
    return render_template(
        "bin/index.html",
        page=page,
        keep=timedelta(days=current_app.config["BIN_DAYS"]),
        asked=request.args.get("both", type=db_int),
    )


@bp.route("/<int:entry_id>/restore", methods=["POST"])
def restore(entry_id: int):
    """Restore an entry (and, when asked, what it belonged to, if that is in the bin too)."""
    entry = get_bin_entry_or_404(entry_id)
    title, with_parent = entry.title, request.form.get("with_parent") == "1"
    try:
        commit_or_refuse(lambda: restore_entry(current_user, entry, with_parent=with_parent))
    except ParentInBin as question:
        flash(str(question.message), "warning")
        return redirect(url_for("bin.index", both=entry_id) + f"#entry-{entry_id}")
    except RuleViolation as refusal:
        flash(str(refusal.message), "danger")
        return redirect(url_for("bin.index"))
    flash(_("Restored: %(title)s.", title=title), "success")
    return redirect(url_for("bin.index"))
