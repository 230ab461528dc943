"""The names of the kinds of news and of the settings, for pages and e-mails."""

from flask_babel import lazy_gettext as _l

from buurtbegroting.models import FollowEvent, NotifyMode

#: The name of each kind of news on the settings page and in e-mails.
EVENT_LABELS = {
    FollowEvent.STATUS: _l("An idea gets a new status (also the review decision)"),
    FollowEvent.PROGRESS: _l("A funded idea has a new progress update"),
    FollowEvent.VOTING_OPEN: _l("Voting starts in an area"),
    FollowEvent.VOTING_REMINDER: _l("Voting closes in two days and you have not voted yet"),
    FollowEvent.RESULTS: _l("The results of a round are published"),
    FollowEvent.CHEQUES: _l("A cheque initiative reaches its target or its end date is near"),
    FollowEvent.NEWSLETTER: _l("Newsletters from the municipality"),
}

#: The name of each setting.
MODE_LABELS = {
    NotifyMode.IMMEDIATE: _l("Immediately"),
    NotifyMode.DIGEST: _l("Once a week"),
    NotifyMode.OFF: _l("Off"),
}
