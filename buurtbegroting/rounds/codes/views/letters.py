"""Making voting codes and letters, counts per area, re-issuing a lost code."""

from __future__ import annotations

from flask import (
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from buurtbegroting import jobs, printing
from buurtbegroting.extensions import db
from buurtbegroting.jobs.kinds.codes import params_for
from buurtbegroting.permissions import (
    can_manage_codes,
    require,
)
from buurtbegroting.qr import qr_path_svg
from buurtbegroting.rounds import codes
from buurtbegroting.rounds.codes import bp
from buurtbegroting.rounds.codes.forms import (
    GenerateForm,
    ReissueForm,
)
from buurtbegroting.rounds.codes.views.common import (
    _area_form,
    _refused,
    _round,
    _round_area,
    _round_page,
)
from buurtbegroting.rounds.services import is_locked


def _codes_page(round_, form, status=200):
    return _round_page(
        "round_codes/codes.html",
        round_,
        status,
        form=form,
        counts=codes.code_counts(round_),
        maximum=codes.MAX_CODES,
    )


@bp.route("/<int:round_id>/codes", methods=["GET", "POST"])
def codes_overview(round_id):
    """Show the codes per area; start the job that makes new ones (a ZIP with CSV and letters)."""
    round_ = _round(round_id)
    require(can_manage_codes(current_user, round_))
    form = _area_form(GenerateForm, round_)
    if request.method == "GET":
        form.output.data = "pdf"
        return _codes_page(round_, form)
    if not form.validate_on_submit():
        return _codes_page(round_, form, 422)
    round_area = _round_area(round_, form.round_area_id.data)
    output, back_lang = form.output.data, form.back_lang.data or None
    try:
        if output == "pdf":
            # The letterhead and words are checked now, so the job does not fail on them.
            printing.letter_settings(round_area, current_app.config, back_lang=back_lang)
    except printing.PrintRefused as refused:
        form.output.errors.append(refused.message)
        return _codes_page(round_, form, 422)
    try:
        count = codes.check_count(form.count.data, codes.MAX_CODES)
        if is_locked(round_):
            raise codes.CodesRefused(
                [_("Voting has started in this round. Re-issue lost codes one at a time.")]
            )
    except codes.CodesRefused as refused:
        _refused(form, refused, "count")
        return _codes_page(round_, form, 422)
    # A job makes them (jobs/kinds/codes.py); its page shows the progress and the ZIP.
    params = {**params_for(round_area, count), "output": output, "back_lang": back_lang}
    job = jobs.start_job("voting_codes", params, current_user)
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@bp.route("/<int:round_id>/codes/opnieuw", methods=["GET", "POST"])
def reissue(round_id):
    """Replace a lost code: the old one becomes void, the new one is shown once with its letter."""
    round_ = _round(round_id)
    require(can_manage_codes(current_user, round_))
    form = _area_form(ReissueForm, round_)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            round_area = _round_area(round_, form.round_area_id.data)
            try:
                new_code = codes.reissue_code(
                    round_area, form.code.data, current_user, form.reason.data
                )
            except codes.CodesRefused as refused:
                db.session.rollback()
                _refused(form, refused)
            else:
                db.session.commit()
                return _reissued_page(round_, round_area, new_code)
    return render_template("round_codes/reissue.html", round_=round_, form=form), status


def _reissued_page(round_, round_area, new_code):
    """Render the new code's letter as a printable page, with a note that it is shown once."""
    url = codes.vote_url_builder()
    label = _("QR code with the link to vote with this code")
    letter = codes.Letter(code=new_code, url=url(new_code), qr=qr_path_svg(url(new_code), label))
    return render_template(
        "round_codes/reissued.html",
        round_=round_,
        round_area=round_area,
        letters=[letter],
        css=None,
        standalone=False,
    )
