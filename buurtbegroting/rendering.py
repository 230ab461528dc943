"""Answer a request: the idea it is about, a page of forms (422 when one was refused), an act."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user

from buurtbegroting.extensions import db
from buurtbegroting.models import Idea
from buurtbegroting.permissions import can_view_idea


def idea_or_404(idea_id: int) -> Idea:
    """Return the idea, or answer 404 when it does not exist or the visitor may not see it."""
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    return idea


def form_status(*forms) -> int:
    """Return 422 when any of the forms has errors, else 200."""
    return 422 if any(form is not None and form.errors for form in forms) else 200


def render_form(template: str, form=None, *, status: int | None = None, forms=(), **context):
    """Render ``template`` with ``form``; answer 422 when it (or one of ``forms``) has errors.

    :param status: force a status (for a refusal that is not a field error).
    """
    if form is not None:
        context.setdefault("form", form)
    code = status if status is not None else form_status(form, *forms)
    return render_template(template, **context), code


def show_refusal(refused) -> None:
    """Roll back what a refused act changed and show the service's reasons."""
    db.session.rollback()
    for message in refused.messages:
        flash(str(message), "error")


def commit_unless_refused(action, refusal: type[Exception], success=None) -> bool:
    """Run ``action()`` and commit, saying ``success``; return whether it was committed.

    When ``action`` raises ``refusal`` (a service's error with ``messages``), roll back and
    show those messages instead.
    """
    try:
        action()
    except refusal as refused:
        show_refusal(refused)
        return False
    db.session.commit()
    if success is not None:
        flash(str(success), "success")
    return True
