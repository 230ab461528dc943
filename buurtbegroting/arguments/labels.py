"""Translated names of sides and report reasons."""

from flask_babel import lazy_gettext as _l

from buurtbegroting.domain.arguments import ArgumentSide, ReportReason

SIDE_LABELS = {
    ArgumentSide.FOR: _l("For"),
    ArgumentSide.AGAINST: _l("Against"),
}

REASON_LABELS = {
    ReportReason.PERSONAL_ATTACK: _l("personal attack"),
    ReportReason.DISCRIMINATION: _l("discrimination"),
    ReportReason.SPAM: _l("spam or advertising"),
    ReportReason.PRIVATE_INFORMATION: _l("private information"),
    ReportReason.OFF_TOPIC: _l("off-topic"),
    ReportReason.OTHER: _l("other reason"),
}
