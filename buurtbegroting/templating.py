"""Jinja filters: money, dates and numbers in the visitor's language; label look-ups."""

from datetime import date, datetime
from functools import lru_cache

from flask.globals import _cv_app
from flask.templating import Environment as FlaskEnvironment
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
from markupsafe import Markup

from buurtbegroting.domain.areas import format_postcode


def format_cents(cents: int | None, with_cents: bool = True) -> str:
    """Show an amount of euro cents as "€ 1.250,50" (Dutch) or "€1,250.50" (English)."""
    if cents is None:
        return ""
    return _format_cents(int(cents), with_cents, str(get_locale()))


@lru_cache(maxsize=4096)
def _format_cents(cents: int, with_cents: bool, locale: str) -> str:
    # Babel's formatting is slow next to a dictionary look-up; a ballot shows 60 amounts.
    from babel.numbers import format_currency

    pattern = None if with_cents else "¤ #,##0"
    return format_currency(
        cents / 100, "EUR", format=pattern, locale=locale, currency_digits=with_cents
    )


def _date(value, fmt="medium"):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    if isinstance(value, date):
        return format_date(value, fmt)
    return str(value)


def _number(value, digits=1):
    if value is None:
        return ""
    return format_decimal(
        round(value, digits), format="#,##0." + "#" * digits if digits else "#,##0"
    )


def register(app) -> None:
    """Add the filters to the app's Jinja environment."""
    app.jinja_env.filters["cents"] = format_cents
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["number"] = _number
    app.jinja_env.filters["postcode"] = format_postcode
    app.jinja_env.globals["Markup"] = Markup
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def add_label_globals(bp, **tables) -> None:
    """Offer templates, for each ``name=(labels, kind)``, ``name(value)``: the label as text.

    ``kind`` turns a stored value into the key of ``labels`` (an enum), or is None when the
    templates pass the key itself.
    """
    for name, (labels, kind) in tables.items():
        bp.add_app_template_global(_label_lookup(labels, kind), name)


def _label_lookup(labels: dict, kind):
    def label(value) -> str:
        return str(labels[value if kind is None else kind(value)])

    return label


def _translations():
    """Return the catalogue of this request's language: Flask-Babel's, found faster.

    A page calls gettext a few dozen times, and Flask-Babel's ``get_translations`` walks
    the context (``g``, the domain, the locale) each time: a tenth of the time of the voting
    pages. Once Flask-Babel has settled this request's locale and loaded its catalogue (the
    first call), the same catalogue is read straight from its cache; until then, and when
    anything is missing, Flask-Babel's own function answers. ``force_locale`` (mail in the
    recipient's language) changes the same locale this reads, so it is followed as before.
    """
    app_context = _cv_app.get(None)
    state = getattr(app_context.g, "_flask_babel", None) if app_context is not None else None
    locale = getattr(state, "babel_locale", None)
    domain = getattr(state, "babel_domain", None)
    if locale is not None and domain is not None:
        found = domain.cache.get((str(locale), domain.domain[0]))
        if found is not None:
            return found
    return get_translations()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment; each template's globals are a plain dict, made at loading.

    Jinja layers a template's globals over the environment's in a ChainMap, so that later
    changes to the environment's globals still reach loaded templates. Every render copies
    that map, and every ``{% from … import … %}`` compares two of them key by key: with this
    app's ninety globals, a tenth of a voting page's time. Jinja itself says not to change
    globals once a template is loaded; this app sets them all in ``create_app``.
    """

    def make_globals(self, d):
        return {**self.globals, **(d or {})}
