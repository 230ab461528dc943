"""Jinja filters: money, dates and numbers in the visitor's language."""

from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup

from buurtbegroting.domain.areas import format_postcode


def format_cents(cents: int | None, with_cents: bool = True) -> str:
    """Show an amount of euro cents as "€ 1.250,50" (Dutch) or "€1,250.50" (English)."""
    if cents is None:
        return ""
    from babel.numbers import format_currency

    amount = cents / 100
    pattern = None if with_cents else "¤ #,##0"
    return format_currency(
        amount, "EUR", format=pattern, locale=str(get_locale()), currency_digits=with_cents
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
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
