"""Typing in paper ballots: single entry, or double entry compared."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import PaperEntry, RoundArea
from buurtbegroting.permissions import (
    can_enter_paper_ballots,
    require,
)
from buurtbegroting.rounds import codes
from buurtbegroting.rounds.codes import bp
from buurtbegroting.rounds.codes.forms import (
    BatchForm,
    area_choices,
    paper_ballot_form,
    validate_items,
)
from buurtbegroting.rounds.codes.views.common import _refused, _round, _round_area, _round_page
from buurtbegroting.rounds.services import phase


def _batch_form(round_, formdata=None):
    form = BatchForm(formdata=formdata)
    form.round_area_id.choices = area_choices(round_)
    return form


def _paper_page(round_, batch_form, status=200):
    return _round_page(
        "round_codes/paper.html",
        round_,
        status,
        batch_form=batch_form,
        batches=codes.batches(round_),
        paper_open=phase(round_) in codes.PAPER_PHASES,
    )


@bp.route("/<int:round_id>/papier")
def paper(round_id):
    """Choose an area for single entry, or start or continue a batch in double-entry mode."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    return _paper_page(round_, _batch_form(round_))


@bp.route("/<int:round_id>/papier/reeks", methods=["POST"])
def start_batch(round_id):
    """Check a new batch name and send the first typist to the first entry."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    form = _batch_form(round_, request.form)
    if not form.validate_on_submit():
        return _paper_page(round_, form, 422)
    try:
        codes.check_paper_phase(round_)
        name = codes.check_batch_name(round_, form.batch.data)
    except codes.CodesRefused as refused:
        _refused(form, refused)
        return _paper_page(round_, form, 422)
    return redirect(
        url_for(
            "round_codes.batch_entry",
            round_id=round_.id,
            round_area_id=form.round_area_id.data,
            batch=name,
            entry=1,
        )
    )


def _single_page(round_, round_area, form, status=200):
    return render_template(
        "round_codes/paper_single.html",
        round_=round_,
        round_area=round_area,
        form=form,
        paper_open=phase(round_) in codes.PAPER_PHASES,
    ), status


@bp.route("/<int:round_id>/papier/<int:round_area_id>", methods=["GET", "POST"])
def paper_single(round_id, round_area_id):
    """Type one paper ballot and count it at once."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    if request.method == "GET":
        return _single_page(round_, round_area, paper_ballot_form(round_area, data={}))
    form = paper_ballot_form(round_area, request.form)
    if not (form.validate_on_submit() & validate_items(form)):
        return _single_page(round_, round_area, form, 422)
    try:
        codes.enter_paper_ballot(round_area, form.choices(), form.code.data, current_user)
    except codes.CodesRefused as refused:
        db.session.rollback()
        _refused(form, refused)
        return _single_page(round_, round_area, form, 422)
    db.session.commit()
    flash(_("The paper ballot has been counted. Type the next one."), "success")
    return redirect(
        url_for("round_codes.paper_single", round_id=round_.id, round_area_id=round_area.id)
    )


def _entry_choices(round_area, row: PaperEntry) -> dict:
    """Return form data that shows a typed ballot again."""
    choices = {int(k): v for k, v in row.choices.items()}
    if round_area.round.ballot_type.value == "cumulative":
        return {f"points_{item_id}": points for item_id, points in choices.items()}
    return {"items": list(choices)}


def _batch_page(template: str, round_area: RoundArea, batch: str, status: int = 200, **context):
    """Render a page about one batch of paper ballots of an area."""
    return render_template(
        template, round_=round_area.round, round_area=round_area, batch=batch, **context
    ), status


def _titles(round_area: RoundArea) -> dict[str, str]:
    """Return the idea titles of the area's ballot by item id (as the typed ballots name them)."""
    return {str(item.id): item.idea.title for item in round_area.items}


def _entry_page(round_area, batch, entry, form, refusal=None, status=200):
    return _batch_page(
        "round_codes/paper_entry.html",
        round_area,
        batch,
        status,
        entry=entry,
        form=form,
        rows=codes.batch_entries(round_area, batch)[entry],
        titles=_titles(round_area),
        refusal=refusal,
        delete_form=ConfirmForm(formdata=None),
    )


@bp.route(
    "/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>/<int:entry>",
    methods=["GET", "POST"],
)
def batch_entry(round_id, round_area_id, batch, entry):
    """Type the ballots of a batch, one by one, as the first or the second person."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    if entry not in (1, 2):
        abort(404)
    try:
        codes.check_typist(round_area, batch, entry, current_user)
    except codes.CodesRefused as refused:
        status = 422 if request.method == "POST" else 200
        return _entry_page(round_area, batch, entry, None, refused.messages[0], status)
    if request.method == "GET":
        return _entry_page(round_area, batch, entry, paper_ballot_form(round_area, data={}))
    form = paper_ballot_form(round_area, request.form)
    if not (form.validate_on_submit() & validate_items(form)):
        return _entry_page(round_area, batch, entry, form, status=422)
    try:
        row = codes.add_paper_entry(
            round_area, batch, entry, form.choices(), form.code.data, current_user
        )
    except codes.CodesRefused as refused:
        db.session.rollback()
        _refused(form, refused)
        return _entry_page(round_area, batch, entry, form, status=422)
    db.session.commit()
    flash(
        _("Ballot %(num)d of this entry has been kept. Type the next one.", num=row.position),
        "success",
    )
    return redirect(
        url_for(
            "round_codes.batch_entry",
            round_id=round_.id,
            round_area_id=round_area.id,
            batch=batch,
            entry=entry,
        )
    )


def _own_row(round_area, batch, entry, position) -> PaperEntry:
    row = db.session.scalar(
        select(PaperEntry).where(
            PaperEntry.round_area_id == round_area.id,
            PaperEntry.batch == batch,
            PaperEntry.entry == entry,
            PaperEntry.position == position,
        )
    )
    if row is None:
        abort(404)
    return row


@bp.route(
    "/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>/<int:entry>/<int:position>",
    methods=["GET", "POST"],
)
def batch_correct(round_id, round_area_id, batch, entry, position):
    """Correct one typed ballot of one's own entry."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    row = _own_row(round_area, batch, entry, position)
    if request.method == "GET":
        form = paper_ballot_form(round_area, data=_entry_choices(round_area, row))
        status = 200
    else:
        form = paper_ballot_form(round_area, request.form)
        status = 422
        if form.validate_on_submit() & validate_items(form):
            try:
                codes.change_paper_entry(row, form.choices(), form.code.data, current_user)
            except codes.CodesRefused as refused:
                db.session.rollback()
                _refused(form, refused)
            else:
                db.session.commit()
                flash(_("The ballot has been corrected."), "success")
                return _to_batch(round_area, batch)
    return _batch_page(
        "round_codes/paper_correct.html",
        round_area,
        batch,
        status,
        row=row,
        form=form,
        own=row.entered_by_id == current_user.id,
    )


@bp.route(
    "/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>/<int:entry>/<int:position>/weg",
    methods=["POST"],
)
def batch_remove(round_id, round_area_id, batch, entry, position):
    """Remove one typed ballot from one's own entry (later ballots move up)."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    row = _own_row(round_area, batch, entry, position)
    if ConfirmForm().validate_on_submit():
        try:
            codes.remove_paper_entry(row, current_user)
        except codes.CodesRefused as refused:
            db.session.rollback()
            flash(str(refused.messages[0]), "error")
        else:
            db.session.commit()
            flash(_("The ballot has been removed from this entry."), "success")
    return _to_batch(round_area, batch)


def _compare_page(round_area, batch, refusal=None, status=200):
    rows = codes.compare_batch(round_area, batch)
    if not rows and refusal is None:
        abort(404)
    return _batch_page(
        "round_codes/paper_compare.html",
        round_area,
        batch,
        status,
        rows=rows,
        differences=sum(1 for r in rows if not r.same),
        titles=_titles(round_area),
        typists={
            1: codes.typist_of(round_area, batch, 1),
            2: codes.typist_of(round_area, batch, 2),
        },
        form=ConfirmForm(formdata=None),
        refusal=refusal,
    )


@bp.route("/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>")
def batch_compare(round_id, round_area_id, batch):
    """Show both entries of a batch side by side, with the differences per position."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    return _compare_page(round_area, batch)


@bp.route("/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>/opslaan", methods=["POST"])
def batch_save(round_id, round_area_id, batch):
    """Count a batch whose two entries agree, all ballots in one transaction."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    if not ConfirmForm().validate_on_submit():
        return _compare_page(round_area, batch, _("This form has expired. Send it again."), 422)
    try:
        saved = codes.save_batch(round_area, batch, current_user)
    except codes.CodesRefused as refused:
        db.session.rollback()
        return _compare_page(round_area, batch, str(refused.messages[0]), 422)
    db.session.commit()
    flash(_("Batch %(name)s has been counted: %(num)d ballots.", name=batch, num=saved), "success")
    return redirect(url_for("round_codes.paper", round_id=round_.id))


@bp.route("/<int:round_id>/papier/<int:round_area_id>/reeks/<batch>/weggooien", methods=["POST"])
def batch_discard(round_id, round_area_id, batch):
    """Throw away both entries of a batch without counting them."""
    round_ = _round(round_id)
    require(can_enter_paper_ballots(current_user, round_))
    round_area = _round_area(round_, round_area_id)
    if ConfirmForm().validate_on_submit() and codes.discard_batch(round_area, batch, current_user):
        db.session.commit()
        flash(_("Batch %(name)s has been thrown away. Nothing was counted.", name=batch), "success")
    return redirect(url_for("round_codes.paper", round_id=round_.id))


def _to_batch(round_area: RoundArea, batch: str):
    """Go back to the comparison of the two entries of a batch."""
    return redirect(
        url_for(
            "round_codes.batch_compare",
            round_id=round_area.round_id,
            round_area_id=round_area.id,
            batch=batch,
        )
    )
