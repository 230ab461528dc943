"""Forms of the round set-up, of getting to the ballot and of the ballot."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from buurtbegroting.domain.dates import NL_ZONE, today_nl
from buurtbegroting.forms import (
    GetForm,
    answer_field,
    area_field,
    int_or_none,
    line_field,
    parse_amount,
    strip,
    text_field,
)
from buurtbegroting.models import BallotType, OutcomeRule, VoterIdentification

#: Fields that cannot change once voting has started.
LOCKED_FIELDS = (
    "submission_opens_at",
    "review_opens_at",
    "voting_opens_at",
    "ballot_type",
    "min_choices",
    "max_choices",
    "knapsack_min_percent",
    "cumulative_points",
    "cumulative_max_per_idea",
    "rule",
    "tie_break",
    "tie_seed",
    "threshold_percent",
)

#: The kinds of ballot, by the value of the choice.
BALLOT_TYPE_LABELS = {
    BallotType.APPROVAL: _l("Choose ideas (with a minimum and maximum number)"),
    BallotType.KNAPSACK: _l("Choose ideas within the budget"),
    BallotType.CUMULATIVE: _l("Divide points over ideas"),
}
#: The rules that find the winners, by the value of the choice.
RULE_LABELS = {
    OutcomeRule.GREEDY: _l("Most votes first: the ideas with the most votes that fit the budget"),
    OutcomeRule.EQUAL_SHARES: _l(
        "Equal shares: every voter gets an equal part of the budget (fairer for smaller groups)"
    ),
}
#: Who may vote, by the value of the choice.
IDENTIFICATION_LABELS = {
    VoterIdentification.CODE: _l("Holders of a voting code from a letter"),
    VoterIdentification.ACCOUNT: _l("Logged-in residents"),
    VoterIdentification.BOTH: _l("Both"),
}


def to_utc(local: datetime | None) -> datetime | None:
    """Read a time typed in Dutch time as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=NL_ZONE).astimezone(UTC)


def to_local(moment: datetime | None) -> datetime | None:
    """Show a stored UTC time in Dutch time (naive, for the form)."""
    return moment.astimezone(NL_ZONE).replace(tzinfo=None) if moment else None


def _when(label):
    return DateTimeLocalField(
        label,
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Fill in a date and time, like 2027-03-01 09:00."))],
    )


def _count(label, minimum=0, maximum=1000, required=False, description=None):
    return IntegerField(
        label,
        validators=[
            InputRequired(message=_l("Fill in a whole number.")) if required else Optional(),
            NumberRange(
                min=minimum,
                max=maximum,
                message=_l("Use a number from %(min)d to %(max)d.", min=minimum, max=maximum),
            ),
        ],
        description=description,
    )


class RoundForm(FlaskForm):
    """Everything about a round except its areas and ballot."""

    name = line_field(_l("Name"), _l("Give the round a name."), limit=120)
    description = text_field(_l("Description"), limit=5000)
    submission_opens_at = _when(_l("Ideas can be submitted from"))
    review_opens_at = _when(_l("The municipality checks ideas from"))
    voting_opens_at = _when(_l("Voting opens"))
    voting_closes_at = _when(_l("Voting closes"))
    results_at = _when(_l("Results are published on"))
    ballot_type = answer_field(
        _l("Kind of ballot"), _l("Choose a kind of ballot."), BALLOT_TYPE_LABELS
    )
    min_choices = _count(_l("Least number of ideas to choose"), 0, 100)
    max_choices = _count(
        _l("Most ideas to choose"), 1, 100, description=_l("Leave empty for no maximum.")
    )
    knapsack_min_percent = _count(_l("Spend at least this share of the budget (%)"), 0, 100)
    cumulative_points = _count(_l("Points per voter"), 1, 1000)
    cumulative_max_per_idea = _count(_l("Most points on one idea"), 1, 1000)
    rule = answer_field(
        _l("How the winners are found"), _l("Choose how the winners are found."), RULE_LABELS
    )
    tie_break = SelectField(
        _l("When two ideas have the same score"),
        choices=[
            SelectChoice("cheaper", _l("The cheaper idea first")),
            SelectChoice("lexicographic", _l("The idea with the lower number first")),
            SelectChoice("listed", _l("The idea listed first on the ballot")),
            SelectChoice("seed", _l("Draw lots with a published number")),
        ],
    )
    tie_seed = _count(
        _l("Number for drawing lots"),
        0,
        2_000_000_000,
        description=_l("Publish this number before voting, so anyone can check the draw."),
    )
    threshold_percent = _count(
        _l("An idea needs at least this share of the voters (%)"),
        0,
        100,
        description=_l("Leave empty for no threshold. Emmen uses 10%."),
    )
    rule_explanation = text_field(
        _l("Explanation of the rule for voters"),
        limit=2000,
        description=_l("Plain language. Leave empty for the standard text."),
    )
    min_age = _count(_l("Minimum age"), 0, 120, required=True)
    residence_required = BooleanField(_l("Voters must live in the area (by postcode)"))
    identification = answer_field(
        _l("Who may vote"), _l("Choose who may vote."), IDENTIFICATION_LABELS
    )
    own_area_only = BooleanField(_l("Voters vote in their own area only"))
    allow_ballot_changes = BooleanField(_l("Voters may change their ballot until voting closes"))
    allows_second_area = BooleanField(
        _l("After voting in their own area, voters may vote in one other area"),
        description=_l("Each ballot is counted in its own area. At most two ballots per voter."),
    )
    show_live_results = BooleanField(_l("Show vote counts while voting is open"))
    submit = SubmitField(_l("Save"))

    def validate_voting_closes_at(self, field):
        """Require the phases in order."""
        order = [
            self.submission_opens_at.data,
            self.review_opens_at.data,
            self.voting_opens_at.data,
            field.data,
            self.results_at.data,
        ]
        if all(order) and any(b <= a for a, b in zip(order, order[1:], strict=False)):
            raise ValidationError(
                _l(
                    "Put the dates in order: submission, review, voting opens, voting closes, results."
                )
            )

    def validate_max_choices(self, field):
        """The maximum cannot be below the minimum."""
        if (
            field.data is not None
            and self.min_choices.data is not None
            and field.data < self.min_choices.data
        ):
            raise ValidationError(_l("The most cannot be less than the least."))

    def validate(self, extra_validators=None):
        """Check what depends on other fields: points for cumulative ballots, the number for lots."""
        valid = super().validate(extra_validators)
        if self.ballot_type.data == "cumulative" and not self.cumulative_points.data:
            self.cumulative_points.errors.append(_l("Fill in the points per voter."))
            valid = False
        if self.allows_second_area.data and not self.own_area_only.data:
            self.allows_second_area.errors.append(
                _l("One other area only works when voters vote in their own area.")
            )
            valid = False
        if self.allows_second_area.data and self.allow_ballot_changes.data:
            self.allows_second_area.errors.append(
                _l("One other area cannot be combined with changing ballots.")
            )
            valid = False
        if self.tie_break.data == "seed" and self.tie_seed.data is None:
            self.tie_seed.errors.append(_l("Fill in the number for drawing lots."))
            valid = False
        return valid

    def validate_rule(self, field):
        """Equal shares works with approval and knapsack ballots here; a threshold only with most votes first."""
        if field.data == "equal_shares" and self.threshold_percent.data:
            raise ValidationError(_l("A threshold can only be used with 'most votes first'."))


class AreaBudgetForm(FlaskForm):
    """Add an area to the round with its budget."""

    area_id = area_field()
    budget = StringField(
        _l("Budget in euros"),
        filters=[strip],
        validators=[DataRequired(message=_l("Fill in the budget."))],
    )
    eligible_count = _count(
        _l("Number of residents who may vote"),
        0,
        10_000_000,
        description=_l("For the turnout. Leave empty if unknown."),
    )
    submit = SubmitField(_l("Add area"))

    def validate_budget(self, field):
        """Read the amount."""
        parse_amount(field.data, maximum=100_000_000_000)


class CloseForm(FlaskForm):
    """Close the round, with a reason when voting has not ended."""

    reason = text_field(_l("Reason for closing early"), limit=2000)
    confirm = BooleanField(
        _l("I understand that closing counts the votes once and cannot be undone.")
    )
    submit = SubmitField(_l("Close the round and publish the results"))

    def validate_confirm(self, field):
        """Require the confirmation tick."""
        if not field.data:
            raise ValidationError(_l("Tick the box to confirm."))


class CodeForm(FlaskForm):
    """Type the voting code from the letter."""

    code = StringField(
        _l("Your voting code"),
        validators=[
            DataRequired(message=_l("Type the code from your letter.")),
            Length(
                max=40, message=_l("A voting code has 13 letters and digits, like ABCD-EFGH-JKMNP.")
            ),
        ],
        description=_l("13 letters and digits. Capitals, spaces and dashes do not matter."),
    )
    submit = SubmitField(_l("Go to the ballot"))


class SecondAreaForm(FlaskForm):
    """Choose the one other area of the round to vote in."""

    round_area_id = RadioField(
        _l("Area"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose an area."))],
    )
    submit = SubmitField(_l("Vote in this area"))

    def validate_round_area_id(self, field):
        """Accept only the areas offered."""
        if field.data not in {choice[0] for choice in field.choices}:
            raise ValidationError(_l("Choose one of the other areas of this round."))


class BirthDateForm(FlaskForm):
    """Ask a resident's date of birth once, to check the minimum age."""

    birth_date = DateField(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Fill in your date of birth, like 1980-05-01."))],
    )
    submit = SubmitField(_l("Continue"))

    def validate_birth_date(self, field):
        """Refuse impossible dates."""
        from wtforms.validators import ValidationError

        if field.data > today_nl() or field.data.year < 1900:
            raise ValidationError(_l("Fill in your real date of birth."))


class BallotForm(FlaskForm):
    """Only carries the CSRF token; the choices are read from the request."""


class ReceiptForm(GetForm):
    """Type the receipt number from the thank-you page (a GET search, so no CSRF token)."""

    number = line_field(
        _l("Your receipt number"),
        _l("Type the receipt number you got after voting."),
        limit=40,
        one_line=False,
        description=_l("12 letters and digits, like K7QF-3MZD-X2WA."),
    )
    submit = SubmitField(_l("Check"))

    def validate_number(self, field):
        """Refuse text that cannot be a receipt number."""
        from buurtbegroting.domain.receipts import InvalidReceipt, normalize_receipt

        try:
            field.data = normalize_receipt(field.data)
        except InvalidReceipt:
            raise ValidationError(_l("A receipt number has 12 letters and digits.")) from None


class KioskForm(FlaskForm):
    """Mark this device as a voting kiosk for a number of hours."""

    #: Shown in the audit log and on the kiosk page, e.g. "Library Ruwaard".
    label = line_field(_l("Name of this device"), _l("Give this device a name."), limit=60)
    hours = IntegerField(
        _l("Kiosk for how many hours"),
        default=10,
        validators=[
            InputRequired(message=_l("Fill in a number of hours.")),
            NumberRange(min=1, max=336, message=_l("Use a number from 1 to 336 hours.")),
        ],
    )
    submit = SubmitField(_l("Make this device a kiosk"))
