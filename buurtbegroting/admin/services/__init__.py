"""Services of the administration: imports, areas, plans, indicators, users.

Every service takes the acting user explicitly, writes an audit entry, flushes and
leaves the commit to the caller. Imports check the whole file first and write
nothing when any row is bad. The public names are re-exported here, so that
``from buurtbegroting.admin.services import ...`` keeps working.
"""

from buurtbegroting.admin.services.areas import (
    WrongParent,
    area_tree,
    areas_with_indicators,
    indicator_query,
    indicator_years,
    parent_choices,
    postcode_query,
    update_area,
)
from buurtbegroting.admin.services.imports import (
    ImportRejected,
    ImportSummary,
    import_areas,
    import_indicators,
    import_postcodes,
)
from buurtbegroting.admin.services.log import audit_filter_values, audit_query
from buurtbegroting.admin.services.plans import (
    PlanHasNoSpearheads,
    PlanIsAdopted,
    add_spearhead,
    adopt_plan,
    create_plan,
    delete_spearhead,
    manageable_areas,
    move_spearhead,
    plan_query,
    revert_plan_to_draft,
    update_plan,
    update_spearhead,
)
from buurtbegroting.admin.services.users import (
    CoordinatorNeedsAreas,
    coordinator_area_choices,
    update_user,
    user_query,
)

__all__ = [
    "CoordinatorNeedsAreas",
    "ImportRejected",
    "ImportSummary",
    "PlanHasNoSpearheads",
    "PlanIsAdopted",
    "WrongParent",
    "add_spearhead",
    "adopt_plan",
    "area_tree",
    "areas_with_indicators",
    "audit_filter_values",
    "audit_query",
    "coordinator_area_choices",
    "create_plan",
    "delete_spearhead",
    "import_areas",
    "import_indicators",
    "import_postcodes",
    "indicator_query",
    "indicator_years",
    "manageable_areas",
    "move_spearhead",
    "parent_choices",
    "plan_query",
    "postcode_query",
    "revert_plan_to_draft",
    "update_area",
    "update_plan",
    "update_spearhead",
    "update_user",
    "user_query",
]
