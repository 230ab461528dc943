"""Idea services: drafts and their steps, submission and status, supports, browsing.

Services flush and leave the commit to the caller. The public names of every module are
importable from here.
"""

from buurtbegroting.ideas.services.browsing import (  # noqa: F401
    IdeaPage,
    filter_spearheads,
    ideas_of,
    search,
    set_support,
    support_count,
    supports,
)
from buurtbegroting.ideas.services.drafts import (  # noqa: F401
    PUBLIC_STATUSES,
    IdeaRefused,
    area_choices,
    coordinated_groups,
    create_draft,
    new_submission_key,
    photo_folder,
    spearheads_for,
    update_basics,
    update_costs,
    update_photos_and_people,
    update_theme,
)
from buurtbegroting.ideas.services.status import (  # noqa: F401
    change_status,
    destination_rules,
    problem_messages,
    submission_problems,
    submit,
    withdraw,
)
