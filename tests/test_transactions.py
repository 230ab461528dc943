"""A rollback undoes everything the request wrote, savepoints included, on both databases.

pysqlite opens a transaction only before the first INSERT/UPDATE/DELETE. When a
request's first write sat inside ``begin_nested()``, SQLite began the transaction at
the SAVEPOINT and its RELEASE committed it, so a later rollback left those rows behind.
"""

from sqlalchemy import func, select

from buurtbegroting.models import VotingCode
from buurtbegroting.rounds import codes
from tests.factories import make_district, make_neighbourhood
from tests.factories.rounds import make_round


def _codes(db) -> int:
    return db.session.scalar(select(func.count()).select_from(VotingCode))


def test_codes_made_in_savepoints_go_when_the_request_rolls_back(app, db):
    district = make_district()
    area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    round_ = make_round([(area, 1_000_000)], phase="review")
    db.session.commit()
    made = codes.generate_codes(round_.areas[0], 5, actor=None)
    assert len(made) == 5 and _codes(db) == 5
    db.session.rollback()
    assert _codes(db) == 0


def test_a_savepoint_inside_a_transaction_still_rolls_back_alone(app, db):
    district = make_district()
    area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    round_ = make_round([(area, 1_000_000)], phase="review")
    db.session.commit()
    codes.generate_codes(round_.areas[0], 2, actor=None)
    nested = db.session.begin_nested()
    codes.generate_codes(round_.areas[0], 3, actor=None)
    nested.rollback()
    assert _codes(db) == 2
    db.session.commit()
    assert _codes(db) == 2
