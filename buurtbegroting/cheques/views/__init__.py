"""The cheque pages: redeeming, the owner's set-up and the campaigns' administration."""

from buurtbegroting.cheques.views import admin, redeeming, setup  # noqa: F401  (routes)
