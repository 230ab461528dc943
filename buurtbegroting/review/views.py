"""The municipality's review of ideas: a queue, an assessment, a decision."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.domain.money import parse_cents
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.ideas import services as idea_services
from buurtbegroting.ideas.labels import WARNING_LABELS
from buurtbegroting.models import Idea, IdeaStatus
from buurtbegroting.permissions import can_review_idea, require
from buurtbegroting.rendering import commit_unless_refused, render_form
from buurtbegroting.review import bp, services
from buurtbegroting.review.forms import AssessmentForm, DecisionForm
from buurtbegroting.templating import add_label_globals


@bp.route("/")
def queue():
    """List the ideas waiting for a review in the user's areas."""
    items = services.queue(current_user)
    return render_template(
        "review/queue.html",
        ready=[i for i in items if not i.waiting_for_supports],
        waiting=[i for i in items if i.waiting_for_supports],
    )


def _forms(idea: Idea, assessment_data=None, decision_data=None):
    assessment = AssessmentForm(
        formdata=assessment_data, obj=idea if assessment_data is None else None
    )
    spearheads = idea_services.spearheads_for(idea.area)
    assessment.spearhead_ids.choices = [SelectChoice(s.id, s.title) for s in spearheads]
    if assessment_data is None:
        assessment.spearhead_ids.data = [s.id for s in idea.spearheads]
        if idea.adjusted_cost_cents is not None:
            assessment.adjusted_cost.data = (
                f"{idea.adjusted_cost_cents // 100},{idea.adjusted_cost_cents % 100:02d}"
            )
    decision = DecisionForm(formdata=decision_data)
    return assessment, decision


def _page(idea, assessment, decision, status=None):
    return render_form(
        "review/idea.html",
        status=status,
        idea=idea,
        assessment=assessment,
        decision=decision,
        start_form=ConfirmForm(formdata=None),
        supports=idea_services.support_count(idea),
        needed=idea_services.destination_rules(idea.destination).min_supports,
        warnings=services.warnings_for(idea),
    )


@bp.route("/<int:idea_id>")
def idea(idea_id):
    """Show an idea with the assessment and decision forms."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_review_idea(current_user, idea))
    assessment, decision = _forms(idea)
    return _page(idea, assessment, decision)


@bp.route("/<int:idea_id>/starten", methods=["POST"])
def start(idea_id):
    """Mark a submitted idea as being checked."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_review_idea(current_user, idea))
    if ConfirmForm().validate_on_submit() and idea.status == IdeaStatus.SUBMITTED:
        services.start_review(idea, current_user)
        db.session.commit()
        flash(_("The idea is now being checked. The author has been told."), "success")
    return redirect(url_for("review.idea", idea_id=idea.id))


@bp.route("/<int:idea_id>/beoordeling", methods=["POST"])
def assess(idea_id):
    """Save feasibility, adjusted cost and spearheads."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_review_idea(current_user, idea))
    assessment, decision = _forms(idea, assessment_data=request.form)
    decision = DecisionForm(formdata=None)
    if assessment.validate_on_submit():
        commit_unless_refused(
            lambda: services.save_assessment(
                idea,
                current_user,
                feasibility_note=assessment.feasibility_note.data,
                adjusted_cost_cents=parse_cents(assessment.adjusted_cost.data)
                if assessment.adjusted_cost.data
                else None,
                adjusted_cost_reason=assessment.adjusted_cost_reason.data,
                spearhead_ids=assessment.spearhead_ids.data or [],
            ),
            idea_services.IdeaRefused,
            _("The assessment has been saved."),
        )
        return redirect(url_for("review.idea", idea_id=idea.id))
    return _page(idea, assessment, decision, 422)


@bp.route("/<int:idea_id>/besluit", methods=["POST"])
def decide(idea_id):
    """Accept, ask for changes, or reject; the author gets an e-mail."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_review_idea(current_user, idea))
    assessment, _unused = _forms(idea)
    decision = DecisionForm()
    if decision.validate_on_submit():
        try:
            services.decide(
                idea,
                current_user,
                decision.decision.data,
                decision.message.data or "",
                idea_services.support_count(idea),
            )
        except idea_services.IdeaRefused as refused:
            db.session.rollback()
            decision.decision.errors = [str(m) for m in refused.messages]
            return _page(idea, assessment, decision, 422)
        db.session.commit()
        flash(_("The decision has been saved. The author has been told by e-mail."), "success")
        return redirect(url_for("review.queue"))
    return _page(idea, assessment, decision, 422)


# The name of a cost warning.
add_label_globals(bp, warning_label=(WARNING_LABELS, None))
