"""The coordinators' and administrators' pages under /beheer/verantwoording (guarded once)."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from buurtbegroting.accountability import manage, queries, services
from buurtbegroting.accountability.forms import (
    PayoutForm,
    ReturnForm,
    ReviewForm,
)
from buurtbegroting.accountability.sections import Section
from buurtbegroting.accountability.views.common import _funding, _refused
from buurtbegroting.domain.money import format_cents_plain
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Funding,
)
from buurtbegroting.permissions import (
    can_manage_accountability,
    can_manage_funding,
    guard_blueprint,
    managed_area_ids,
    require,
)

guard_blueprint(manage, can_manage_accountability)


@manage.route("/")
def index():
    """The funded ideas of the coordinator's areas; late reports first and highlighted."""
    rows = queries.coordinator_rows(managed_area_ids(current_user))
    return render_template("accountability/manage_index.html", rows=rows)


def _managed(idea_id: int) -> Funding:
    funding = _funding(idea_id)
    require(can_manage_funding(current_user, funding))
    return funding


def _manage_page(funding: Funding, status: int = 200, **forms):
    forms.setdefault(
        "payout_form",
        PayoutForm(
            formdata=None,
            data={
                "amount": format_cents_plain(funding.payout_cents or funding.amount_cents),
                "paid_on": funding.payout_on,
                "reference": funding.payout_reference or "",
            },
        ),
    )
    forms.setdefault(
        "return_form",
        ReturnForm(formdata=None, data={"amount": format_cents_plain(funding.returned_cents)}),
    )
    forms.setdefault("review_form", ReviewForm(formdata=None))
    return render_template(
        "accountability/manage_show.html",
        section=Section(funding, current_user),
        funding=funding,
        idea=funding.idea,
        **forms,
    ), status


@manage.route("/<int:idea_id>")
def show(idea_id):
    """Everything about one funded idea, with the payout, return and review forms."""
    return _manage_page(_managed(idea_id))


@manage.route("/<int:idea_id>/uitbetaling", methods=["POST"])
def payout(idea_id):
    """Record the payout."""
    funding = _managed(idea_id)
    form = PayoutForm()
    if form.validate_on_submit():
        try:
            services.record_payout(
                funding,
                amount_cents=form.cents(),
                paid_on=form.paid_on.data,
                reference=form.reference.data,
                actor=current_user,
            )
        except services.AccountabilityRefused as error:
            _refused(form, error, "amount")
        else:
            db.session.commit()
            flash(_("The payout has been saved."), "success")
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, payout_form=form)


@manage.route("/<int:idea_id>/terugbetaling", methods=["POST"])
def returned(idea_id):
    """Record the money paid back."""
    funding = _managed(idea_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.record_return(funding, amount_cents=form.cents(), actor=current_user)
        except services.AccountabilityRefused as error:
            _refused(form, error, "amount")
        else:
            db.session.commit()
            flash(_("The amount returned has been saved."), "success")
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, return_form=form)


@manage.route("/<int:idea_id>/beoordeling", methods=["POST"])
def review(idea_id):
    """Approve the final report, or ask the initiators for changes."""
    funding = _managed(idea_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                services.approve_report(funding, current_user, form.message.data or "")
            else:
                services.request_changes(funding, current_user, form.message.data or "")
        except services.AccountabilityRefused as error:
            _refused(form, error, "decision")
        else:
            db.session.commit()
            flash(
                _("The report has been approved.")
                if form.decision.data == "approve"
                else _("The initiators have been asked to change the report."),
                "success",
            )
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, review_form=form)
