"""Forms of accountability: planning, milestones, updates, expenses, report, payout, review."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from buurtbegroting.accountability import iban
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.money import InvalidAmount, parse_cents
from buurtbegroting.forms import (
    AMOUNT_MESSAGES,
    FlexibleDateField,
    MultiCheckboxField,
    int_or_none,
    line_field,
    strip,
    text_field,
    too_long,
)

#: Dates further away than this are typing errors.
EARLIEST = date(2000, 1, 1)


def _amount(field, *, allow_zero=False):
    """Read the field as cents or raise a ValidationError with the reason."""
    try:
        return parse_cents(field.data or "", allow_zero=allow_zero)
    except InvalidAmount as error:
        raise ValidationError(AMOUNT_MESSAGES[error.code]) from None


def _not_in_future(field, message):
    if field.data is not None and field.data > today_nl():
        raise ValidationError(message)


def _sensible(field):
    if field.data is not None and (field.data < EARLIEST or field.data.year > 2100):
        raise ValidationError(_l("Enter a date like 31-12-2026."))


class AmountMixin:
    """Parsed cents of the ``amount`` field, once validated."""

    def cents(self) -> int:
        """Return the amount in cents."""
        return parse_cents(self.amount.data, allow_zero=getattr(self, "ALLOW_ZERO", False))


class PlanningForm(FlaskForm):
    """When the initiators expect to be done."""

    planned_end_on = FlexibleDateField(
        _l("Planned end date"),
        validators=[DataRequired(message=_l("Enter a date like 31-12-2026."))],
        description=_l("The final report is due a few weeks after this date."),
    )
    save_planning = SubmitField(_l("Save date"))

    def validate_planned_end_on(self, field):
        """Refuse dates that cannot be meant."""
        _sensible(field)


class MilestoneForm(FlaskForm):
    """A step the initiators plan."""

    title = line_field(
        _l("Milestone"),
        _l("Say what the step is."),
        limit=200,
        description=_l("For example: Buy the plants."),
    )
    planned_on = FlexibleDateField(
        _l("Planned date"),
        validators=[DataRequired(message=_l("Enter a date like 31-12-2026."))],
    )
    add_milestone = SubmitField(_l("Add milestone"))

    def validate_planned_on(self, field):
        """Refuse dates that cannot be meant."""
        _sensible(field)


class MilestoneDoneForm(FlaskForm):
    """When a step was done."""

    done_on = FlexibleDateField(_l("Done on"), validators=[Optional()])
    save_done = SubmitField(_l("Save"))

    def validate_done_on(self, field):
        """Accept today or an earlier date."""
        _sensible(field)
        _not_in_future(field, _l("This date is in the future."))


class UpdateForm(FlaskForm):
    """A progress update with photos."""

    text = text_field(
        _l("What happened?"), _l("Write a few sentences about the progress."), limit=5000
    )
    photos = MultipleFileField(
        _l("Photos (optional)"),
        description=_l("JPEG, PNG or WebP, at most 10 MB each, at most 5 photos."),
    )
    add_update = SubmitField(_l("Post update"))


class ExpenseForm(AmountMixin, FlaskForm):
    """Money spent, with its receipt."""

    description = line_field(_l("What did you pay for?"), _l("Say what you paid for."), limit=200)
    amount = line_field(
        _l("Amount in euros"),
        _l("Fill in the amount."),
        limit=20,
        one_line=False,
        description=_l("For example 24,95."),
    )
    spent_on = FlexibleDateField(
        _l("Date of payment"),
        validators=[DataRequired(message=_l("Enter a date like 31-12-2026."))],
    )
    receipt = FileField(
        _l("Receipt"),
        description=_l(
            "A PDF, JPEG or PNG file of at most 10 MB. Only you and the municipality can see it."
        ),
    )
    add_expense = SubmitField(_l("Add expense"))

    def validate_amount(self, field):
        """Read the amount ("24,95") or explain what is wrong."""
        _amount(field)

    def validate_spent_on(self, field):
        """Accept today or an earlier date."""
        _sensible(field)
        _not_in_future(field, _l("This date is in the future."))


class BankAccountForm(FlaskForm):
    """The bank account for the payout."""

    bank_account = line_field(
        _l("Bank account (IBAN)"),
        _l("Fill in the IBAN."),
        limit=40,
        one_line=False,
        description=_l(
            "The municipality pays the money into this account. Only you and the municipality can see it."
        ),
    )
    save_bank_account = SubmitField(_l("Save bank account"))

    def validate_bank_account(self, field):
        """Check the IBAN's check digits."""
        if field.data and not iban.is_valid(field.data):
            raise ValidationError(
                _l(
                    "This is not a valid IBAN. Check the number, for example NL91 ABNA 0417 1643 00."
                )
            )


class ReportForm(FlaskForm):
    """The final report: what happened, how many took part, photos."""

    text = text_field(
        _l("What happened?"),
        _l("Write what happened with the money."),
        limit=10_000,
        description=_l("What did you do, what went well, what would you do differently?"),
    )
    participants = line_field(
        _l("How many people took part? (optional)"),
        limit=10,
        description=_l("An estimate is fine."),
    )
    photos = MultipleFileField(
        _l("Add photos"),
        description=_l("JPEG, PNG or WebP, at most 10 MB each, at most 5 photos."),
    )
    remove_photo_ids = MultiCheckboxField(
        _l("Remove photos"), coerce=int_or_none, validate_choice=False
    )
    save = SubmitField(_l("Save as draft"))
    send = SubmitField(_l("Send to the municipality"))

    def validate_participants(self, field):
        """Accept a whole number from 0 to a million."""
        text = (field.data or "").replace(".", "").replace(" ", "")
        if text and (not text.isdigit() or int(text) > 1_000_000):
            raise ValidationError(_l("Fill in a number from 0 to 1,000,000."))

    def participants_value(self) -> int | None:
        """Return the number of participants, or None when not given."""
        text = (self.participants.data or "").replace(".", "").replace(" ", "")
        return int(text) if text else None

    def validate_remove_photo_ids(self, field):
        """Accept only photos of this report."""
        allowed = {c.value for c in field.choices or []}
        if any(v not in allowed for v in field.data or []):
            raise ValidationError(_l("Choose photos from the list."))


class PayoutForm(AmountMixin, FlaskForm):
    """The municipality records the payout."""

    amount = line_field(
        _l("Amount paid out in euros"), _l("Fill in the amount."), limit=20, one_line=False
    )
    paid_on = FlexibleDateField(
        _l("Date of payment"),
        validators=[DataRequired(message=_l("Enter a date like 31-12-2026."))],
    )
    reference = line_field(
        _l("Payment reference"), _l("Fill in the reference of the payment."), limit=80
    )
    save_payout = SubmitField(_l("Save payout"))

    def validate_amount(self, field):
        """Read the amount."""
        _amount(field)

    def validate_paid_on(self, field):
        """Accept today or an earlier date."""
        _sensible(field)
        _not_in_future(field, _l("This date is in the future."))


class ReturnForm(AmountMixin, FlaskForm):
    """The municipality records the money paid back."""

    ALLOW_ZERO = True

    # Its own id: the payout form on the same page has an "amount" field too.
    amount = line_field(
        _l("Amount returned in euros"),
        _l("Fill in the amount."),
        limit=20,
        one_line=False,
        id="returned_amount",
        description=_l("The total paid back so far. 0 if nothing was paid back."),
    )
    save_return = SubmitField(_l("Save amount returned"))

    def validate_amount(self, field):
        """Read the amount (0 is allowed)."""
        _amount(field, allow_zero=True)


class ReviewForm(FlaskForm):
    """Approve the final report or ask for changes."""

    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve the report")),
            SelectChoice("changes", _l("Ask for changes")),
        ],
        validate_choice=False,
    )
    message = TextAreaField(
        _l("Message to the initiators"),
        filters=[strip],
        validators=[Optional(), too_long(5000)],
        description=_l("Required when you ask for changes."),
    )
    save_review = SubmitField(_l("Save decision"))

    def validate_decision(self, field):
        """Accept only the offered decisions."""
        if field.data not in ("approve", "changes"):
            raise ValidationError(_l("Choose a decision from the list."))

    def validate_message(self, field):
        """Require a message when asking for changes."""
        if self.decision.data == "changes" and not field.data:
            raise ValidationError(_l("Write what the initiators should change."))


class OverviewFilterForm(FlaskForm):
    """Filter the public overview by area and spearhead (a GET form)."""

    class Meta:
        csrf = False

    gebied = SelectField(
        _l("Area"), coerce=int_or_none, validate_choice=False, validators=[Optional()]
    )
    speerpunt = SelectField(
        _l("Spearhead"), coerce=int_or_none, validate_choice=False, validators=[Optional()]
    )
