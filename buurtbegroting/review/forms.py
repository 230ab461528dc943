"""Forms of the review: the assessment and the decision."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from buurtbegroting.forms import (
    answer_field,
    parse_amount,
    spearheads_field,
    strip,
    text_field,
)

#: The decisions on a reviewed idea, by the value of the choice.
DECISION_LABELS = {
    "accept_budget_round": _l("Accept for a vote on the neighbourhood budget"),
    "accept_cheques": _l("Accept for collecting cheques"),
    "changes": _l("Ask the author for changes"),
    "reject": _l("Reject"),
}


class AssessmentForm(FlaskForm):
    """Feasibility, an adjusted cost with its reason, and the spearheads."""

    feasibility_note = text_field(
        _l("Feasibility"),
        limit=5000,
        description=_l(
            "Is it within the rules and within what the municipality may do? Visible to the municipality only."
        ),
    )
    adjusted_cost = StringField(
        _l("Adjusted cost in euros"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=20, message=_l("Write the amount in euros, like 1250,50.")),
        ],
        description=_l("Leave empty to keep the author's total."),
    )
    adjusted_cost_reason = text_field(
        _l("Reason for the adjusted cost"), limit=2000, description=_l("Shown on the idea page.")
    )
    spearhead_ids = spearheads_field()
    save = SubmitField(_l("Save assessment"))

    def validate_adjusted_cost(self, field):
        """Read the amount, if any."""
        if field.data:
            parse_amount(field.data)

    def validate_adjusted_cost_reason(self, field):
        """Require a reason for an adjusted cost."""
        if self.adjusted_cost.data and not field.data:
            raise ValidationError(_l("Say why the cost is different."))


class DecisionForm(FlaskForm):
    """Accept (for a vote or for cheques), ask for changes, or reject."""

    decision = answer_field(_l("Decision"), _l("Choose a decision."), DECISION_LABELS)
    message = text_field(
        _l("Message"),
        limit=5000,
        description=_l(
            "Required when you ask for changes or reject. The author gets it by e-mail; a reason for rejection is shown publicly."
        ),
    )
    decide = SubmitField(_l("Save decision"))

    def validate_message(self, field):
        """Require a message for changes and rejections."""
        if self.decision.data in ("changes", "reject") and not field.data:
            raise ValidationError(_l("Write a message for the author."))
