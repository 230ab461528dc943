"""Public pages: home, find your area, area page, statements, language switch."""

from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select

from buurtbegroting.domain.areas import InvalidPostcode
from buurtbegroting.extensions import db
from buurtbegroting.follows.services import is_following
from buurtbegroting.models import Area, FollowTarget
from buurtbegroting.public import bp, services
from buurtbegroting.public.forms import LanguageForm, PostcodeForm


@bp.route("/")
def home():
    """Explain the platform and let a visitor find their area."""
    form = PostcodeForm(request.args)
    return render_template("public/home.html", form=form, municipality=services.municipality())


@bp.route("/zoek")
def find_area():
    """Send the visitor to the neighbourhood of the postcode they typed."""
    form = PostcodeForm(request.args)
    if form.validate():
        try:
            area = services.find_area_by_postcode(form.postcode.data)
        except InvalidPostcode:
            form.postcode.errors.append(
                _("This is not a postcode. Type four digits and two letters, like 5341 AB.")
            )
        else:
            if area is not None:
                return redirect(url_for("public.area", code=area.code))
            form.postcode.errors.append(
                _("We do not know this postcode. Check it, or choose your area from the list.")
            )
    return render_template("public/home.html", form=form, municipality=services.municipality()), 422


@bp.route("/gebieden")
def areas():
    """List every district with its neighbourhoods."""
    return render_template(
        "public/areas.html",
        municipality=services.municipality(),
        districts=services.districts_with_neighbourhoods(),
    )


@bp.route("/gebied/<code>")
def area(code):
    """Show an area: its adopted plan, spearheads and area-monitor figures."""
    area = db.session.scalar(select(Area).where(Area.code == code.upper()))
    if area is None:
        abort(404)
    from buurtbegroting.ideas.services import search
    from buurtbegroting.maps.services import area_map

    return render_template(
        "public/area.html",
        area=area,
        plan=services.current_plan(area),
        indicators=services.indicators_for(area),
        ideas=search(area_id=area.id, per_page=5),
        area_map=area_map(area),
        following=is_following(current_user, FollowTarget.AREA, area.id),
    )


@bp.route("/toegankelijkheid")
def accessibility():
    """Show the accessibility statement."""
    return render_template("public/accessibility.html")


@bp.route("/privacy")
def privacy():
    """Show the privacy statement."""
    return render_template("public/privacy.html")


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("public.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("public.home")
    return target


@bp.route("/taal", methods=["POST"])
def set_language():
    """Remember the chosen language (cookie, and the account when logged in)."""
    form = LanguageForm()
    lang = request.form.get("lang")
    if not form.validate_on_submit() or lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    session.permanent = True
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    response = redirect(_safe_next(request.form.get("next")))
    response.set_cookie(
        "lang",
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["LANG_COOKIE_SECURE"],
    )
    return response
