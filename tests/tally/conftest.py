"""Hypothesis settings for the tally tests only (use ``settings(TALLY, …)``)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "tally",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
