"""Forms of following: the settings per kind of news, and a newsletter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField

from buurtbegroting.follows.labels import EVENT_LABELS, MODE_LABELS
from buurtbegroting.forms import line_field, plain_text, text_field
from buurtbegroting.models import FollowEvent, NotifyMode

#: The longest newsletter text (plain text; a mail, not a brochure).
NEWSLETTER_LIMIT = 5000


def _mode_field(event: FollowEvent) -> RadioField:
    modes = list(NotifyMode)
    if event == FollowEvent.NEWSLETTER:
        # A newsletter is sent whole or not at all; it has no line in a digest.
        modes = [NotifyMode.IMMEDIATE, NotifyMode.OFF]
    return RadioField(
        EVENT_LABELS[event],
        choices=[SelectChoice(m.value, MODE_LABELS[m]) for m in modes],
        default=NotifyMode.IMMEDIATE.value,
        validate_choice=True,
    )


class SettingsForm(FlaskForm):
    """How an account wants to be told, per kind of news."""

    submit = SubmitField(_l("Save settings"))

    def modes(self) -> dict[FollowEvent, NotifyMode]:
        """Return the chosen setting per kind of news."""
        return {event: NotifyMode(getattr(self, event.value).data) for event in FollowEvent}


for _event in FollowEvent:
    setattr(SettingsForm, _event.value, _mode_field(_event))


class NewsletterForm(FlaskForm):
    """A newsletter to the followers of an area or round: a subject and plain text."""

    subject = line_field(_l("Subject"), _l("Write a subject."), limit=150)
    text = text_field(_l("Text"), _l("Write the text of the newsletter."), limit=NEWSLETTER_LIMIT)
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send to the followers"))

    def validate_text(self, field) -> None:
        """Refuse control characters other than line breaks."""
        plain_text(self, field)
