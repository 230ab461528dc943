"""Forms of accountability: planning, milestones, updates, expenses, report, payout, review."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from buurtbegroting.accountability import iban
from buurtbegroting.domain.money import parse_cents
from buurtbegroting.forms import (
    DATE_MESSAGE,
    FlexibleDateField,
    GetForm,
    amount_field,
    choices_of,
    date_field,
    filter_select,
    ids_field,
    line_field,
    listed_field,
    not_after_today,
    photos_field,
    strip,
    text_field,
    too_long,
)

#: Dates further away than this are typing errors.
EARLIEST = date(2000, 1, 1)


_in_future = not_after_today(_l("This date is in the future."))


def _sensible(form, field):
    """Validator: refuse dates that cannot be meant."""
    if field.data is not None and (field.data < EARLIEST or field.data.year > 2100):
        raise ValidationError(DATE_MESSAGE)


def _past(form, field):
    """Validator: accept a sensible date of today or earlier."""
    _sensible(form, field)
    _in_future(form, field)


def _date(label, check=_sensible, **kwargs):
    """Return a required date field that ``check`` validates; an unreadable date is missing."""
    return date_field(label, presence=DataRequired, also=[check], **kwargs)


class AmountMixin:
    """Parsed cents of the ``amount`` field, once validated."""

    def cents(self) -> int:
        """Return the amount in cents."""
        return parse_cents(self.amount.data, allow_zero=getattr(self, "ALLOW_ZERO", False))


class PlanningForm(FlaskForm):
    """When the initiators expect to be done."""

    planned_end_on = _date(
        _l("Planned end date"),
        description=_l("The final report is due a few weeks after this date."),
    )
    save_planning = SubmitField(_l("Save date"))


class MilestoneForm(FlaskForm):
    """A step the initiators plan."""

    title = line_field(
        _l("Milestone"),
        _l("Say what the step is."),
        limit=200,
        description=_l("For example: Buy the plants."),
    )
    planned_on = _date(_l("Planned date"))
    add_milestone = SubmitField(_l("Add milestone"))


class MilestoneDoneForm(FlaskForm):
    """When a step was done."""

    done_on = FlexibleDateField(_l("Done on"), validators=[Optional(), _past])
    save_done = SubmitField(_l("Save"))


class UpdateForm(FlaskForm):
    """A progress update with photos."""

    text = text_field(
        _l("What happened?"), _l("Write a few sentences about the progress."), limit=5000
    )
    photos = photos_field(_l("Photos (optional)"))
    add_update = SubmitField(_l("Post update"))


class ExpenseForm(AmountMixin, FlaskForm):
    """Money spent, with its receipt."""

    description = line_field(_l("What did you pay for?"), _l("Say what you paid for."), limit=200)
    amount = amount_field(_l("Amount in euros"), description=_l("For example 24,95."))
    spent_on = _date(_l("Date of payment"), _past)
    receipt = FileField(
        _l("Receipt"),
        description=_l(
            "A PDF, JPEG or PNG file of at most 10 MB. Only you and the municipality can see it."
        ),
    )
    add_expense = SubmitField(_l("Add expense"))


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
    photos = photos_field(_l("Add photos"))
    # Only photos of this report.
    remove_photo_ids = ids_field(_l("Remove photos"), _l("Choose photos from the list."))
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


class PayoutForm(AmountMixin, FlaskForm):
    """The municipality records the payout."""

    amount = amount_field(_l("Amount paid out in euros"))
    paid_on = _date(_l("Date of payment"), _past)
    reference = line_field(
        _l("Payment reference"), _l("Fill in the reference of the payment."), limit=80
    )
    save_payout = SubmitField(_l("Save payout"))


class ReturnForm(AmountMixin, FlaskForm):
    """The municipality records the money paid back."""

    ALLOW_ZERO = True

    # Its own id: the payout form on the same page has an "amount" field too.
    amount = amount_field(
        _l("Amount returned in euros"),
        allow_zero=True,
        id="returned_amount",
        description=_l("The total paid back so far. 0 if nothing was paid back."),
    )
    save_return = SubmitField(_l("Save amount returned"))


class ReviewForm(FlaskForm):
    """Approve the final report or ask for changes."""

    decision = listed_field(
        _l("Decision"),
        _l("Choose a decision from the list."),
        choices=choices_of({"approve": _l("Approve the report"), "changes": _l("Ask for changes")}),
    )
    message = TextAreaField(
        _l("Message to the initiators"),
        filters=[strip],
        validators=[Optional(), too_long(5000)],
        description=_l("Required when you ask for changes."),
    )
    save_review = SubmitField(_l("Save decision"))

    def validate_message(self, field):
        """Require a message when asking for changes."""
        if self.decision.data == "changes" and not field.data:
            raise ValidationError(_l("Write what the initiators should change."))


class OverviewFilterForm(GetForm):
    """Filter the public overview by area and spearhead (a GET form)."""

    gebied = filter_select(_l("Area"))
    speerpunt = filter_select(_l("Spearhead"))
