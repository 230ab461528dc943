"""The owner's page of an initiative that collects cheques, and co-organisers confirming."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required

from buurtbegroting.auth.views import account_key
from buurtbegroting.cheques import bp, rules, services
from buurtbegroting.cheques.forms import (
    ConfirmOrganiserForm,
    InviteForm,
    SetupForm,
)
from buurtbegroting.domain.money import format_cents_plain
from buurtbegroting.extensions import db, limiter
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import Idea
from buurtbegroting.permissions import (
    can_organise_cheques,
    is_idea_owner,
    require,
)
from buurtbegroting.rendering import form_status, idea_or_404


def _owned_idea(idea_id: int) -> Idea:
    idea = idea_or_404(idea_id)
    require(is_idea_owner(current_user, idea))
    return idea


def _setup_page(idea, setup=None, invite=None, status=200):
    if setup is None:
        setup = SetupForm(formdata=None)
        if idea.target_cents:
            setup.target.data = format_cents_plain(idea.target_cents)
        elif idea.cost_cents:
            setup.target.data = format_cents_plain(idea.cost_cents)
        setup.target_date.data = idea.target_date
    own = services.author_row(idea)
    addresses = services.organiser_addresses(idea)
    return render_template(
        "cheques/setup.html",
        idea=idea,
        setup=setup,
        invite=invite or InviteForm(formdata=None),
        remove_form=ConfirmForm(formdata=None),
        organisers=services.organisers(idea),
        own_address=own is not None and own.address_hash is not None,
        address_count=len({a for a in addresses if a}),
        needed=rules.MIN_ORGANISERS,
        problems=services.acceptance_problems(idea),
        can_organise=can_organise_cheques(current_user, idea),
        max_target=services.max_target_cents(),
    ), status


@bp.route("/ideeen/<int:idea_id>/cheques", methods=["GET", "POST"])
@login_required
def setup(idea_id):
    """Collect with cheques: the target amount, the target date and the author's address."""
    idea = _owned_idea(idea_id)
    if request.method == "GET":
        return _setup_page(idea)
    require(can_organise_cheques(current_user, idea))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            services.save_setup(
                idea,
                current_user,
                target_cents=form.target_cents(),
                target_date=form.target_date.data,
                postcode=form.postcode.data,
                house_number=form.house_number.data,
            )
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.target.errors = list(form.target.errors)
            form.form_errors = [str(m) for m in refused.messages]
            return _setup_page(idea, setup=form, status=422)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("cheques.setup", idea_id=idea.id))
    return _setup_page(idea, setup=form, status=422)


def _invite_limit():
    return current_app.config["RATELIMIT_INVITES"]


@bp.route("/ideeen/<int:idea_id>/cheques/uitnodigen", methods=["POST"])
@login_required
# Per account, and only invitations that went out count (a refused one sends no mail).
@limiter.limit(_invite_limit, key_func=account_key, deduct_when=lambda r: r.status_code == 302)
def invite(idea_id):
    """Invite a co-organiser by e-mail."""
    idea = _owned_idea(idea_id)
    require(can_organise_cheques(current_user, idea))
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(idea, current_user, name=form.name.data, email=form.email.data)
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.email.errors = [str(m) for m in refused.messages]
            return _setup_page(idea, invite=form, status=422)
        db.session.commit()
        flash(
            _("We have sent %(name)s an e-mail with a link to confirm.", name=form.name.data),
            "success",
        )
        return redirect(url_for("cheques.setup", idea_id=idea.id))
    return _setup_page(idea, invite=form, status=422)


@bp.route(
    "/ideeen/<int:idea_id>/cheques/organisatoren/<int:organiser_id>/verwijderen", methods=["POST"]
)
@login_required
def remove_organiser(idea_id, organiser_id):
    """Remove an invited co-organiser."""
    idea = _owned_idea(idea_id)
    require(can_organise_cheques(current_user, idea))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_organiser(idea, organiser_id)
    except services.ChequeRefused:
        abort(404)
    db.session.commit()
    flash(_("The co-organiser has been removed."), "success")
    return redirect(url_for("cheques.setup", idea_id=idea.id))


@bp.route("/cheques/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token):
    """A co-organiser confirms with postcode and house number (no account needed)."""
    row = services.organiser_for_token(token)
    if row is None:
        return render_template("cheques/confirm_unknown.html"), 404
    form = ConfirmOrganiserForm()
    if form.validate_on_submit():
        try:
            distinct = services.confirm(
                row, postcode=form.postcode.data, house_number=form.house_number.data
            )
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.postcode.errors = [str(m) for m in refused.messages]
        else:
            db.session.commit()
            return render_template("cheques/confirmed.html", row=row, distinct=distinct)
    return render_template("cheques/confirm.html", row=row, form=form), form_status(form)


#: Administration pages that coordinators may open too.
COORDINATOR_ENDPOINTS = {"cheques.admin.initiatives", "cheques.admin.extend"}
