"""Running one attempt in many threads at once, each in its own app context and session."""

from __future__ import annotations

import threading
from collections.abc import Callable

from buurtbegroting.extensions import db


def run_at_once(app, attempts: list[Callable[[], None]], refused: type[Exception]) -> list[str]:
    """Start every attempt at the same moment; return "ok", "refused" or the error of each."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                attempt()
                db.session.commit()
                outcomes.append("ok")
            except refused:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
