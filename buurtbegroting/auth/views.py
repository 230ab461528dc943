"""Account pages: register, log in and out, reset a password, settings."""

import json

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required, login_user, logout_user

from buurtbegroting import throttle
from buurtbegroting.auth import bp, privacy, services
from buurtbegroting.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
    ResetRequestForm,
    VerifyEmailForm,
)
from buurtbegroting.extensions import db, limiter
from buurtbegroting.public.views import _safe_next
from buurtbegroting.rendering import render_form, show_refusal


def _unknown_postcode_message() -> str:
    return _(
        "We do not know this postcode in this municipality. Check it; if it is right, "
        "you live outside the area of this platform."
    )


@bp.route("/registreren", methods=["GET", "POST"])
def register():
    """Create a resident account; the postcode decides the neighbourhood."""
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_user(
                form.email.data,
                form.password.data,
                form.display_name.data,
                form.postcode.data,
                locale=session.get("lang") or request.cookies.get("lang"),
            )
        except services.UnknownPostcode:
            form.postcode.errors.append(_unknown_postcode_message())
        else:
            db.session.commit()
            # The same answer whether the address was new or known (its owner gets a mail).
            flash(
                _(
                    "We have sent an e-mail to this address. Open the link in it to confirm "
                    "your address. Then you can log in."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_form("auth/register.html", form)


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit():
    return current_app.config["RATELIMIT_RESET"]


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Log in with e-mail address and password.

    Wrong passwords count per client and account (a limit: the guessing client waits, the
    owner elsewhere does not) and per client (a slow-down: a shared address goes on).
    """
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    if form.validate_on_submit():
        client, account = throttle.client_key(), throttle.account_key(form.email.data)
        throttle.LOGIN_CLIENT.check(client)
        throttle.LOGIN_ACCOUNT.check(client, account)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.LOGIN_CLIENT.fail(client)
            throttle.LOGIN_ACCOUNT.fail(client, account)
            form.password.errors.append(
                _("This e-mail address and password do not match an account.")
            )
        else:
            db.session.commit()
            login_user(user)
            session["lang"] = user.locale or session.get("lang")
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_form("auth/login.html", form)


@bp.route("/uitloggen", methods=["POST"])
def logout():
    """Log out, ending every session of the account (the language choice stays)."""
    lang = session.get("lang")
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    """E-mail a link to choose a new password."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "If there is an account with this address, we have sent it an e-mail with a link. The link works for one hour."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_request.html", form)


@bp.route("/wachtwoord/nieuw", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def new_password():
    """Choose a new password with the code from the e-mail (the link puts it in the fragment).

    The code is only ever POSTed, so it appears in no URL and no access log.
    """
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.user_for_reset_token(form.token.data)
        if user is None:
            form.token.errors.append(
                _("This code has expired or has been used already. Ask for a new e-mail.")
            )
        else:
            services.set_new_password(user, form.password.data)
            db.session.commit()
            logout_user()
            flash(_("Your new password has been saved. You can log in now."), "success")
            return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)


def _verify_limit():
    return current_app.config["RATELIMIT_VERIFY"]


def account_key() -> str:
    """Rate-limit key of the logged-in account (not of the address it comes from)."""
    return f"account:{current_user.get_id().partition(':')[0]}"


@bp.route("/email-bevestigen", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def verify_email():
    """Confirm the e-mail address with the code from the e-mail (POSTed, never in a URL)."""
    form = VerifyEmailForm()
    if form.validate_on_submit():
        user = services.user_for_verify_token(form.token.data)
        if user is None:
            form.token.errors.append(
                _(
                    "This code has expired or is not right. Ask for a new e-mail on your account page."
                )
            )
        else:
            services.verify_email(user)
            db.session.commit()
            flash(_("Thank you. Your e-mail address is confirmed."), "success")
            if current_user.is_authenticated:
                return redirect(url_for("auth.account"))
            return redirect(url_for("auth.login"))
    return render_form("auth/verify_email.html", form)


@bp.route("/email-bevestigen/opnieuw", methods=["POST"])
@login_required
@limiter.limit(_verify_limit, key_func=account_key)
def resend_verification():
    """Send the verification e-mail again to the logged-in account."""
    form = ResendVerificationForm()
    if form.validate_on_submit() and not current_user.is_verified:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We have sent the e-mail again. Look in your inbox (and in spam)."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change name, postcode and language."""
    form = AccountForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or str(session.get("lang") or "nl")
    if form.validate_on_submit():
        try:
            services.update_account(
                current_user, form.display_name.data, form.postcode.data, form.locale.data
            )
        except services.UnknownPostcode:
            form.postcode.errors.append(_unknown_postcode_message())
        else:
            db.session.commit()
            session["lang"] = form.locale.data
            flash(_("Your settings have been saved."), "success")
            return redirect(url_for("auth.account"))
    return render_form("auth/account.html", form, password_form=ChangePasswordForm(formdata=None))


@bp.route("/account/wachtwoord", methods=["POST"])
@login_required
@limiter.limit(_login_limit, key_func=account_key)
def change_password():
    """Change the password, knowing the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            services.set_new_password(current_user, form.password.data)
            db.session.commit()
            # Every other session has ended; this one goes on with the new version.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
        form.current.errors.append(_("This is not your current password."))
    account_form = AccountForm(obj=current_user, formdata=None)
    account_form.locale.data = current_user.locale or "nl"
    return render_template("auth/account.html", form=account_form, password_form=form), 422


@bp.route("/account/mijn-gegevens.json")
@login_required
def download_data():
    """Download everything the platform keeps about the account, as JSON."""
    data = privacy.export_data(current_user)
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], key_func=account_key)
def delete_account():
    """Delete the account after the password is given again."""
    form = DeleteAccountForm()
    status = None
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            try:
                files = privacy.delete_account(user, actor=None)
            except privacy.AccountKept as kept:
                show_refusal(kept)
                status = 409
            else:
                privacy.commit_deletion(files)
                logout_user()
                session.clear()
                flash(_("Your account has been deleted."), "success")
                return redirect(url_for("public.home"))
    return render_form("auth/delete_account.html", form, status=status)
