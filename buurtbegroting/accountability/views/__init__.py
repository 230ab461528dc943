"""The accountability pages: the initiators' workspace, public overviews and the coordinators' pages."""

from buurtbegroting.accountability.views import common, manage, public, workspace  # noqa: F401
