"""One way to page through lists: the ``page`` query parameter, a Page, one macro.

Used by the ideas list, the administration and the API. The template macro is
``macros/pagination.html``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import request
from sqlalchemy import Select, func, select

from buurtbegroting.extensions import db

#: The query parameter that carries the page number, everywhere.
PAGE_ARG = "page"


def page_number(name: str = PAGE_ARG) -> int:
    """Return the page asked for in the query string (1 for anything unreadable)."""
    try:
        return max(1, int(request.args.get(name, 1)))
    except (TypeError, ValueError):
        return 1


@dataclass
class Page:
    """One page of a list: its items, the total count and where it stands."""

    items: list
    total: int
    page: int
    per_page: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        """Return how many items come before this page."""
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        """Tell whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Tell whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        """Return the number of the page before, if any."""
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        """Return the number of the page after, if any."""
        return self.page + 1 if self.has_next else None


def paginate(
    query: Select, *, per_page: int, page: int | None = None, scalars: bool = True
) -> Page:
    """Run ``query`` for one page (two queries: the count and the page's rows).

    :param page: the page number; by default read from the query string.
    :param scalars: return the first column of each row (an entity), else the rows.
    """
    number = page if page is not None else page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    limited = query.limit(per_page).offset((number - 1) * per_page)
    result = db.session.scalars(limited) if scalars else db.session.execute(limited)
    return Page(
        items=list(result.unique() if scalars else result),
        total=total or 0,
        page=number,
        per_page=per_page,
    )
