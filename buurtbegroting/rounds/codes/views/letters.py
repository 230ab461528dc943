"""Making voting codes and letters, counts per area, re-issuing a lost code."""

from __future__ import annotations

import io

from flask import (
    current_app,
    render_template,
    request,
    send_file,
)
from flask_babel import _
from flask_login import current_user

from buurtbegroting import printing
from buurtbegroting.extensions import db
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
    area_choices,
)
from buurtbegroting.rounds.codes.views.common import _refused, _round, _round_area
from buurtbegroting.rounds.services import phase


def _codes_page(round_, form, status=200):
    return render_template(
        "round_codes/codes.html",
        round_=round_,
        form=form,
        counts=codes.code_counts(round_),
        maximum=codes.MAX_CODES_WEB,
        phase=phase(round_),
    ), status


@bp.route("/<int:round_id>/codes", methods=["GET", "POST"])
def codes_overview(round_id):
    """Show the codes per area; make new ones as a ZIP with the CSV and the letters (PDF or HTML)."""
    round_ = _round(round_id)
    require(can_manage_codes(current_user, round_))
    form = GenerateForm(formdata=request.form if request.method == "POST" else None)
    form.round_area_id.choices = area_choices(round_)
    if request.method == "GET":
        form.output.data = "pdf"
        return _codes_page(round_, form)
    if not form.validate_on_submit():
        return _codes_page(round_, form, 422)
    round_area = _round_area(round_, form.round_area_id.data)
    try:
        # The letterhead and words are checked before any code is made.
        settings = (
            printing.letter_settings(
                round_area, current_app.config, back_lang=form.back_lang.data or None
            )
            if form.output.data == "pdf"
            else None
        )
        made = codes.generate_codes(
            round_area, form.count.data, actor=current_user, maximum=codes.MAX_CODES_WEB
        )
        if settings is not None:
            body, files = _pdf_letters(settings, made)
        else:
            body = io.BytesIO(codes.export_zip(round_area, made))
            files = ["codes.csv"] + [name for name, _part in codes.letter_files(made)]
        codes.record_export(round_area, len(made), files, current_user)
    except codes.CodesRefused as refused:
        db.session.rollback()
        _refused(form, refused, "count")
        return _codes_page(round_, form, 422)
    except printing.PrintRefused as refused:
        db.session.rollback()
        form.output.errors.append(refused.message)
        return _codes_page(round_, form, 422)
    try:
        db.session.commit()
    except BaseException:
        body.close()
        raise
    name = f"stemcodes-{round_area.area.code}-{len(made)}.zip"
    response = send_file(body, mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf_letters(settings: printing.LetterSettings, made: list[str]):
    """Write the letters as PDFs in parts plus the CSV; return the open ZIP and its file names."""
    handle, result = printing.write_temporary(
        lambda path: printing.write_letters_zip(
            made, path, settings=settings, part_size=current_app.config["PRINT_PART_SIZE"]
        )
    )
    return handle, result.files


@bp.route("/<int:round_id>/codes/opnieuw", methods=["GET", "POST"])
def reissue(round_id):
    """Replace a lost code: the old one becomes void, the new one is shown once with its letter."""
    round_ = _round(round_id)
    require(can_manage_codes(current_user, round_))
    form = ReissueForm(formdata=request.form if request.method == "POST" else None)
    form.round_area_id.choices = area_choices(round_)
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
