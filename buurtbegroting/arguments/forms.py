"""Forms of arguments: post, reply, report, and the moderator's decision."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from buurtbegroting.arguments.labels import REASON_LABELS, SIDE_LABELS
from buurtbegroting.domain.arguments import MAX_LENGTH, MAX_LINKS, ReportReason, is_link_spam
from buurtbegroting.forms import plain_text, text_field


def not_link_spam(form, field) -> None:
    """Validator: refuse a text with more links than an argument needs."""
    if isinstance(field.data, str) and is_link_spam(field.data):
        raise ValidationError(_l("Use at most %(max)d links in your text.", max=MAX_LINKS))


def _body(label, message):
    field = text_field(label, message, limit=MAX_LENGTH)
    field.kwargs["validators"] = [*field.kwargs["validators"], plain_text, not_link_spam]
    return field


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _radios(label, labels: dict, message) -> RadioField:
    """Return radio buttons that refuse an empty or unknown value with ``message``."""
    return RadioField(
        label,
        choices=_choices(labels),
        validate_choice=False,
        validators=[
            DataRequired(message=message),
            AnyOf([key.value for key in labels], message=message),
        ],
    )


class ArgumentForm(FlaskForm):
    """A short argument for or against an idea."""

    side = _radios(
        _l("Are you for or against this idea?"), SIDE_LABELS, _l("Choose for or against.")
    )
    body = _body(_l("Your argument"), _l("Write your argument."))
    submit = SubmitField(_l("Post argument"))


class ReplyForm(FlaskForm):
    """A reply to an argument."""

    body = _body(_l("Your reply"), _l("Write your reply."))
    submit = SubmitField(_l("Post reply"))


class ReportForm(FlaskForm):
    """Report an argument to the moderator."""

    reason = _radios(_l("What is wrong with this argument?"), REASON_LABELS, _l("Choose a reason."))
    text = _body(_l("Explain (optional)"), None)
    submit = SubmitField(_l("Send report"))


class Decision(enum.StrEnum):
    """What the moderator does with a reported argument."""

    HIDE = "hide"
    KEEP = "keep"


class ModerationForm(FlaskForm):
    """The moderator hides the argument with a public reason, or keeps it."""

    decision = _radios(
        _l("What do you decide?"),
        {
            Decision.HIDE: _l("Hide the argument"),
            Decision.KEEP: _l("Keep the argument and close the reports"),
        },
        _l("Choose hide or keep."),
    )
    reason = RadioField(
        _l("Public reason (when you hide it)"),
        choices=_choices(REASON_LABELS),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save decision"))

    def validate_reason(self, field) -> None:
        """Ask for a known reason when the argument is hidden."""
        if self.decision.data != Decision.HIDE:
            return
        if field.data not in set(ReportReason):
            raise ValidationError(_l("Choose the public reason."))
