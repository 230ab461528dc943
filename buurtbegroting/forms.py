"""Form pieces every capability shares: filters, messages, fields and one confirm form.

Capabilities import these from here (never from another capability's ``forms.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.money import InvalidAmount, parse_cents

#: Why an amount of money was refused, by the code of :class:`InvalidAmount`.
AMOUNT_MESSAGES = {
    "format": _l("Write the amount in euros, like 1250,50."),
    "negative": _l("The amount cannot be negative."),
    "zero": _l("The amount must be more than 0."),
    "too_large": _l("This amount is too large for one line."),
}

#: The message for a date that is missing or cannot be read.
DATE_MESSAGE = _l("Enter a date like 31-12-2026.")
#: The message for an area that is not in the list offered.
CHOOSE_AREA = _l("Choose an area from the list.")


def strip(value):
    """Filter: remove the spaces around typed text (other values pass unchanged)."""
    return value.strip() if isinstance(value, str) else value


def too_long(limit: int) -> Length:
    """Validator: at most ``limit`` characters, with the one message for it."""
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


def required(message) -> DataRequired:
    """Validator: the field must be filled in; ``message`` says what to fill in."""
    return DataRequired(message=message)


#: Line and paragraph separators that are not control characters but still break a line.
_LINE_BREAKS = {"\u2028", "\u2029"}


def has_control_characters(text: str, *, allow_line_breaks: bool = False) -> bool:
    """Return whether the text holds control characters (or line breaks, unless allowed)."""
    allowed = {"\n", "\r", "\t"} if allow_line_breaks else set()
    return any(
        c not in allowed and (unicodedata.category(c) == "Cc" or c in _LINE_BREAKS) for c in text
    )


def single_line(form, field) -> None:
    """Validator: refuse line breaks and control characters in a one-line field (names, titles).

    Such text breaks e-mail headers, CSV rows and page layouts, and is never typed on purpose.
    """
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(
            _l("Write this on one line, without line breaks or invisible characters.")
        )


def plain_text(form, field) -> None:
    """Validator: refuse control characters other than line breaks and tabs in a text area."""
    if isinstance(field.data, str) and has_control_characters(field.data, allow_line_breaks=True):
        raise ValidationError(_l("Remove the invisible characters from this text."))


def _text_checks(required_message, limit: int) -> list:
    """Return the checks every typed text gets: filled in (when required), not too long."""
    first = [DataRequired(message=required_message)] if required_message else []
    return [*first, too_long(limit)]


def line_field(
    label, required_message=None, *, limit: int, one_line: bool = True, also=(), **kwargs
) -> StringField:
    """Return a one-line text field: stripped, at most ``limit`` characters, no line breaks.

    :param required_message: says what to fill in; without it the field may stay empty.
    :param one_line: False for typed numbers and codes, which their own parsing checks.
    :param also: further validators, run after these checks.
    """
    checks = _text_checks(required_message, limit) + ([single_line] if one_line else [])
    return StringField(label, filters=[strip], validators=[*checks, *also], **kwargs)


def text_field(label, required_message=None, *, limit: int, **kwargs) -> TextAreaField:
    """Return a text area: stripped, at most ``limit`` characters.

    :param required_message: says what to fill in; without it the field may stay empty.
    """
    return TextAreaField(
        label, filters=[strip], validators=_text_checks(required_message, limit), **kwargs
    )


def int_or_none(value):
    """Coerce a choice to int; anything unreadable becomes None (and fails the choice check)."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_amount(text: str, **kwargs) -> int:
    """Return an amount typed in euros as cents, or raise a ValidationError that says why not.

    Keyword arguments go to :func:`parse_cents` (``allow_zero``, ``maximum``).
    """
    try:
        return parse_cents(text, **kwargs)
    except InvalidAmount as error:
        raise ValidationError(AMOUNT_MESSAGES[error.code]) from None


def amount_field(label, *, allow_zero: bool = False, **kwargs) -> StringField:
    """Return a required field for an amount in euros ("24,95"), read when validated."""

    def readable(form, field) -> None:
        parse_amount(field.data or "", allow_zero=allow_zero)

    return line_field(
        label, _l("Fill in the amount."), limit=20, one_line=False, also=[readable], **kwargs
    )


def date_field(label, message=DATE_MESSAGE, *, presence=InputRequired, also=(), **kwargs):
    """Return a required :class:`FlexibleDateField`.

    :param presence: InputRequired keeps the error of a date that cannot be read;
        DataRequired shows ``message`` for it instead.
    :param also: further validators, run after the presence check.
    """
    return FlexibleDateField(label, validators=[presence(message=message), *also], **kwargs)


def not_after_today(message):
    """Return a validator that refuses a date after today (in the Netherlands)."""

    def check(form, field) -> None:
        if field.data is not None and field.data > today_nl():
            raise ValidationError(message)

    return check


def not_before(start: str, message):
    """Return a validator that refuses a date before the date in the form's field ``start``."""

    def check(form, field) -> None:
        first = form[start].data
        if field.data and first and field.data < first:
            raise ValidationError(message)

    return check


def filter_select(label) -> SelectField:
    """Return a select of a filter (an id, or nothing); the view offers the choices."""
    return SelectField(label, coerce=int_or_none, validate_choice=False, validators=[Optional()])


def choices_of(labels: Mapping) -> list[SelectChoice]:
    """Return choices from labels by value (a text or an enum member, offered as its text)."""
    return [SelectChoice(str(value), text) for value, text in labels.items()]


def answer_field(label, message, labels: Mapping, *, kind=RadioField, **kwargs):
    """Return radio buttons (or a ``kind`` of select) that must be answered.

    :param labels: the label of each choice, by its value (see :func:`choices_of`).
    """
    return kind(
        label, choices=choices_of(labels), validators=[DataRequired(message=message)], **kwargs
    )


def _as_is(value):
    return value


class ChoiceCheck:
    """Validator: refuse a value (or a ticked value) that is not one of the field's choices.

    :param message: says to choose from the list.
    :param empty_ok: let an empty value pass (a required field says so itself).
    :param as_text: compare as text (the field keeps text; the view may offer ids).
    """

    def __init__(self, message, *, empty_ok: bool = False, as_text: bool = True):
        self.message = message
        self.empty_ok = empty_ok
        self.key = str if as_text else _as_is

    def __call__(self, form, field):
        allowed = {self.key(choice.value) for choice in field.choices or []}
        many = isinstance(field, SelectMultipleField)
        values = (field.data or []) if many else [field.data]
        skipped = (None, "") if self.empty_ok else ()
        if any(self.key(v) not in allowed for v in values if v not in skipped):
            raise ValidationError(self.message)


def listed_field(
    label, message, *, coerce=str, kind=SelectField, before=(), empty_ok=False, **kwargs
):
    """Return a select (or ``kind``) whose value must be one of the choices the view offers.

    :param message: says to choose from the list.
    :param coerce: ``str`` keeps the value as text; ``int_or_none`` reads an id.
    :param before: validators to run first (a required check).
    """
    check = ChoiceCheck(message, empty_ok=empty_ok, as_text=coerce is str)
    return kind(label, coerce=coerce, validate_choice=False, validators=[*before, check], **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def id_field(label, message, **kwargs) -> SelectField:
    """Return a select of an id (an area, a group) from the choices the view offers."""
    return listed_field(label, message, coerce=int_or_none, **kwargs)


def ids_field(label, message, **kwargs) -> MultiCheckboxField:
    """Return checkboxes of ids (areas, spearheads, photos) from the choices the view offers."""
    return listed_field(label, message, coerce=int_or_none, kind=MultiCheckboxField, **kwargs)


def area_field(**kwargs) -> SelectField:
    """Return the select of an area id from the list the view offers."""
    return id_field(_l("Area"), CHOOSE_AREA, **kwargs)


def spearheads_field() -> MultiCheckboxField:
    """Return the checkboxes of the spearheads of an area's plan."""
    return ids_field(_l("Spearheads"), _l("Choose spearheads from the list of this area."))


def photos_field(label) -> MultipleFileField:
    """Return the field for adding photos (the upload rules check them)."""
    return MultipleFileField(
        label, description=_l("JPEG, PNG or WebP, at most 10 MB each, at most 5 photos.")
    )


class MoneyField(StringField):
    """An amount typed in euros ("1.250,50"); ``field.cents`` holds it as cents once valid.

    The typed text stays in ``data`` so that a refused amount is shown back as typed.
    """

    def __init__(self, label=None, validators=None, *, allow_zero: bool = False, **kwargs):
        super().__init__(label, validators, filters=[strip], **kwargs)
        self.allow_zero = allow_zero
        self.cents: int | None = None

    def pre_validate(self, form) -> None:
        """Read the amount; an empty field is left to the field's own validators."""
        self.cents = None
        if self.data:
            self.cents = parse_amount(self.data, allow_zero=self.allow_zero)


class FlexibleDateField(DateField):
    """A date as the browser sends it (2026-12-31) or as people type it (31-12-2026)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d-%m-%Y"], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(DATE_MESSAGE)


class GetForm(FlaskForm):
    """A form sent with GET (a search or filter): no CSRF token."""

    class Meta:
        csrf = False


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (confirm, delete, move)."""

    submit = SubmitField(_l("Confirm"))


def area_label(area) -> str:
    """Return an area's name as it stands in a list: neighbourhoods indented under districts."""
    level = getattr(area.level, "value", area.level)
    return area.name if level in ("district", "municipality") else f"— {area.name}"


def area_choices(areas: Iterable, *, empty: str | None = None, key=str) -> list[SelectChoice]:
    """Return areas as choices (``key`` turns the id into the option value).

    :param empty: the label of a first choice with value 0 ("All areas"), if wanted.
    """
    choices = [SelectChoice(key(0), empty)] if empty is not None else []
    choices.extend(SelectChoice(key(area.id), area_label(area)) for area in areas)
    return choices
