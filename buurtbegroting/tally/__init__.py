"""Tally engine: count participatory-budgeting votes and read/write Pabulib files.

Pure Python (no Flask, no SQLAlchemy). Amounts are ints or Fractions throughout.
"""

from .engine import META_RULES, RULES, meta_rule, tally
from .model import Ballot, Election, Outcome, PabulibError, Project, ProjectExplanation
from .pabulib import parse_pb, read_pb, write_pb

__all__ = [
    "META_RULES",
    "RULES",
    "Ballot",
    "Election",
    "Outcome",
    "PabulibError",
    "Project",
    "ProjectExplanation",
    "meta_rule",
    "parse_pb",
    "read_pb",
    "tally",
    "write_pb",
]
