"""The coordinators' and administrators' pages under /beheer/verantwoording (guarded once)."""

from __future__ import annotations

from flask import (
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
from buurtbegroting.accountability.views.common import _funding, _save
from buurtbegroting.domain.money import format_cents_plain
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
    return _record(idea_id, PayoutForm(), "payout_form", _record_payout)


@manage.route("/<int:idea_id>/terugbetaling", methods=["POST"])
def returned(idea_id):
    """Record the money paid back."""
    return _record(idea_id, ReturnForm(), "return_form", _record_return)


@manage.route("/<int:idea_id>/beoordeling", methods=["POST"])
def review(idea_id):
    """Approve the final report, or ask the initiators for changes."""
    return _record(idea_id, ReviewForm(), "review_form", _record_review, field="decision")


def _record(idea_id: int, form, form_name: str, save, field: str = "amount"):
    """Save one form of the page with ``save(funding, form)``, which returns what to say."""
    funding = _managed(idea_id)
    return _save(
        form,
        lambda: save(funding, form),
        field=field,
        back=lambda: redirect(url_for("accountability.manage.show", idea_id=idea_id)),
        page=lambda: _manage_page(funding, 422, **{form_name: form}),
    )


def _record_payout(funding: Funding, form: PayoutForm) -> str:
    services.record_payout(
        funding,
        amount_cents=form.cents(),
        paid_on=form.paid_on.data,
        reference=form.reference.data,
        actor=current_user,
    )
    return _("The payout has been saved.")


def _record_return(funding: Funding, form: ReturnForm) -> str:
    services.record_return(funding, amount_cents=form.cents(), actor=current_user)
    return _("The amount returned has been saved.")


def _record_review(funding: Funding, form: ReviewForm) -> str:
    if form.decision.data == "approve":
        services.approve_report(funding, current_user, form.message.data or "")
        return _("The report has been approved.")
    services.request_changes(funding, current_user, form.message.data or "")
    return _("The initiators have been asked to change the report.")
