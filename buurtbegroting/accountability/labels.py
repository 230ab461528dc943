"""Translatable labels and messages of accountability."""

from flask_babel import lazy_gettext as _l

from buurtbegroting.models import FundingSource, ReportStatus

REPORT_STATUS_LABELS = {
    ReportStatus.FUNDED: _l("Funded"),
    ReportStatus.IN_PROGRESS: _l("In progress"),
    ReportStatus.COMPLETED: _l("Completed"),
    ReportStatus.REPORT_SUBMITTED: _l("Report submitted"),
    ReportStatus.CHANGES_REQUESTED: _l("Changes asked for the report"),
    ReportStatus.APPROVED: _l("Report approved"),
}

SOURCE_LABELS = {
    FundingSource.ROUND: _l("Neighbourhood budget vote"),
    FundingSource.CHEQUES: _l("Cheques of residents"),
}

RECEIPT_MESSAGES = {
    "too_large": _l("This file is larger than 10 MB. Choose a smaller file."),
    "empty": _l("This file is empty. Choose the file of the receipt."),
    "format": _l("This is not a PDF, JPEG or PNG file. Scan or photograph the receipt."),
    "pdf_unreadable": _l(
        "We cannot read this PDF file (or it has a password). Save it again as PDF, or "
        "photograph the receipt."
    ),
    "pdf_active": _l(
        "This PDF file contains a script or an attached file. Save the receipt again as a "
        "plain PDF, or photograph it."
    ),
}
