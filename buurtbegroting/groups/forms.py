"""Forms of the thematic groups: start or change a group, filter the list, give advice."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import Optional, ValidationError

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.forms import (
    CHOOSE_AREA,
    FlexibleDateField,
    GetForm,
    choices_of,
    line_field,
    listed_field,
    single_line,
    text_field,
    too_long,
)
from buurtbegroting.models import AdvicePosition, MemberRole

NAME_MAX, THEME_MAX, DESCRIPTION_MAX, ADVICE_MAX = 120, 200, 5_000, 5_000
#: The value of the theme choice "my own theme" (spearheads have their id as value).
FREE_THEME = "free"

ROLE_LABELS = {MemberRole.COORDINATOR: _l("coordinator"), MemberRole.MEMBER: _l("member")}

POSITION_LABELS = {
    AdvicePosition.POSITIVE: _l("Positive"),
    AdvicePosition.NEUTRAL: _l("Neutral"),
    AdvicePosition.NEGATIVE: _l("Negative"),
}


def _one_line(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class GroupForm(FlaskForm):
    """Start or change a thematic group.

    The view fills the choices of ``area_id`` and ``theme``; the service checks that a
    chosen spearhead belongs to the plan of the chosen area.
    """

    name = line_field(
        _l("Name of the group"),
        _l("Give the group a name."),
        limit=NAME_MAX,
        description=_l("Short and clear, for example: Green Schadewijk."),
    )
    area_id = listed_field(
        _l("Area"),
        CHOOSE_AREA,
        description=_l("The district, village or neighbourhood the group works for."),
    )
    theme = listed_field(
        _l("Theme"),
        _l("Choose a theme from the list."),
        description=_l(
            "Choose a spearhead of the area plan that applies to the area, "
            "or choose your own theme."
        ),
    )
    free_theme = StringField(
        _l("Own theme"),
        filters=[_one_line],
        validators=[Optional(), too_long(THEME_MAX), single_line],
        description=_l("Only with your own theme: say in one line what the group is about."),
    )
    description = text_field(
        _l("Description"),
        _l("Describe what the group wants to do."),
        limit=DESCRIPTION_MAX,
        description=_l("What does the group want to do, and who can join?"),
    )
    end_date = FlexibleDateField(
        _l("End date (optional)"),
        validators=[Optional()],
        description=_l(
            "A group can be for a short time. Leave this empty if the group has no end date."
        ),
    )

    def __init__(self, *args, today: date | None = None, keep_end_date: date | None = None, **kw):
        super().__init__(*args, **kw)
        self._today = today or today_nl()
        #: An end date that is already stored may stay, even when it has passed.
        self._keep_end_date = keep_end_date

    def validate_free_theme(self, field):
        """Require a one-line theme when "own theme" is chosen."""
        if self.theme.data == FREE_THEME and not field.data:
            raise ValidationError(_l("Describe your own theme in one line."))

    def validate_end_date(self, field):
        """Refuse an end date in the past (a stored one may stay)."""
        if field.data is None or field.data == self._keep_end_date:
            return
        if field.data < self._today:
            raise ValidationError(_l("The end date cannot be in the past."))

    @property
    def area_value(self) -> int:
        """Return the chosen area id (after validation)."""
        return int(self.area_id.data)

    @property
    def spearhead_value(self) -> int | None:
        """Return the chosen spearhead id, or None for an own theme (after validation)."""
        return None if self.theme.data == FREE_THEME else int(self.theme.data)


class FilterForm(GetForm):
    """Filter the list of groups by area (a GET form, so no CSRF token)."""

    gebied = listed_field(_l("Area"), CHOOSE_AREA)


class ActionForm(FlaskForm):
    """A button that changes something (join, leave, role, council): only the CSRF token."""


class RoleForm(FlaskForm):
    """Appoint a coordinator, or make a coordinator a plain member again."""

    role = listed_field(
        _l("Role"),
        _l("Choose coordinator or member."),
        choices=choices_of(ROLE_LABELS),
    )


class AdviceForm(FlaskForm):
    """The advice of a neighbourhood or village council on an idea."""

    position = listed_field(
        _l("Your advice"),
        _l("Choose positive, neutral or negative."),
        kind=RadioField,
        choices=choices_of(POSITION_LABELS),
    )
    text = text_field(
        _l("Explanation"),
        _l("Explain your advice."),
        limit=ADVICE_MAX,
        description=_l(
            "Why does the council think this? Residents and the municipality read this."
        ),
    )
