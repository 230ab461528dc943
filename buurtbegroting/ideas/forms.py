"""Forms of the idea steps: the idea, its theme, its costs, photos and people."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import Optional, ValidationError

from buurtbegroting.domain import languages
from buurtbegroting.domain.ideas import Destination, SecondLanguage
from buurtbegroting.domain.money import parse_cents
from buurtbegroting.forms import (
    GetForm,
    MultiCheckboxField,
    answer_field,
    area_field,
    filter_select,
    id_field,
    int_or_none,
    line_field,
    parse_amount,
    photos_field,
    spearheads_field,
    text_field,
)
from buurtbegroting.maps.forms import degrees_field

TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX = 120, 200, 10_000
#: How an idea can be funded, by the value of the choice.
DESTINATION_LABELS = {
    Destination.BUDGET_ROUND: _l("By a vote on the neighbourhood budget"),
    Destination.CHEQUES: _l("By collecting cheques from residents"),
}


class BasicsForm(FlaskForm):
    """Step 1: what the idea is and where."""

    title = line_field(
        _l("Title"),
        _l("Give your idea a title."),
        limit=TITLE_MAX,
        description=_l("Short and clear, for example: Benches in the Ruwaard park."),
    )
    summary = text_field(
        _l("Summary"),
        _l("Describe your idea in one or two sentences."),
        limit=SUMMARY_MAX,
        description=_l("At most 200 characters. This is what people see first."),
    )
    description = text_field(
        _l("Description"),
        limit=DESCRIPTION_MAX,
        description=_l(
            "What do you want to do, for whom, and why? Leave an empty line between paragraphs. "
            "Start a line with a dash (-) for a list. Links to websites work."
        ),
    )
    area_id = area_field()
    # "Just me" or a group the user coordinates.
    group_id = id_field(
        _l("Submit for"),
        _l("Choose a group from the list."),
        description=_l("You can submit the idea for a thematic group you coordinate."),
    )
    second_language = SelectField(
        _l("Language of your translation"),
        validate_choice=False,
        description=_l("Optional. Your idea in a second language, translated by you."),
    )
    second_title = line_field(_l("Title in that language"), limit=TITLE_MAX)
    second_summary = text_field(_l("Summary in that language"), limit=SUMMARY_MAX)
    second_description = text_field(_l("Description in that language"), limit=DESCRIPTION_MAX)
    submission_key = HiddenField()
    submit = SubmitField(_l("Save and continue"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.second_language.choices = [SelectChoice("", _l("No translation"))] + [
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in languages.choices(current_app.config["LANGUAGES"])
        ]

    def _translating(self) -> bool:
        parts = (self.second_title, self.second_summary, self.second_description)
        return bool(self.second_language.data) or any(f.data for f in parts)

    def validate_second_language(self, field):
        """A known language, chosen whenever any translated text is given."""
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a language from the list."))
        if self._translating() and not field.data:
            raise ValidationError(_l("Choose the language of your translation."))

    def validate_second_title(self, field):
        """A translation has at least a title and a summary."""
        if self._translating() and not field.data:
            raise ValidationError(_l("Give the title in that language too."))

    def validate_second_summary(self, field):
        """A translation has at least a title and a summary."""
        if self._translating() and not field.data:
            raise ValidationError(_l("Give the summary in that language too."))

    def second(self) -> SecondLanguage | None:
        """The author's translation, or None when the fields are empty."""
        if not self._translating():
            return None
        return SecondLanguage(
            self.second_language.data,
            self.second_title.data,
            self.second_summary.data,
            self.second_description.data or "",
        )


class ThemeForm(FlaskForm):
    """Step 2: the spearheads the idea serves, or an own theme."""

    spearhead_ids = spearheads_field()
    own_theme = line_field(
        _l("Own theme"),
        limit=200,
        description=_l(
            "Does your idea fit none of the spearheads? Say in one line what it is about."
        ),
    )
    submit = SubmitField(_l("Save and continue"))

    def validate_spearhead_ids(self, field):
        """Require a theme of some kind (the spearheads are checked against the list first)."""
        if not field.data and not (self.own_theme.data or "").strip():
            raise ValidationError(_l("Choose at least one spearhead, or describe your own theme."))


class CostLineForm(Form):
    """One cost line; an empty row is ignored."""

    item = line_field(_l("Item"), limit=120)
    amount = line_field(_l("Amount in euros"), limit=20, one_line=False)

    def validate_item(self, field):
        """Require a description when an amount is given."""
        if (self.amount.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Say what this amount is for."))

    def validate_amount(self, field):
        """Read the amount ("1.250,50", "1250.50") or explain what is wrong."""
        amount = (field.data or "").strip()
        if not amount:
            if (self.item.data or "").strip():
                raise ValidationError(_l("Fill in the amount."))
            return
        parse_amount(amount)

    def parsed(self) -> tuple[str, int] | None:
        """Return (item, cents) for a filled-in, valid row; None for an empty one."""
        if not (self.item.data or "").strip() and not (self.amount.data or "").strip():
            return None
        return self.item.data.strip(), parse_cents(self.amount.data)


class CostsForm(FlaskForm):
    """Step 3: how the idea is funded and what it costs."""

    destination = answer_field(
        _l("How should your idea be funded?"),
        _l("Choose how your idea should be funded."),
        DESTINATION_LABELS,
    )
    lines = FieldList(FormField(CostLineForm), min_entries=5, max_entries=30)
    add_rows = SubmitField(_l("More rows"))
    submit = SubmitField(_l("Save and continue"))

    def parsed_lines(self) -> list[tuple[str, int]]:
        """Return the filled-in rows as (item, cents)."""
        return [parsed for row in self.lines if (parsed := row.form.parsed()) is not None]


class PhotosForm(FlaskForm):
    """Step 4: photos, location and the people involved."""

    photos = photos_field(_l("Add photos"))
    remove_photo_ids = MultiCheckboxField(
        _l("Remove photos"), coerce=int_or_none, validate_choice=False
    )
    location_text = line_field(
        _l("Location (optional)"),
        limit=200,
        description=_l(
            "An address or a place people know, for example: the playground on the Molenstraat."
        ),
    )
    latitude = degrees_field("latitude")
    longitude = degrees_field("longitude")
    people_involved = text_field(
        _l("Who is involved?"),
        limit=2000,
        description=_l(
            "Neighbours, organisations or a school that help. Names are shown on the idea page."
        ),
    )
    submit = SubmitField(_l("Save and continue"))


class SearchForm(GetForm):
    """Browse and search ideas (a GET form)."""

    q = line_field(_l("Search"), limit=100, one_line=False)
    gebied = filter_select(_l("Area"))
    speerpunt = filter_select(_l("Spearhead"))
    status = SelectField(_l("Status"), validate_choice=False, validators=[Optional()])
    sort = SelectField(
        _l("Order"),
        choices=[
            SelectChoice("new", _l("Newest first")),
            SelectChoice("support", _l("Most supported first")),
        ],
        validate_choice=False,
        validators=[Optional()],
    )
