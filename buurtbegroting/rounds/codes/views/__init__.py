"""The administration of a round's voting codes, paper ballots and integrity signals."""

from buurtbegroting.rounds.codes.views import common, letters, paper, signals  # noqa: F401
