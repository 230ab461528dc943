"""Forms for accounts: register, log in, reset a password, change settings."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from buurtbegroting.domain import languages
from buurtbegroting.domain.areas import InvalidPostcode, normalize_postcode
from buurtbegroting.forms import line_field, strip

MIN_PASSWORD = 10
NOT_A_POSTCODE = _l("This is not a postcode. Type four digits and two letters, like 5341 AB.")


def _check_postcode(form, field):
    try:
        field.data = normalize_postcode(field.data)
    except InvalidPostcode:
        raise ValidationError(NOT_A_POSTCODE) from None


def _email_field():
    return EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("This e-mail address is too long.")),
            Email(
                message=_l("Enter an e-mail address like name@example.nl."),
                check_deliverability=False,
            ),
        ],
    )


def _password_field(label, required_message) -> PasswordField:
    """Return a field for a password the account has already (not a new one)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(message=required_message),
            Length(max=200, message=_l("This password is too long.")),
        ],
    )


def _postcode_field(**kwargs) -> StringField:
    """Return the postcode field; a valid postcode is stored in its usual form."""
    return StringField(
        _l("Postcode"),
        validators=[
            DataRequired(message=_l("Enter your postcode.")),
            Length(max=12, message=NOT_A_POSTCODE),
            _check_postcode,
        ],
        **kwargs,
    )


def _name_field(**kwargs) -> StringField:
    """Return the field for the name others see."""
    return line_field(
        _l("Your name"), _l("Enter the name others will see."), limit=80, one_line=False, **kwargs
    )


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD),
            ),
        ],
        description=_l(
            "At least %(num)d characters. A short sentence is easy to remember.", num=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    return password, confirm


class RegisterForm(FlaskForm):
    """Create a resident account."""

    email = _email_field()
    display_name = _name_field(description=_l("Others see this name, for example with your ideas."))
    postcode = _postcode_field(
        description=_l("Your postcode decides your neighbourhood. For example 5341 AB.")
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    """Log in with e-mail address and password."""

    email = _email_field()
    password = _password_field(_l("Password"), _l("Enter your password."))
    submit = SubmitField(_l("Log in"))


class ResetRequestForm(FlaskForm):
    """Ask for an e-mail with a link to choose a new password."""

    email = _email_field()
    submit = SubmitField(_l("Send me a link"))


def _token_field(label):
    # Filled from the link's fragment by static/js/fragment-token.js, or typed.
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the code from the e-mail.")),
            Length(max=300, message=_l("This code is too long. Copy it from the e-mail.")),
        ],
        description=_l("Copy the code from the e-mail and paste it here."),
        render_kw={
            "data-from-fragment": "",
            "autocomplete": "one-time-code",
            "spellcheck": "false",
        },
    )


class ResetPasswordForm(FlaskForm):
    """Choose a new password with the code (or link) from the reset e-mail."""

    token = _token_field(_l("Code from the e-mail"))
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Save new password"))


class VerifyEmailForm(FlaskForm):
    """Confirm the e-mail address with the code (or link) from the verification e-mail."""

    token = _token_field(_l("Code from the e-mail"))
    submit = SubmitField(_l("Confirm my e-mail address"))


class ResendVerificationForm(FlaskForm):
    """Ask for the verification e-mail again."""

    submit = SubmitField(_l("Send the e-mail again"))


class DeleteAccountForm(FlaskForm):
    """Delete one's own account, confirmed with the password."""

    password = _password_field(
        _l("Your password"), _l("Enter your password to delete your account.")
    )
    submit = SubmitField(_l("Delete my account"))


class AccountForm(FlaskForm):
    """Change name, postcode and language."""

    display_name = _name_field()
    postcode = _postcode_field()
    locale = SelectField(
        _l("Language"),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice(code, name, render_kw={"lang": code, "dir": direction})
            for code, name, direction in languages.switch(current_app.config["LANGUAGES"])
        ]


class ChangePasswordForm(FlaskForm):
    """Change the password, knowing the current one."""

    current = _password_field(_l("Current password"), _l("Enter your current password."))
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))
