"""Account pages: register, log in and out, reset a password, settings."""

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

from buurtbegroting.auth import bp, services
from buurtbegroting.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from buurtbegroting.extensions import db, limiter
from buurtbegroting.public.views import _safe_next
from buurtbegroting.rendering import render_form


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
            user = services.register_user(
                form.email.data,
                form.password.data,
                form.display_name.data,
                form.postcode.data,
                locale=session.get("lang") or request.cookies.get("lang"),
            )
        except services.EmailTaken:
            form.email.errors.append(
                _(
                    "There is already an account with this e-mail address. Log in, or ask for a new password."
                )
            )
        except services.UnknownPostcode:
            form.postcode.errors.append(_unknown_postcode_message())
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect(url_for("public.area", code=user.area.code))
    return render_form("auth/register.html", form)


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit():
    return current_app.config["RATELIMIT_RESET"]


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
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
    """Log out and forget the session (the language choice stays)."""
    lang = session.get("lang")
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
        services.request_password_reset(
            form.email.data,
            lambda token: url_for("auth.reset_password", token=token, _external=True),
        )
        db.session.commit()
        flash(
            _(
                "If there is an account with this address, we have sent it an e-mail with a link. The link works for one hour."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_request.html", form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token):
    """Choose a new password with a link from the e-mail."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or has been used already. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_new_password(user, form.password.data)
        db.session.commit()
        flash(_("Your new password has been saved. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_password.html", form)


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
@limiter.limit(_login_limit)
def change_password():
    """Change the password, knowing the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            services.set_new_password(current_user, form.password.data)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
        form.current.errors.append(_("This is not your current password."))
    account_form = AccountForm(obj=current_user, formdata=None)
    account_form.locale.data = current_user.locale or "nl"
    return render_template("auth/account.html", form=account_form, password_form=form), 422
