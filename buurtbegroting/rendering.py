"""Render a page that holds forms: 422 when a form was refused, so the answer says so."""

from __future__ import annotations

from flask import render_template


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
