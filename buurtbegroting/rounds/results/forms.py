"""The form of a recorded override of the winners."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField

from buurtbegroting.forms import plain_text, required, strip, too_long
from buurtbegroting.rounds.results.overrides import REASON_MAX


class OverrideForm(FlaskForm):
    """Mark a computed winner as not funded, with the reason that is published."""

    idea_id = SelectField(
        _l("Idea that is not carried out"),
        coerce=int,
        validate_choice=True,
        validators=[required(_l("Choose the idea."))],
    )
    reason = TextAreaField(
        _l("Reason (published next to the result)"),
        filters=[strip],
        validators=[required(_l("Give the reason.")), too_long(REASON_MAX), plain_text],
    )
    submit = SubmitField(_l("Do not fund this idea and move the money on"))
