"""Follow and unfollow, the settings per kind of news, one-click unsubscribe, newsletters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from buurtbegroting.extensions import csrf, db
from buurtbegroting.follows import bp, newsletter_bp, services
from buurtbegroting.follows.forms import NewsletterForm, SettingsForm
from buurtbegroting.follows.labels import EVENT_LABELS
from buurtbegroting.follows.tokens import BadToken, read_token
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import Area, BudgetRound, FollowTarget, ThematicGroup, User
from buurtbegroting.permissions import (
    can_administer_rounds,
    can_manage_area,
    can_manage_round,
    guard_blueprint,
    require,
)
from buurtbegroting.rendering import idea_or_404, render_form

guard_blueprint(newsletter_bp, can_administer_rounds)


def _page_of(target: FollowTarget, target_id: int) -> str:
    """Load the followed thing (or 404) and return the address of its page."""
    if target == FollowTarget.IDEA:
        return url_for("ideas.show", idea_id=idea_or_404(target_id).id)
    if target == FollowTarget.AREA:
        return url_for("public.area", code=db.get_or_404(Area, target_id).code)
    return url_for("groups.show", group_id=db.get_or_404(ThematicGroup, target_id).id)


@bp.route("/volgen/<target>/<int:target_id>", methods=["POST"])
@login_required
def toggle(target, target_id):
    """Follow an idea, area or group, or stop following it (``volgen=0``)."""
    try:
        kind = FollowTarget(target)
    except ValueError:
        abort(404)
    page = _page_of(kind, target_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("volgen") == "0":
        services.unfollow(current_user, kind, target_id)
        message = _("You no longer follow this.")
    else:
        services.follow(current_user, kind, target_id)
        message = _("You follow this now. Choose how you are told on your notifications page.")
    db.session.commit()
    flash(message, "success")
    return redirect(page)


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def settings():
    """Choose per kind of news: immediately, once a week, or off."""
    form = SettingsForm()
    if request.method == "GET":
        for event, mode in services.preferences(current_user.id).items():
            getattr(form, event.value).data = mode.value
    if form.validate_on_submit():
        services.set_preferences(current_user.id, form.modes())
        db.session.commit()
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("follows.settings"))
    return render_form("follows/settings.html", form)


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail program posts without a form; the signed token is the key.
def unsubscribe(token):
    """Show a button that turns the news off (GET), or turn it off (POST, also one-click)."""
    try:
        user_id, event = read_token(token)
    except BadToken:
        return render_template("follows/unsubscribe.html", bad=True), 400
    user = db.session.get(User, user_id)
    if user is None:
        return render_template("follows/unsubscribe.html", bad=True), 400
    label = EVENT_LABELS[event] if event is not None else None
    if request.method == "POST":
        services.unsubscribe(user.id, event)
        db.session.commit()
        return render_template("follows/unsubscribe.html", done=True, label=label)
    return render_template("follows/unsubscribe.html", label=label, token=token)


def _newsletter(scope, back: str):
    """Write, preview and send a newsletter to the followers of an area or round."""
    form = NewsletterForm()
    audience = services.newsletter_audience(scope)
    if form.validate_on_submit():
        if form.send.data:
            count = services.send_newsletter(current_user, scope, form.subject.data, form.text.data)
            db.session.commit()
            flash(_("The newsletter is queued for %(num)d followers.", num=count), "success")
            return redirect(back)
        return render_form(
            "follows/newsletter.html", form, scope=scope, audience=audience, preview=True
        )
    return render_form("follows/newsletter.html", form, scope=scope, audience=audience)


@newsletter_bp.route("/gebied/<int:area_id>", methods=["GET", "POST"])
def area(area_id):
    """Send a newsletter to the followers of an area (its coordinators and administrators)."""
    area = db.get_or_404(Area, area_id)
    require(can_manage_area(current_user, area))
    return _newsletter(area, url_for("public.area", code=area.code))


@newsletter_bp.route("/ronde/<int:round_id>", methods=["GET", "POST"])
def round_(round_id):
    """Send a newsletter to the followers of the areas of a round."""
    round_ = db.get_or_404(BudgetRound, round_id)
    require(can_manage_round(current_user, round_))
    return _newsletter(round_, url_for("rounds.show", round_id=round_.id))
