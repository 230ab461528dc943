"""The translated words of a print run, taken from the catalogues once (an app context, no request).

The letter uses the same sentences as the HTML letter (templates/round_codes/letters.html),
so both read alike and share their translations.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _

from buurtbegroting.printing.settings import (
    ChequeSettings,
    ChequeText,
    LetterSettings,
    LetterText,
    PrintRefused,
    letterhead,
)
from buurtbegroting.templating import format_cents
from buurtbegroting.urls import external_url

#: Languages a letter can be printed in (the catalogues in translations/).
LANGUAGES = ("nl", "en")


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        from flask_babel import lazy_gettext as _l

        raise PrintRefused(_l("Choose a language from the list."))
    return lang


def _letter_text(round_, area_name: str, place: str, lang: str) -> LetterText:
    """Return the words of the letter in one language (the current locale)."""
    opens = format_datetime(round_.voting_opens_at, "d MMMM yyyy")
    closes = format_datetime(round_.voting_closes_at, "d MMMM yyyy")
    return LetterText(
        lang=lang,
        sender=_("Municipality of %(place)s", place=place),
        recipient=_("To the residents of this address"),
        title=_("Your voting code for %(name)s", name=round_.name),
        area=_("For residents of %(area)s", area=area_name),
        intro=_(
            "You may help decide what happens with money for your neighbourhood. "
            "Residents made plans. You choose which plans go ahead."
        ),
        dates=_("You can vote from %(start)s to %(end)s.", start=opens, end=closes),
        code_label=_("Your voting code"),
        how=_("How to vote"),
        steps=(
            _("Scan the square code with the camera of your phone. Or type the web address below."),
            _("Read the plans. Choose the plans you like best."),
            _("Send your vote. You can vote once with this code."),
        ),
        keep=_("Do not give your code to anyone else. Keep this letter until you have voted."),
        help=_(
            "Do you need help with voting? Ask someone you trust, or contact the "
            "municipality of %(place)s. You can also vote on paper at the town hall.",
            place=place,
        ),
        other_side=_("Read this letter in English on the back."),
    )


def letter_settings(
    round_area, config: Mapping, *, lang: str = "nl", back_lang: str | None = None
) -> LetterSettings:
    """Return what the letters of a round area show: letterhead, link and words (front, back)."""
    round_ = round_area.round
    place = config["MUNICIPALITY_NAME"]
    head = letterhead(place, config.get("MUNICIPALITY_LOGO"))
    texts = []
    for language in [lang] + ([back_lang] if back_lang and back_lang != lang else []):
        with force_locale(_check_language(language)):
            texts.append(_letter_text(round_, round_area.area.name, place, language))
    front = texts[0]
    back = texts[1] if len(texts) > 1 else None
    if back is None:
        front = LetterText(**{**front.__dict__, "other_side": ""})
    else:
        front = LetterText(**{**front.__dict__, "other_side": back.other_side})
    return LetterSettings(
        letterhead=head,
        vote_url=external_url("rounds.code_link"),
        area_code=round_area.area.code,
        area_name=round_area.area.name,
        front=front,
        back=back,
        title=f"{round_.name} · {round_area.area.name}",
    )


def cheque_words(campaign, place: str, redeem_url: str) -> dict[str, str]:
    """Return the words printed on a campaign's cheques, in the current language."""
    return {
        "title": _("Neighbourhood cheque %(name)s", name=place),
        "value": format_cents(campaign.value_cents),
        "valid": _(
            "Valid from %(start)s to %(end)s.",
            start=format_date(campaign.activation_starts_on, "long"),
            end=format_date(campaign.activation_ends_on, "long"),
        ),
        "how": _(
            "Scan the QR code or go to %(url)s and give this cheque to an initiative.",
            url=redeem_url,
        ),
        "code_label": _("Code"),
    }


def cheque_settings(campaign, config: Mapping, *, lang: str = "nl") -> ChequeSettings:
    """Return what a campaign's cheques show: letterhead, link and words."""
    place = config["MUNICIPALITY_NAME"]
    head = letterhead(place, config.get("MUNICIPALITY_LOGO"))
    redeem = external_url("cheques.redeem")
    with force_locale(_check_language(lang)):
        text = ChequeText(lang=lang, **cheque_words(campaign, place, redeem))
    return ChequeSettings(letterhead=head, redeem_url=redeem, text=text, title=campaign.name)
