"""The page that asks before deleting, shared by every area's delete route."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import Optional

from tracker.bin.service import Deletion, move_to_bin
from tracker.transaction import save_or_flash_errors


class DeleteForm(FlaskForm):
    # The version of the object the person saw, for an object that has one.
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])


def delete_page(deletion: Deletion, *, back: str, done: str) -> ResponseReturnValue:
    """Ask, saying what goes with it (or why it cannot be deleted); on confirming, move it to
    the bin and go on to `done`; on a refusal or a conflict, back to `back` saying why."""
    versioned = hasattr(deletion.subject, "version_id")
    form = DeleteForm(version=deletion.subject.version_id if versioned else None)
    if form.validate_on_submit():
        deletion.version = form.version.data if versioned else None
        if save_or_flash_errors(lambda: move_to_bin(current_user, deletion)):
            flash(
                _(
                    "Moved to the bin: %(title)s. A coordinator can restore it within %(days)d "
                    "days.",
                    title=deletion.title,
                    days=current_app.config["BIN_DAYS"],
                ),
                "success",
            )
            return redirect(done)
        return redirect(back)
    return render_template("bin/confirm.html", deletion=deletion, form=form, back=back)
