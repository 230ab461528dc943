"""Voting codes for letters, paper ballots (single and double entry) and network signals.

Plain voting codes exist only in memory while their export is written: the database
keeps a keyed hash of each code. Services flush and leave the commit to the caller, so
that a view or a command commits only after the export has been written.

The administration pages (blueprint ``round_codes``) are in ``views/``; the public names
of every module are importable from here.
"""

from flask import Blueprint  # noqa: E402

from buurtbegroting.rounds.codes.common import (  # noqa: F401
    BATCH_NAME,
    MAX_CODES,
    MAX_CODES_WEB,
    PAPER_PHASES,
    CodesRefused,
)
from buurtbegroting.rounds.codes.counts import (  # noqa: F401
    code_counts,
    reissue_code,
)
from buurtbegroting.rounds.codes.letters import (  # noqa: F401
    CSS_PATH,
    CSV_HEADER,
    INSERT_CHUNK,
    LETTERS_PER_FILE,
    VOTE_ENDPOINT,
    Letter,
    check_count,
    export_csv,
    export_zip,
    generate_codes,
    letter_files,
    letters_html,
    record_export,
    vote_url_builder,
    write_csv,
)
from buurtbegroting.rounds.codes.paper import (  # noqa: F401
    BatchSummary,
    Comparison,
    add_paper_entry,
    batch_entries,
    batch_name_taken,
    batches,
    change_paper_entry,
    check_batch_name,
    check_choices,
    check_paper_phase,
    check_typist,
    compare_batch,
    discard_batch,
    enter_paper_ballot,
    paper_code,
    remove_paper_entry,
    save_batch,
    typist_of,
)
from buurtbegroting.rounds.codes.signals import (  # noqa: F401
    SignalDay,
    network_signals,
)

bp = Blueprint("round_codes", __name__)

from buurtbegroting.rounds.codes import views  # noqa: E402,F401  (registers the routes)
