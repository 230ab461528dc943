"""Budget rounds: residents vote on ideas for their area, and everyone can recount the results.

The public pages (this blueprint ``rounds``), the round administration (``rounds.admin``)
and the voting codes, letters, paper ballots and signals (``rounds.codes``).
"""

from flask import Blueprint

bp = Blueprint("rounds", __name__)

from buurtbegroting.rounds import views  # noqa: E402,F401  (registers the routes)
