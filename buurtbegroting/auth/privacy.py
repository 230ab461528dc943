"""A resident's own data: download it (AVG art. 15/20) and delete the account (art. 17)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.arguments.queries import export_of as argument_export
from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.follows.services import export_for
from buurtbegroting.models import (
    BudgetRound,
    CoOrganiser,
    Destination,
    GroupMembership,
    Idea,
    IdeaStatus,
    Role,
    RoundArea,
    RoundVoter,
    Support,
    User,
)
from buurtbegroting.models.users import FORMER_RESIDENT_EMAIL
from buurtbegroting.photos import FileChanges, commit, upload_folder


class AccountKept(DomainError):
    """The account cannot be deleted now; ``messages`` say why."""

    def __init__(self, messages):
        super().__init__(messages)
        self.messages = list(messages)


def _iso(value):
    return value.isoformat() if value is not None else None


def _rows(model, condition, related) -> list:
    """Return the rows of ``model`` that meet ``condition`` with ``related`` loaded, oldest first."""
    return db.session.scalars(
        select(model).where(condition).options(selectinload(related)).order_by(model.id)
    ).all()


def commit_deletion(files: list[str]) -> None:
    """Commit an account's deletion, then remove the photo files of its deleted drafts."""
    changes = FileChanges()
    for name in files:
        changes.delete_photo(upload_folder("ideas"), name)
    commit(changes)


def export_data(user: User) -> dict[str, Any]:
    """Return everything the platform keeps about the account, as JSON-safe data.

    Ballots are not in it: they are anonymous and cannot be found from the account.
    Whether the account voted is not in it either (the account page does not show it).
    """
    ideas = db.session.scalars(
        select(Idea)
        .where(Idea.author_id == user.id)
        .options(selectinload(Idea.cost_lines), selectinload(Idea.area))
        .order_by(Idea.id)
    ).all()
    supports = db.session.execute(
        select(Support.created_at, Idea.id, Idea.title)
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    ).all()
    memberships = _rows(GroupMembership, GroupMembership.user_id == user.id, GroupMembership.group)
    co_organised = _rows(CoOrganiser, CoOrganiser.email == user.email, CoOrganiser.idea)
    return {
        "account": {
            "email": user.email,
            "email_verified_at": _iso(user.email_verified_at),
            "display_name": user.display_name,
            "postcode": user.postcode,
            "area": user.area.name if user.area else None,
            "birth_date": _iso(user.birth_date),
            "locale": user.locale,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "ideas": [
            {
                "id": idea.id,
                "title": idea.title,
                "summary": idea.summary,
                "description": idea.description,
                "area": idea.area.name,
                "status": idea.status.value,
                "destination": idea.destination.value,
                "location": idea.location_text,
                "latitude": idea.latitude,
                "longitude": idea.longitude,
                "people_involved": idea.people_involved,
                "cost_lines": [
                    {"item": line.item, "amount_cents": line.amount_cents}
                    for line in idea.cost_lines
                ],
                "created_at": _iso(idea.created_at),
                "submitted_at": _iso(idea.submitted_at),
            }
            for idea in ideas
        ],
        "supports": [
            {"idea_id": idea_id, "title": title, "created_at": _iso(created_at)}
            for created_at, idea_id, title in supports
        ],
        "group_memberships": [
            {"group": m.group.name, "role": m.role.value, "joined_at": _iso(m.joined_at)}
            for m in memberships
        ],
        "cheque_initiatives": [
            {
                "idea_id": idea.id,
                "title": idea.title,
                "role": "owner",
                "target_cents": idea.target_cents,
                "target_date": _iso(idea.target_date),
            }
            for idea in ideas
            if idea.destination == Destination.CHEQUES
        ]
        + [
            {
                "idea_id": row.idea_id,
                "title": row.idea.title,
                "role": "co-organiser",
                "name": row.name,
                "confirmed_at": _iso(row.confirmed_at),
            }
            for row in co_organised
        ],
        **export_for(user.id),
        **argument_export(user),
    }


def former_resident() -> User:
    """Return the one inactive account that holds the ideas of deleted accounts ("a resident")."""
    found = db.session.scalar(select(User).where(User.email == FORMER_RESIDENT_EMAIL))
    if found is None:
        found = User(
            email=FORMER_RESIDENT_EMAIL,
            # No scrypt hash matches "!": nobody can log in to this account.
            password_hash="!",
            display_name="-",
            role=Role.RESIDENT,
            is_active=False,
        )
        db.session.add(found)
        db.session.flush()
    return found


def _voted_in_open_round(user: User) -> bool:
    return (
        db.session.scalar(
            select(RoundVoter.user_id)
            .join(RoundArea, RoundArea.id == RoundVoter.round_area_id)
            .join(BudgetRound, BudgetRound.id == RoundArea.round_id)
            .where(RoundVoter.user_id == user.id, BudgetRound.closed_at.is_(None))
            .limit(1)
        )
        is not None
    )


def delete_account(user: User, actor: User | None) -> list[str]:
    """Delete the account and what only it needs; flush only. Return photo files to remove.

    Drafts disappear; ideas past draft (others rely on them: supporters, reviewers, a
    ballot, a funding) stay as "a resident". Every other reference to the account is
    removed or emptied. ``actor`` is the administrator, or None when the owner deletes.
    """
    if user.email == FORMER_RESIDENT_EMAIL:
        raise AccountKept([_l("This account cannot be deleted.")])
    if actor is not None and actor.id == user.id:
        raise AccountKept(
            [_l("You cannot delete your own account here. Ask another administrator.")]
        )
    if _voted_in_open_round(user):
        # Deleting now would remove the mark that this account has voted.
        raise AccountKept(
            [
                _l(
                    "This account has voted in a vote that is still open. Delete it after the vote closes."
                )
            ]
        )
    user_id, role, email = user.id, user.role, user.email
    drafts = db.session.scalars(
        select(Idea)
        .where(Idea.author_id == user_id, Idea.status == IdeaStatus.DRAFT)
        .options(selectinload(Idea.photos))
    ).all()
    photo_files = [p.filename for idea in drafts for p in idea.photos]
    for idea in drafts:
        db.session.execute(delete(Support).where(Support.idea_id == idea.id))
        db.session.execute(delete(CoOrganiser).where(CoOrganiser.idea_id == idea.id))
        db.session.delete(idea)
    db.session.flush()
    kept = db.session.scalars(select(Idea.id).where(Idea.author_id == user_id)).all()
    if kept:
        placeholder = former_resident()
        db.session.execute(
            update(Idea).where(Idea.author_id == user_id).values(author_id=placeholder.id)
        )
    _detach(user_id, keep_actor_label=role != Role.RESIDENT)
    db.session.expunge(user)
    db.session.execute(delete(User.__table__).where(User.__table__.c.id == user_id))
    entry = audit.record(
        actor,
        "user.delete",
        object_type="users",
        object_id=user_id,
        summary="" if actor is None else email,
        before={"role": role.value},
        after={"drafts_deleted": len(drafts), "ideas_kept": len(kept)},
    )
    if actor is None:
        entry.actor_label = "account owner"
    db.session.flush()
    return photo_files


def _detach(user_id: int, keep_actor_label: bool) -> None:
    """Remove or empty every other row that points at the account."""
    users_id = User.__table__.c.id
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is not users_id or table.name == "users":
                continue
            column = fk.parent
            if table.name == "ideas" and column.name == "author_id":
                continue  # handled above
            if fk.ondelete == "CASCADE":
                db.session.execute(delete(table).where(column == user_id))
            elif column.nullable:
                values = {column.name: None}
                if table.name == "audit_entries" and not keep_actor_label:
                    # Staff acts keep who did them; a resident's address goes.
                    values["actor_label"] = "deleted account"
                db.session.execute(update(table).where(column == user_id).values(**values))
            else:
                raise RuntimeError(f"{table.name}.{column.name} keeps deleted accounts")
