"""Sign in, sign out, passwords, and the list of one's own signed-in sessions."""

import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    SetPasswordForm,
    SignInForm,
)
from tracker.auth.policy.guards import public
from tracker.auth.policy.loaders import get_session_or_404
from tracker.auth.redirects import safe_next
from tracker.auth.service import (
    WrongPassword,
    authenticate,
    change_password,
    choose_language,
    forgot_password,
    reset_password,
    sign_in,
    sign_out,
)
from tracker.auth.session import (
    current_session,
    request_origin,
    sign_in_browser,
    sign_out_browser,
)
from tracker.auth.sessions import end_own_session, end_own_sessions, live_sessions
from tracker.auth.tokens import user_for_token
from tracker.exceptions import RuleViolation, show_on_form
from tracker.extensions import limiter
from tracker.languages import SESSION_KEY as LANGUAGE_KEY
from tracker.languages import known_language
from tracker.transaction import commit_or_refuse, save_or_flash_errors, save_or_show_errors

bp = Blueprint("auth", __name__)


def _submitted_account() -> str:
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def _signed_in_account() -> str:
    return "account:" + current_user.email.lower()


def _refused(response: Response) -> bool:
    """A sign-in or reset that did not go through (a success redirects)."""
    return response.status_code != 302


def _wrong_password(response: Response) -> bool:
    return bool(g.get("wrong_password"))


def _setting(name: str):
    return lambda: current_app.config[name]


# Failed attempts at a password count together wherever they are made (the sign-in form, the
# current password when changing it): per account, and per address.
def _failures_per_address(deduct_when):
    return limiter.shared_limit(
        _setting("SIGN_IN_LIMIT_PER_ADDRESS"),
        scope="password-address",
        methods=["POST"],
        deduct_when=deduct_when,
    )


def _failures_per_account(key_func, deduct_when):
    return limiter.shared_limit(
        _setting("SIGN_IN_LIMIT_PER_ACCOUNT"),
        scope="password-account",
        key_func=key_func,
        methods=["POST"],
        deduct_when=deduct_when,
    )


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@_failures_per_address(_refused)
@_failures_per_account(_submitted_account, _refused)
@public
def sign_in_page():
    """Sign in: a new session, in a fresh browser session (new CSRF token)."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboards.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            # One message whatever was wrong, so the page does not reveal which accounts exist.
            form.password.errors.append(_("That email address and password do not match."))
        else:
            address, browser = request_origin()
            remember = bool(form.remember.data)
            token = commit_or_refuse(
                lambda: sign_in(user, remember=remember, address=address, browser=browser)
            )
            sign_in_browser(user, token, remember=remember)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data) or url_for("dashboards.home"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/login", endpoint="login")
@public
def login_typed():
    """The address people type out of habit: the sign-in page, with its `next` kept."""
    return redirect(url_for("auth.sign_in", **request.args), 301)


@bp.route("/logout", endpoint="logout")
@public
def logout_typed():
    """The address people type out of habit: the page that signs out."""
    return redirect(url_for("auth.sign_out"), 301)


@bp.route("/sign-out", methods=["GET", "POST"], endpoint="sign_out")
def sign_out_page():
    """Sign out: the session ends for every copy of its cookies. Typed in (GET), the page asks
    first, as a link that signs out would let any other site sign people out."""
    if request.method == "GET":
        return render_template("auth/sign_out.html")
    ending = current_session()
    commit_or_refuse(lambda: sign_out(ending))
    sign_out_browser()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@_failures_per_address(_wrong_password)
@_failures_per_account(_signed_in_account, _wrong_password)
def change_own_password():
    """Change one's password: every other session ends, this browser gets a new one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        remember = bool(current_session() and current_session().remember)
        address, browser = request_origin()

        def change() -> str:
            change_password(user, form.current_password.data, form.new_password.data)
            return sign_in(user, remember=remember, address=address, browser=browser)

        try:
            token = commit_or_refuse(change)
        except RuleViolation as error:
            g.wrong_password = isinstance(error, WrongPassword)
            show_on_form(form, error)
        else:
            sign_in_browser(user, token, remember=remember)
            flash(
                _("Your password has been changed. Other devices have been signed out."), "success"
            )
            return redirect(url_for("dashboards.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/set-password/<token>", methods=["GET", "POST"], endpoint="set_password")
@public
def set_password_page(token: str):
    """Set a password from an emailed link, and sign in with it."""
    user = user_for_token(token)
    if user is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        address, browser = request_origin()

        def set_and_sign_in() -> str:
            reset_password(user, form.new_password.data)
            return sign_in(user, remember=False, address=address, browser=browser)

        new_session = save_or_show_errors(form, set_and_sign_in)
        if new_session:
            sign_in_browser(user, new_session, remember=False)
            flash(_("Your password is set. Welcome, %(name)s.", name=user.name), "success")
            return redirect(url_for("dashboards.home"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@limiter.limit(_setting("PASSWORD_RESET_LIMIT"), methods=["POST"])
@limiter.limit(_setting("PASSWORD_RESET_LIMIT"), methods=["POST"], key_func=_submitted_account)
@public
def forgot():
    """Ask for a link to set a new password: the same answer, as fast, for any address."""
    started = time.monotonic()
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        commit_or_refuse(lambda: forgot_password(form.email.data))
        _answer_no_sooner_than(started + current_app.config["FORGOT_PASSWORD_ANSWER_SECONDS"])
        flash(
            _("If an account uses this address, a link to set a new password is on its way."),
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form)


def _answer_no_sooner_than(moment: float) -> None:
    """Wait until `moment` (time.monotonic): whatever work the request did is not timed."""
    remaining = moment - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


@bp.route("/account/sessions")
def sessions():
    """The signed-in user's live sessions, this one marked, each with a button to end it."""
    return render_template(
        "auth/sessions.html", sessions=live_sessions(current_user), current=current_session()
    )


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"], endpoint="end_session")
def end_session_page(session_id: int):
    """End one of one's own sessions (ending this one signs out)."""
    record = get_session_or_404(session_id)
    this_one = current_session()
    if save_or_flash_errors(lambda: end_own_session(current_user, record)):
        if this_one is not None and record.id == this_one.id:
            sign_out_browser()
            flash(_("You have signed out."), "info")
            return redirect(url_for("auth.sign_in"))
        flash(_("That session has ended: it is signed out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
def end_other_sessions():
    """End every session of the signed-in user but this one."""
    ended = save_or_flash_errors(lambda: end_own_sessions(current_user, keep=current_session()))
    if ended:
        flash(_("Every other session has ended: only this one is still signed in."), "success")
    elif ended is not False:
        flash(_("You were not signed in anywhere else."), "info")
    return redirect(url_for("auth.sessions"))


@bp.route("/account/language", methods=["GET", "POST"])
def language():
    """The language of one's own pages and emails."""
    form = LanguageForm(data={"language": current_user.language or ""})
    if form.validate_on_submit() and save_or_show_errors(
        form, lambda: choose_language(current_user, form.language.data)
    ):
        flash(_("Your language is saved."), "success")
        return redirect(url_for("auth.language"))
    return render_template("auth/language.html", form=form)


@bp.route("/language/<code>", methods=["POST"], endpoint="visitor_language")
@public
def visitor_language(code: str):
    """A visitor's language (the switch on the sign-in page), kept in their own browser
    session only; a language the tracker does not speak is not found."""
    chosen = known_language(code)
    if chosen is None:
        abort(404)
    session[LANGUAGE_KEY] = chosen
    return redirect(safe_next(request.form.get("next")) or url_for("auth.sign_in"))
