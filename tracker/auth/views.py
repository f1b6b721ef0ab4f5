"""Sign in, sign out, change password."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import ChangePasswordForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from tracker.auth.policy.guards import public
from tracker.auth.redirects import safe_next
from tracker.auth.service import (
    authenticate,
    change_password,
    forgot_password,
    set_password_from_link,
)
from tracker.auth.tokens import user_for_token
from tracker.extensions import limiter
from tracker.transaction import save_or_show_errors

bp = Blueprint("auth", __name__)


def _submitted_account() -> str:
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def _refused(response: Response) -> bool:
    """A sign-in or reset that did not go through (a success redirects)."""
    return response.status_code != 302


def _setting(name: str):
    return lambda: current_app.config[name]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_setting("SIGN_IN_LIMIT_PER_ADDRESS"), methods=["POST"], deduct_when=_refused)
@limiter.limit(
    _setting("SIGN_IN_LIMIT_PER_ACCOUNT"),
    methods=["POST"],
    key_func=_submitted_account,
    deduct_when=_refused,
)
@public
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboards.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit() and (
        user := save_or_show_errors(form, lambda: authenticate(form.email.data, form.password.data))
    ):
        login_user(user, remember=form.remember.data)
        flash(_("Welcome, %(name)s.", name=user.name), "success")
        return redirect(safe_next(form.next.data) or url_for("dashboards.home"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out of this browser."""
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_own_password():
    """Change one's own password (every other session ends)."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and save_or_show_errors(
        form,
        lambda: change_password(current_user, form.current_password.data, form.new_password.data),
    ):
        # This session goes on; all others end.
        login_user(current_user._get_current_object(), fresh=True)
        flash(_("Your password has been changed. Other devices have been signed out."), "success")
        return redirect(url_for("dashboards.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/set-password/<token>", methods=["GET", "POST"], endpoint="set_password")
@public
def set_password_page(token: str):
    """Set a password from an emailed link (a new account, or a forgotten password)."""
    user = user_for_token(token)
    if user is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: set_password_from_link(user, form.new_password.data)
    ):
        logout_user()
        login_user(user)
        flash(_("Your password is set. Welcome, %(name)s.", name=user.name), "success")
        return redirect(url_for("dashboards.home"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@limiter.limit(_setting("PASSWORD_RESET_LIMIT"), methods=["POST"])
@limiter.limit(_setting("PASSWORD_RESET_LIMIT"), methods=["POST"], key_func=_submitted_account)
@public
def forgot():
    """Ask for a link to set a new password."""
    form = ForgotPasswordForm()
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: forgot_password(form.email.data)
    ):
        # The same answer whether or not the address has an account.
        flash(
            _("If an account uses this address, a link to set a new password is on its way."),
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form)
