"""Forms of the administration, and the labels it shows for roles, levels and actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import ValidationError

from buurtbegroting.forms import (
    CHOOSE_AREA,
    choices_of,
    date_field,
    line_field,
    listed_field,
    not_after_today,
    not_before,
    required,
    text_field,
)
from buurtbegroting.models import Role

ROLE_LABELS = {
    Role.RESIDENT: _l("resident"),
    Role.REVIEWER: _l("reviewer (municipal department)"),
    Role.COORDINATOR: _l("area coordinator"),
    Role.ADMIN: _l("administrator"),
}

LEVEL_LABELS = {
    "municipality": _l("Municipality"),
    "district": _l("District or village"),
    "neighbourhood": _l("Neighbourhood"),
}

ACTION_LABELS = {
    "argument.hide": _l("Argument hidden by the moderator"),
    "argument.keep": _l("Reported argument kept"),
    "area.update": _l("Area changed"),
    "area.import": _l("Areas imported"),
    "area.boundaries": _l("Boundaries imported"),
    "postcode.import": _l("Postcodes imported"),
    "plan.create": _l("Area plan created"),
    "plan.update": _l("Area plan changed"),
    "plan.adopt": _l("Area plan adopted"),
    "plan.to_draft": _l("Area plan set back to draft"),
    "spearhead.create": _l("Spearhead added"),
    "spearhead.update": _l("Spearhead changed"),
    "spearhead.delete": _l("Spearhead deleted"),
    "spearhead.move": _l("Spearheads reordered"),
    "indicator.import": _l("Indicators imported"),
    "user.update": _l("Account changed"),
    "user.delete": _l("Account deleted"),
    "user.role": _l("Role changed"),
    "user.create_admin": _l("Administrator created"),
    "demo.load": _l("Demo data loaded"),
    "group.update": _l("Group changed"),
    "group.role": _l("Role in a group changed"),
    "group.council": _l("Group marked as council"),
    "group.not_council": _l("Group no longer a council"),
    "idea.review_started": _l("Review of an idea started"),
    "idea.assessment": _l("Idea assessed"),
    "idea.accepted": _l("Idea accepted"),
    "idea.changes_requested": _l("Changes asked for an idea"),
    "idea.rejected": _l("Idea rejected"),
    "round.create": _l("Round created"),
    "round.update": _l("Round changed"),
    "round.area_added": _l("Area added to a round"),
    "round.area_removed": _l("Area removed from a round"),
    "round.ballot_item_added": _l("Idea put on a ballot"),
    "round.ballot_item_removed": _l("Idea taken off a ballot"),
    "round.closed": _l("Round closed"),
    "follows.newsletter": _l("Newsletter sent to followers"),
    "round.codes_generated": _l("Voting codes made"),
    "round.codes_exported": _l("Voting codes exported"),
    "job.start": _l("Job started"),
    "job.restart": _l("Job started again"),
    "job.download": _l("Job result downloaded"),
    "round.code_reissued": _l("Voting code reissued"),
    "round.winner_overridden": _l("Winner not funded (override)"),
    "kiosk.started": _l("Kiosk started on a device"),
    "kiosk.stopped": _l("Kiosk stopped on a device"),
    "round.paper_ballot": _l("Paper ballot entered"),
    "round.paper_batch_saved": _l("Paper ballots saved"),
    "round.paper_batch_discarded": _l("Paper ballots discarded"),
    "cheques.campaign_created": _l("Cheque campaign created"),
    "cheques.codes_generated": _l("Cheque codes made"),
    "cheques.date_extended": _l("Target date extended"),
    "cheques.expired": _l("Cheques expired"),
    "privacy.retention": _l("Old data removed"),
    "mail.retry": _l("E-mail sent again"),
    "mail.retry_failed": _l("All failed e-mails sent again"),
    "cheques.not_reached": _l("Target not reached"),
    "cheques.target_reached": _l("Target reached"),
    "cheques.voided": _l("Cheques made void"),
    "funding.payout": _l("Payout recorded"),
    "funding.return": _l("Returned money recorded"),
    "funding.approve": _l("Final report approved"),
    "funding.changes_requested": _l("Changes asked for a final report"),
    "funding.bank_account": _l("Bank account changed"),
}


class ImportForm(FlaskForm):
    """Upload a CSV file."""

    file = FileField(_l("CSV file"))
    submit = SubmitField(_l("Import"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a CSV file."))


class AreaForm(FlaskForm):
    """Change the name and parent of an area."""

    name = line_field(_l("Name"), _l("Enter a name."), limit=120)
    parent_id = listed_field(_l("Part of"), CHOOSE_AREA, empty_ok=True)
    submit = SubmitField(_l("Save"))


class PlanForm(FlaskForm):
    """Create or change an area plan."""

    area_id = listed_field(
        _l("Area"),
        CHOOSE_AREA,
        before=[required(_l("Choose an area."))],
        empty_ok=True,
    )
    title = line_field(_l("Title"), _l("Enter a title."), limit=200)
    summary = text_field(
        _l("Summary"),
        limit=5000,
        description=_l("A few sentences about what the plan wants to achieve."),
    )
    period_start = date_field(_l("Start of the period"), _l("Enter a start date."))
    period_end = date_field(
        _l("End of the period"),
        _l("Enter an end date."),
        also=[not_before("period_start", _l("The end date cannot be before the start date."))],
    )
    submit = SubmitField(_l("Save"))


class AdoptForm(FlaskForm):
    """Record the adoption of a plan."""

    adopted_on = date_field(
        _l("Date of adoption"),
        _l("Enter the date the plan was adopted."),
        also=[not_after_today(_l("The date of adoption cannot be in the future."))],
    )
    decision_reference = line_field(
        _l("Decision reference"),
        _l("Enter the reference of the decision."),
        limit=120,
        description=_l("For example the number of the council or executive decision."),
    )
    submit = SubmitField(_l("Adopt plan"))


class DraftForm(FlaskForm):
    """Set an adopted plan back to draft, with a reason."""

    reason = text_field(
        _l("Reason"),
        _l("Explain why the plan goes back to draft."),
        limit=1000,
        description=_l("The reason is kept in the log."),
    )
    submit = SubmitField(_l("Set back to draft"))


class SpearheadForm(FlaskForm):
    """Add or change a spearhead."""

    title = line_field(_l("Title"), _l("Enter a title."), limit=200)
    description = text_field(_l("Description"), limit=5000)
    submit = SubmitField(_l("Save"))


class UserForm(FlaskForm):
    """Change the role, the coordinated areas and the status of an account."""

    role = listed_field(
        _l("Role"),
        _l("Choose a role from the list."),
        choices=choices_of(ROLE_LABELS),
        before=[required(_l("Choose a role from the list."))],
        empty_ok=True,
    )
    areas = listed_field(
        _l("Areas this coordinator manages"),
        _l("Choose areas from the list."),
        kind=SelectMultipleField,
        empty_ok=True,
        description=_l("Required for an area coordinator. A district includes its neighbourhoods."),
    )
    is_blocked = BooleanField(_l("Block this account (the person can no longer log in)"))
    submit = SubmitField(_l("Save"))
