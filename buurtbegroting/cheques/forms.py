"""Forms of the cheque pages: redeeming, the initiative's set-up, co-organisers, campaigns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from buurtbegroting.cheques import rules
from buurtbegroting.domain.money import parse_cents
from buurtbegroting.forms import (
    amount_field,
    answer_field,
    date_field,
    filter_select,
    ids_field,
    int_or_none,
    line_field,
    not_before,
    single_line,
    strip,
    too_long,
)

#: Where a campaign's cheques can be given, by the value of the choice.
SCOPE_LABELS = {
    "all": _l("To initiatives in the whole municipality"),
    "areas": _l("Only to initiatives in the areas chosen below"),
}
#: How a campaign's cheques are counted, by the value of the choice.
COUNT_MODE_LABELS = {
    "number": _l("A number of cheques"),
    "addresses": _l("One per address, from a file of addresses per neighbourhood"),
}


class RedeemForm(FlaskForm):
    """Codes, one per field or pasted as a list, and the initiative to give them to."""

    codes = FieldList(
        StringField(_l("Cheque code"), filters=[strip], validators=[too_long(40)]),
        min_entries=1,
        max_entries=rules.MAX_CODES,
    )
    paste = TextAreaField(
        _l("Paste a list of codes"),
        validators=[Optional(), too_long(rules.MAX_CODES * 20)],
        description=_l("One code per line. At most 500 codes at once."),
    )
    #: Codes refused earlier, kept only to put them back in the fields.
    refused = FieldList(HiddenField(), max_entries=rules.MAX_CODES)
    idea_id = HiddenField(filters=[int_or_none])
    q = line_field(_l("Search by name"), limit=100, one_line=False)
    area_id = filter_select(_l("Area"))

    def typed_codes(self) -> list[str]:
        """Return the codes from the fields and the pasted list, in order, empty ones left out."""
        typed = [f.data for f in self.codes if f.data]
        typed += rules.split_pasted(self.paste.data or "")
        return typed


class SetupForm(FlaskForm):
    """The initiative's target amount and date, and the author's address."""

    target = amount_field(
        _l("Target amount in euros"),
        description=_l("How much do you want to collect? Usually the total of your costs."),
    )
    target_date = date_field(_l("Target date"), description=_l("The last day to collect cheques."))
    postcode = line_field(
        _l("Your postcode"),
        limit=10,
        one_line=False,
        description=_l(
            "We check that the organisers live at different addresses. We keep no address, only a code made from it."
        ),
    )
    house_number = line_field(_l("Your house number"), limit=12, one_line=False)
    submit = SubmitField(_l("Save"))

    def target_cents(self) -> int:
        """Return the target in cents."""
        return parse_cents(self.target.data)

    def validate_postcode(self, field):
        """Require the house number with the postcode."""
        if field.data and not self.house_number.data:
            raise ValidationError(_l("Fill in both your postcode and your house number."))

    def validate_house_number(self, field):
        """Require the postcode with the house number."""
        if field.data and not self.postcode.data:
            raise ValidationError(_l("Fill in both your postcode and your house number."))


class InviteForm(FlaskForm):
    """Invite a co-organiser by e-mail."""

    name = line_field(_l("Name"), _l("Fill in a name."), limit=80)
    email = StringField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Fill in an e-mail address.")),
            Email(message=_l("This is not an e-mail address."), check_deliverability=False),
            too_long(254),
            single_line,
        ],
    )
    invite = SubmitField(_l("Send invitation"))


class ConfirmOrganiserForm(FlaskForm):
    """A co-organiser confirms with their postcode and house number."""

    postcode = line_field(
        _l("Your postcode"), _l("Enter a postcode like 5341 AB."), limit=10, one_line=False
    )
    house_number = line_field(
        _l("Your house number"),
        _l("Enter a house number like 12 or 12A."),
        limit=12,
        one_line=False,
    )
    submit = SubmitField(_l("I organise this initiative"))


class CampaignForm(FlaskForm):
    """A new cheque campaign."""

    name = line_field(
        _l("Name"), _l("Fill in a name."), limit=120, description=_l("For example: Spring 2027.")
    )
    value = amount_field(_l("Value per cheque in euros"), default="7,50")
    starts_on = date_field(_l("First day to use the cheques"))
    ends_on = date_field(
        _l("Last day to use the cheques"),
        also=[not_before("starts_on", _l("The last day comes before the first day."))],
        description=_l("Usually six weeks after the first day."),
    )
    scope = answer_field(
        _l("Where can the cheques be given?"),
        _l("Choose where the cheques can be given."),
        SCOPE_LABELS,
        default="all",
    )
    area_ids = ids_field(_l("Areas"), _l("Choose areas from the list."))
    count_mode = answer_field(
        _l("How many cheques?"),
        _l("Choose how many cheques to make."),
        COUNT_MODE_LABELS,
        default="number",
    )
    cheque_count = line_field(_l("Number of cheques"), limit=9, one_line=False)
    counts_file = FileField(
        _l("Addresses per neighbourhood (CSV)"),
        description=_l(
            "Two columns: the CBS code of the neighbourhood (BU…) and its number of addresses. No addresses themselves."
        ),
    )
    submit = SubmitField(_l("Create campaign"))

    def value_cents(self) -> int:
        """Return the value per cheque in cents."""
        return parse_cents(self.value.data)

    def validate_area_ids(self, field):
        """Require areas for a limited scope (they are checked against the list first)."""
        if self.scope.data == "areas" and not field.data:
            raise ValidationError(_l("Choose at least one area."))

    def validate_cheque_count(self, field):
        """Require a whole number from 1 to 1,000,000 when cheques are counted directly."""
        if self.count_mode.data != "number":
            return
        if not field.data:
            raise ValidationError(_l("Give the number of cheques."))
        text = field.data.replace(".", "").replace(" ", "")
        if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
            raise ValidationError(_l("Give a number from 1 to 1,000,000."))

    def count(self) -> int | None:
        """Return the number of cheques given directly, if any."""
        text = (self.cheque_count.data or "").replace(".", "").replace(" ", "")
        return int(text) if text.isdigit() else None


class VoidForm(FlaskForm):
    """Void every unused cheque of a campaign, with a reason."""

    reason = line_field(
        _l("Reason"),
        _l("Say why the cheques are made void."),
        limit=200,
        description=_l("For example: the file with codes was lost."),
    )
    submit = SubmitField(_l("Make unused cheques void"))


class ExtendForm(FlaskForm):
    """Extend an initiative's target date, once."""

    new_date = date_field(_l("New target date"))
    submit = SubmitField(_l("Extend"))
