"""Texts the results page and the poster share."""

from flask_babel import lazy_gettext as _l

WHAT_NEXT = _l(
    "What happens now? The municipality contacts the people behind the chosen ideas. "
    "Together they make a plan and the work starts. On the page of each idea you can follow "
    "how it is going and what the money is spent on."
)
