"""Sign in, sign out, change password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import ChangePasswordForm, SignInForm
from tracker.auth.policy import public
from tracker.auth.redirects import safe_next
from tracker.auth.service import WrongPassword, authenticate, change_password
from tracker.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            # One message whatever was wrong, so the page does not reveal which accounts exist.
            form.password.errors.append(_("That email address and password do not match."))
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_own_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except WrongPassword:
            form.current_password.errors.append(_("Your current password is not right."))
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object(), fresh=True
            )  # this session goes on; all others end
            flash(
                _("Your password has been changed. Other devices have been signed out."), "success"
            )
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)
