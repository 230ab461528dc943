"""The kinds of jobs, registered with ``runner.register`` when this package is imported."""

from buurtbegroting.jobs.kinds import cheques, codes, rounds, routines  # noqa: F401
