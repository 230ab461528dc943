"""Ideas: submit in steps, edit, browse and search, support, share, print a poster."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms import SelectChoice

from buurtbegroting.accountability.sections import idea_section
from buurtbegroting.arguments.views import idea_section as argument_section
from buurtbegroting.cheques.services import progress as cheque_progress
from buurtbegroting.extensions import db
from buurtbegroting.follows.services import is_following
from buurtbegroting.forms import ConfirmForm, area_choices
from buurtbegroting.groups.services import advice_groups
from buurtbegroting.ideas import bp, services
from buurtbegroting.ideas.forms import (
    BasicsForm,
    CostsForm,
    PhotosForm,
    SearchForm,
    ThemeForm,
)
from buurtbegroting.ideas.labels import DESTINATION_LABELS, STATUS_LABELS
from buurtbegroting.maps import services as maps
from buurtbegroting.maps.forms import checked_spot
from buurtbegroting.models import (
    Area,
    Destination,
    FollowTarget,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    ThematicGroup,
)
from buurtbegroting.pagination import page_number
from buurtbegroting.permissions import (
    can_create_idea,
    can_edit_idea,
    can_support_idea,
    can_withdraw_idea,
    require,
)
from buurtbegroting.photos import commit as commit_files
from buurtbegroting.photos import read_photos, thumb_name
from buurtbegroting.qr import qr_svg
from buurtbegroting.rendering import commit_unless_refused, idea_or_404, render_form
from buurtbegroting.templating import add_label_globals
from buurtbegroting.uploads import allows_uploads
from buurtbegroting.urls import external_url

STEPS = [
    (1, _l("Your idea")),
    (2, _l("Theme")),
    (3, _l("Costs")),
    (4, _l("Photos and people")),
    (5, _l("Check and send")),
]


def _area_choices(form: BasicsForm) -> None:
    form.area_id.choices = area_choices(services.area_choices(), key=int)


def _group_choices(form: BasicsForm, idea: Idea | None = None) -> None:
    groups = services.coordinated_groups(current_user)
    if idea is not None and idea.group is not None and idea.group not in groups:
        groups.append(idea.group)
    form.group_id.choices = [SelectChoice(0, _("Only me"))] + [
        SelectChoice(g.id, g.name) for g in groups
    ]


def _basics_args(form: BasicsForm) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "description": form.description.data or "",
        "area": db.session.get(Area, form.area_id.data),
        "group": db.session.get(ThematicGroup, form.group_id.data) if form.group_id.data else None,
        "second": form.second(),
    }


@bp.route("/ideeen")
def index():
    """Browse and search the ideas: by area, spearhead, status and text; newest or most supported first."""
    form = SearchForm(request.args)
    form.gebied.choices = [SelectChoice(0, _("All areas"))] + [
        SelectChoice(a.id, a.name if a.level == "district" else f"— {a.name}")
        for a in services.area_choices()
    ]
    spearheads = services.filter_spearheads()
    form.speerpunt.choices = [SelectChoice(0, _("All spearheads"))] + [
        SelectChoice(s.id, f"{s.title} ({s.plan.area.name})") for s in spearheads
    ]
    form.status.choices = [SelectChoice("", _("All statuses"))] + [
        SelectChoice(s.value, str(STATUS_LABELS[s])) for s in services.PUBLIC_STATUSES
    ]
    valid = form.validate()
    result = services.search(
        q=form.q.data if valid else None,
        area_id=form.gebied.data if valid and form.gebied.data else None,
        spearhead_id=form.speerpunt.data if valid and form.speerpunt.data else None,
        status=form.status.data if valid else None,
        sort=form.sort.data or "new",
        page=page_number(),
        per_page=current_app.config["IDEAS_PER_PAGE"],
    )
    area_id = form.gebied.data if valid and form.gebied.data else None
    return render_form(
        "ideas/index.html", form=form, result=result, map=maps.ideas_map(area_id, result.items)
    )


@bp.route("/ideeen/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Step 1 of a new idea: title, summary, description, area; saved as a draft."""
    require(can_create_idea(current_user))
    form = BasicsForm()
    _area_choices(form)
    _group_choices(form)
    if request.method == "GET":
        form.submission_key.data = services.new_submission_key()
        form.area_id.data = current_user.area_id
    if form.validate_on_submit():
        idea, created = services.create_draft(
            current_user, submission_key=form.submission_key.data, **_basics_args(form)
        )
        if not can_edit_idea(current_user, idea):
            abort(403)
        db.session.commit()
        if created:
            flash(_("Your idea has been saved as a draft."), "success")
        return redirect(url_for("ideas.step", idea_id=idea.id, step=2))
    return render_form("ideas/step_basics.html", form=form, idea=None, steps=STEPS, step=1)


@bp.route("/ideeen/<int:idea_id>/stap/<int:step>", methods=["GET", "POST"])
@login_required
@allows_uploads
def step(idea_id, step):
    """Steps 1 to 4 of an idea the author is still writing or changing."""
    idea = idea_or_404(idea_id)
    require(can_edit_idea(current_user, idea))
    if step == 1:
        return _step_basics(idea)
    if step == 2:
        return _step_theme(idea)
    if step == 3:
        return _step_costs(idea)
    if step == 4:
        return _step_photos(idea)
    abort(404)


def _next(idea: Idea, step: int):
    db.session.commit()
    flash(_("Saved."), "success")
    if step >= 4:
        return redirect(url_for("ideas.check", idea_id=idea.id))
    return redirect(url_for("ideas.step", idea_id=idea.id, step=step + 1))


def _step_basics(idea: Idea):
    form = BasicsForm(obj=idea)
    _area_choices(form)
    _group_choices(form, idea)
    if request.method == "GET":
        form.group_id.data = idea.group_id or 0
    if form.validate_on_submit():
        services.update_basics(idea, **_basics_args(form))
        return _next(idea, 1)
    return render_form("ideas/step_basics.html", form=form, idea=idea, steps=STEPS, step=1)


def _step_theme(idea: Idea):
    form = ThemeForm(obj=idea)
    spearheads = services.spearheads_for(idea.area)
    form.spearhead_ids.choices = [SelectChoice(s.id, s.title) for s in spearheads]
    if request.method == "GET":
        form.spearhead_ids.data = [s.id for s in idea.spearheads]
    if form.validate_on_submit():
        services.update_theme(idea, form.spearhead_ids.data or [], form.own_theme.data)
        return _next(idea, 2)
    return render_form(
        "ideas/step_theme.html", form=form, idea=idea, spearheads=spearheads, steps=STEPS, step=2
    )


def _step_costs(idea: Idea):
    if request.method == "POST":
        form = CostsForm()
    else:
        form = CostsForm(formdata=None)
        form.destination.data = idea.destination.value
        while len(form.lines) > 0:
            form.lines.pop_entry()
        for line in idea.cost_lines:
            form.lines.append_entry(
                {
                    "item": line.item,
                    "amount": f"{line.amount_cents // 100},{line.amount_cents % 100:02d}",
                }
            )
        while len(form.lines) < max(5, len(idea.cost_lines) + 2):
            form.lines.append_entry()
    if form.add_rows.data:
        # Without JavaScript: send the form back with three more empty rows, nothing saved yet.
        for _ in range(3):
            if len(form.lines) < form.lines.max_entries:
                form.lines.append_entry()
        return render_template(
            "ideas/step_costs.html", form=form, idea=idea, steps=STEPS, step=3, total=None
        )
    if form.validate_on_submit():
        services.update_costs(idea, form.destination.data, form.parsed_lines())
        return _next(idea, 3)
    return render_form(
        "ideas/step_costs.html",
        form=form,
        idea=idea,
        steps=STEPS,
        step=3,
        total=idea.requested_cents,
    )


def _step_photos(idea: Idea):
    form = PhotosForm(obj=idea)
    form.remove_photo_ids.choices = [
        SelectChoice(p.id, str(i + 1)) for i, p in enumerate(idea.photos)
    ]
    if request.method == "GET":
        form.remove_photo_ids.data = []
    photo_errors = []
    if form.validate_on_submit():
        spot = checked_spot(form, idea.area)
        processed, photo_errors = read_photos(form.photos.name)
        if not photo_errors and spot is not False:
            try:
                changes = services.update_photos_and_people(
                    idea,
                    new_photos=processed,
                    remove_ids=form.remove_photo_ids.data or [],
                    location_text=form.location_text.data,
                    spot=spot,
                    people_involved=form.people_involved.data,
                )
            except services.IdeaRefused as refused:
                db.session.rollback()
                photo_errors.extend(str(m) for m in refused.messages)
            else:
                commit_files(changes)
                flash(_("Saved."), "success")
                return redirect(url_for("ideas.check", idea_id=idea.id))
        form.photos.errors = list(photo_errors)
    status = 422 if (form.errors or photo_errors) else 200
    spot_map = maps.build(idea.area, [idea], key="spot-map", picker=True)
    return render_template(
        "ideas/step_photos.html", form=form, idea=idea, steps=STEPS, step=4, map=spot_map
    ), status


@bp.route("/ideeen/<int:idea_id>/controleren")
@login_required
def check(idea_id):
    """Step 5: the whole idea at a glance, what is still missing, and the button to send it."""
    idea = idea_or_404(idea_id)
    require(can_edit_idea(current_user, idea))
    return render_template(
        "ideas/check.html",
        idea=idea,
        problems=services.submission_problems(idea),
        form=ConfirmForm(),
        steps=STEPS,
        step=5,
    )


@bp.route("/ideeen/<int:idea_id>/indienen", methods=["POST"])
@login_required
def submit(idea_id):
    """Send the idea to the municipality."""
    idea = idea_or_404(idea_id)
    require(can_edit_idea(current_user, idea))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not commit_unless_refused(
        lambda: services.submit(idea, current_user),
        services.IdeaRefused,
        _("Thank you! Your idea has been sent to the municipality."),
    ):
        return redirect(url_for("ideas.check", idea_id=idea.id))
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.route("/ideeen/<int:idea_id>/intrekken", methods=["GET", "POST"])
@login_required
def withdraw(idea_id):
    """Withdraw an idea, after a confirmation."""
    idea = idea_or_404(idea_id)
    require(can_withdraw_idea(current_user, idea))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.withdraw(idea, current_user)
        db.session.commit()
        flash(_("Your idea has been withdrawn."), "success")
        return redirect(url_for("ideas.mine"))
    return render_template("ideas/withdraw.html", idea=idea, form=form)


@bp.route("/ideeen/<int:idea_id>")
def show(idea_id):
    """Show an idea: what, where, cost, photos, supports, advice and its timeline."""
    idea = idea_or_404(idea_id)
    share_url = external_url("ideas.show", idea_id=idea.id)
    return render_template(
        "ideas/show.html",
        idea=idea,
        support_count=services.support_count(idea),
        supported=services.supports(current_user, idea),
        can_support=can_support_idea(current_user, idea),
        form=ConfirmForm(),
        share_url=share_url,
        cheque_progress_data=cheque_progress(idea, current_user),
        accountability=idea_section(idea, current_user),
        advice_groups=advice_groups(current_user, idea),
        map=maps.idea_map(idea),
        following=is_following(current_user, FollowTarget.IDEA, idea.id),
        arguments=argument_section(idea),
    )


@bp.route("/ideeen/<int:idea_id>/steun", methods=["POST"])
@login_required
def support(idea_id):
    """Support an idea, or withdraw the support."""
    idea = idea_or_404(idea_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = request.form.get("steun") != "0"
    if wanted:
        require(can_support_idea(current_user, idea))
        if not current_user.is_verified:
            from buurtbegroting.auth.services import NOT_VERIFIED

            flash(str(NOT_VERIFIED), "error")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    services.set_support(idea, current_user, wanted)
    db.session.commit()
    flash(
        _("Thank you for your support.") if wanted else _("Your support has been withdrawn."),
        "success",
    )
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.route("/ideeen/<int:idea_id>/poster")
def poster(idea_id):
    """A printable A4 poster with a QR code that leads to the idea."""
    idea = idea_or_404(idea_id)
    url = external_url("ideas.show", idea_id=idea.id)
    qr = Markup(qr_svg(url, _("QR code that leads to this idea")))
    return render_template("ideas/poster.html", idea=idea, url=url, qr=qr)


@bp.route("/ideeen/<int:idea_id>/fotos/<int:photo_id>")
def photo(idea_id, photo_id):
    """Serve a photo of an idea that the visitor may see (the small version with ?klein=1)."""
    idea = idea_or_404(idea_id)
    photo = db.get_or_404(IdeaPhoto, photo_id)
    if photo.idea_id != idea.id:
        abort(404)
    name = thumb_name(photo.filename) if request.args.get("klein") else photo.filename
    response = send_from_directory(services.photo_folder(), name, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/mijn-ideeen")
@login_required
def mine():
    """List the ideas of the user (and of the groups they coordinate), drafts included."""
    return render_template("ideas/mine.html", ideas=services.ideas_of(current_user))


add_label_globals(
    bp,
    status_label=(STATUS_LABELS, IdeaStatus),
    destination_label=(DESTINATION_LABELS, Destination),
)


@bp.app_template_global()
def can_support_idea_status(idea) -> bool:
    """Tell whether the idea is collecting supports (for the "log in to support" link)."""
    from buurtbegroting.domain.ideas import SUPPORTABLE_STATUSES

    return idea.status in SUPPORTABLE_STATUSES


@bp.app_template_filter("plaintext")
def plaintext_filter(text) -> Markup:
    """Render plain text with paragraphs, lists and links as safe HTML."""
    from buurtbegroting.domain.text import render_plain_text

    return Markup(render_plain_text(text or ""))
