"""Forms of the public pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class PostcodeForm(FlaskForm):
    """Find your area by postcode (a GET search, so no CSRF token)."""

    class Meta:
        csrf = False

    postcode = StringField(
        _l("Your postcode"),
        validators=[
            DataRequired(message=_l("Enter your postcode.")),
            Length(
                max=12,
                message=_l(
                    "This is not a postcode. Type four digits and two letters, like 5341 AB."
                ),
            ),
        ],
        description=_l("For example 5341 AB or 5341."),
    )
    submit = SubmitField(_l("Find my area"))


class LanguageForm(FlaskForm):
    """Switch the interface language."""

    lang = HiddenField()
    next = HiddenField()
