"""Round services: phases and rules, set-up, eligibility, casting ballots and counts.

Services flush and leave the commit to the caller. One code or account gives at most one
ballot per area, also under concurrent submissions. The public names of every module are
importable from here.
"""

from buurtbegroting.rounds.services.casting import (  # noqa: F401
    account_areas,
    age_on,
    cast_ballot,
    check_account,
    check_code,
    code_by_hash,
    code_refusal,
    find_code,
    has_voted,
    network_prefix,
    record_network,
)
from buurtbegroting.rounds.services.counts import (  # noqa: F401
    AreaChoice,
    area_by_id,
    area_for_voting,
    areas_of,
    ballot_counts,
    item_costs,
    live_scores,
    open_rounds,
)
from buurtbegroting.rounds.services.display import ballot_cards, ballot_costs  # noqa: F401
from buurtbegroting.rounds.services.phases import (  # noqa: F401
    VoteRefused,
    ballot_problem_message,
    ballot_rules,
    code_problem_message,
    is_locked,
    phase,
    voting_code_hash,
)
from buurtbegroting.rounds.services.reminders import (  # noqa: F401
    mark_started,
    remind_unfinished,
)
from buurtbegroting.rounds.services.second_area import (  # noqa: F401
    has_second,
    home_area_ids,
    other_areas,
    voted_at_home,
)
from buurtbegroting.rounds.services.setup import (  # noqa: F401
    add_ballot_item,
    candidate_ideas,
    remove_ballot_item,
)
