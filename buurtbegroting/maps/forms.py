"""The spot of an idea: two optional fields (latitude, longitude) and their checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField
from wtforms.validators import Optional, ValidationError

from buurtbegroting.domain.boundaries import valid_property_name
from buurtbegroting.forms import strip, too_long


def _number(low: float, high: float, message):
    def check(form, field) -> None:
        if not field.data:
            return
        try:
            value = float(field.data.replace(",", "."))
        except ValueError:
            raise ValidationError(message) from None
        if not (low <= value <= high) or value != value:
            raise ValidationError(message)
        field.data = str(round(value, 6))

    return check


#: The two fields of a spot: label, the largest number of degrees, message, hint.
_AXES = {
    "latitude": (
        _l("Latitude (optional)"),
        90,
        _l("Write the latitude as a number of degrees, like 51.765."),
        _l("Degrees north, like 51.765. Leave both empty if you do not know."),
    ),
    "longitude": (
        _l("Longitude (optional)"),
        180,
        _l("Write the longitude as a number of degrees, like 5.52."),
        _l("Degrees east, like 5.52."),
    ),
}


def degrees_field(axis: str) -> StringField:
    """Return the optional ``latitude`` or ``longitude`` field (decimal degrees, WGS84)."""
    label, limit, message, description = _AXES[axis]
    return StringField(
        label,
        filters=[strip],
        validators=[Optional(), too_long(20), _number(-limit, limit, message)],
        description=description,
    )


def checked_spot(form, area) -> tuple[float, float] | None | bool:
    """Return the spot as ``(latitude, longitude)``, None when both fields are empty, or False.

    False means a message was added at the field: only one of the two was filled in, or the
    spot lies outside the idea's area.
    """
    from buurtbegroting.maps.services import spot_outside

    lat, lon = form.latitude.data, form.longitude.data
    if not lat and not lon:
        return None
    if not lat or not lon:
        missing = form.latitude if not lat else form.longitude
        missing.errors = [
            *missing.errors,
            _l("Fill in both the latitude and the longitude, or leave both empty."),
        ]
        return False
    spot = (float(lat), float(lon))
    if spot_outside(area, *spot):
        form.latitude.errors = [
            *form.latitude.errors,
            _l(
                "This spot lies outside %(area)s. Choose a spot in the area, or leave both fields empty.",
                area=area.name,
            ),
        ]
        return False
    return spot


class BoundaryImportForm(FlaskForm):
    """Upload a GeoJSON file of boundaries (administrators)."""

    file = FileField(_l("GeoJSON file"))
    code_property = StringField(
        _l("Property with the area code (optional)"),
        filters=[strip],
        validators=[Optional(), too_long(40)],
        description=_l(
            "Leave empty for a CBS file: the code is then read from statcode, buurtcode, wijkcode or gemeentecode."
        ),
    )
    submit = SubmitField(_l("Import"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a GeoJSON file."))

    def validate_code_property(self, field):
        if field.data and not valid_property_name(field.data):
            raise ValidationError(
                _l("Use letters, digits, dots, dashes and underscores only, like statcode.")
            )
