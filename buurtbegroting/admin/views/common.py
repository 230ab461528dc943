"""What the administration's pages share: lists in pages, a search box, refusals at their field."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import lazy_gettext as _l

from buurtbegroting.admin import PER_PAGE, services
from buurtbegroting.extensions import db
from buurtbegroting.pagination import paginate

#: What a refusal of an administration service says, and at which field of the form (None: at
#: the top of the form).
REFUSALS = {
    services.WrongParent: ("parent_id", _l("Choose an area one level higher.")),
    services.CoordinatorNeedsAreas: (
        "areas",
        _l("Choose at least one area for an area coordinator."),
    ),
    services.PlanHasNoSpearheads: (
        None,
        _l("Add at least one spearhead before you adopt the plan."),
    ),
}


def list_page(template: str, query, **context):
    """Render ``template`` with one page (``page``) of what ``query`` selects."""
    return render_template(template, page=paginate(query, per_page=PER_PAGE), **context)


def searched_list(template: str, query_for):
    """Render a list with a search box: one page of ``query_for(search)``, and the search."""
    search = request.args.get("q", "").strip()[:100]
    return list_page(template, query_for(search), search=search)


def commit_or_show(form, action, success) -> bool:
    """Run ``action()`` and commit, saying ``success``; return whether it was committed.

    A refusal in ``REFUSALS`` is rolled back and its message put at its field of ``form``.
    """
    try:
        action()
    except tuple(REFUSALS) as refused:
        db.session.rollback()
        field, message = REFUSALS[type(refused)]
        (form[field].errors if field else form.form_errors).append(str(message))
        return False
    db.session.commit()
    flash(str(success), "success")
    return True
