"""Forms for voting codes, re-issue, paper ballots and batches (shape only; rules in codes.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from buurtbegroting.forms import (
    MultiCheckboxField,
    area_field,
    choices_of,
    int_or_none,
    listed_field,
    strip,
)
from buurtbegroting.models import BallotType


def area_choices(round_) -> list[SelectChoice]:
    """Return the areas of a round as choices."""
    return [SelectChoice(ra.id, f"{ra.area.name} ({ra.area.code})") for ra in round_.areas]


class _AreaForm(FlaskForm):
    #: Only areas of this round.
    round_area_id = area_field()


class GenerateForm(_AreaForm):
    """Make N codes for an area; the answer is a ZIP download."""

    count = StringField(
        _l("Number of codes"),
        filters=[strip],
        description=_l("One code for every resident who may vote. Usually the number of letters."),
    )
    output = listed_field(
        _l("Letters as"),
        _l("Choose a format from the list."),
        choices=choices_of(
            {
                "pdf": _l("PDF files for the print shop (A4)"),
                "html": _l("Web pages to print yourself"),
            }
        ),
        default="html",
    )
    back_lang = SelectField(
        _l("Second language on the back (PDF only)"),
        choices=choices_of({"": _l("None"), "en": _l("English")}),
        default="",
        validate_choice=False,
    )
    submit = SubmitField(_l("Make codes and download"))

    def validate_back_lang(self, field):
        """Accept only the languages offered."""
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a language from the list."))

    def validate_count(self, field):
        """Keep the number as a whole number; the range is checked by the service."""
        text = (field.data or "").replace(".", "").replace(" ", "")
        if not text.isdigit():
            raise ValidationError(_l("Enter a whole number, like 2500."))
        field.data = int(text)


class ReissueForm(_AreaForm):
    """Replace a lost code by a new one."""

    code = StringField(
        _l("Lost code"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the code that was lost."))],
        description=_l("As printed on the letter. Capitals, spaces and dashes do not matter."),
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say why the code is replaced.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
        description=_l("For example: letter lost, resident called on 3 May."),
    )
    submit = SubmitField(_l("Make the old code void and make a new one"))


class BatchForm(_AreaForm):
    """Start a batch in double-entry mode."""

    batch = StringField(
        _l("Name of the batch"),
        filters=[strip],
        validators=[DataRequired(_l("Give the batch a name."))],
        description=_l(
            "Write it on the stack of paper ballots, for example: Ballot box town hall 1."
        ),
    )
    submit = SubmitField(_l("Start typing the first entry"))


class PaperBallotForm(FlaskForm):
    """One paper ballot: the ideas ticked (or points given) and the code on it, if any.

    The fields for the ideas are added per area by :func:`paper_ballot_form`.
    """

    code = StringField(
        _l("Voting code on the ballot"),
        filters=[strip],
        validators=[Length(max=40, message=_l("A voting code has 13 letters and digits."))],
        description=_l(
            "Only when a code is written on the ballot. The code is then marked as used."
        ),
    )
    submit = SubmitField(_l("Save ballot"))

    #: Set by paper_ballot_form.
    round_area = None

    def point_fields(self):
        """Yield (ballot item, points field) for cumulative ballots."""
        for item in self.round_area.items:
            yield item, self[f"points_{item.id}"]

    def choices(self) -> dict[int, int] | None:
        """Return the ballot as {ballot item id: points}; None when a field has an error."""
        if self.is_cumulative:
            chosen = {}
            for item, field in self.point_fields():
                if field.errors:
                    return None
                if field.data:
                    chosen[item.id] = field.data
            return chosen
        return dict.fromkeys(self.items.data or [], 1)

    @property
    def is_cumulative(self) -> bool:
        """Tell whether voters give points (instead of ticking ideas)."""
        return self.round_area.round.ballot_type == BallotType.CUMULATIVE


class _Points(StringField):
    """Points for one idea: empty is 0; otherwise a whole number in range."""

    def __init__(self, *args, maximum: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw = text
        if not text:
            self.data = 0
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None

    def _value(self):
        return getattr(self, "raw", None) or (str(self.data) if self.data else "")

    def pre_validate(self, form):
        if self.data is None or not 0 <= self.data <= self.maximum:
            raise ValidationError(_l("Enter a whole number from 0 to %(max)d.", max=self.maximum))


def paper_ballot_form(round_area, formdata=None, data=None) -> PaperBallotForm:
    """Build the paper-ballot form for an area: tick boxes, or a points field per idea."""
    round_ = round_area.round
    attrs = {}
    if round_.ballot_type == BallotType.CUMULATIVE:
        maximum = round_.cumulative_max_per_idea or round_.cumulative_points or 100
        for item in round_area.items:
            attrs[f"points_{item.id}"] = _Points(item.idea.title, maximum=maximum)
    else:
        attrs["items"] = MultiCheckboxField(
            _l("Ideas ticked on the ballot"), coerce=int_or_none, validate_choice=False
        )
    form_class = type("AreaPaperBallotForm", (PaperBallotForm,), attrs)
    if data is not None:
        form = form_class(formdata=None, data=data)
    else:
        form = form_class(formdata=formdata)
    form.round_area = round_area
    if "items" in attrs:
        form.items.choices = [SelectChoice(item.id, item.idea.title) for item in round_area.items]
    return form


def validate_items(form: PaperBallotForm) -> bool:
    """Check that every ticked idea is on this area's ballot; put the error at the field."""
    if form.is_cumulative:
        return True
    allowed = {item.id for item in form.round_area.items}
    data = form.items.data or []
    if any(item_id not in allowed for item_id in data):
        form.items.errors = [_l("Tick only ideas on this ballot.")]
        return False
    return True
