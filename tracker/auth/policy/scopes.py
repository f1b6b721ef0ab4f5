"""What each user may see, as SQL conditions: every list, count, search, export and chart is
built on these, so a user's scope is written once."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.audit.models import AuditEntry
from tracker.auth.models import Role, User
from tracker.catalogue.models import Theme
from tracker.deliverables.models import Deliverable
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair
from tracker.sharing.models import PeerReading


def pair_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Pair that holds for exactly the pairs the user may see."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    if user.role is Role.CITY:
        return sa.or_(
            Pair.mentor_city_id == user.organisation_id,
            Pair.implementing_city_id == user.organisation_id,
        )
    return Pair.theme_id.in_(facilitated_themes(user))


def facilitated_themes(user: User) -> sa.Select[tuple[int]]:
    """The ids of the themes the user's organisation facilitates."""
    return sa.select(Theme.id).where(Theme.expert_organisation_id == user.organisation_id)


def visible_pairs(user: User) -> sa.Select[tuple[Pair]]:
    """The pairs the user may see, as a query to refine."""
    return sa.select(Pair).where(pair_scope(user))


def deliverable_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Deliverable for the ones the user may see: programme-wide ones, those
    of the pairs and themes they work on, and those their organisation is responsible for."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    if user.role is Role.EXPERT:
        in_my_themes = Deliverable.theme_id.in_(facilitated_themes(user))
    else:
        in_my_themes = sa.or_(
            Deliverable.pair_id.in_(visible_pairs(user).with_only_columns(Pair.id)),
            sa.and_(
                Deliverable.pair_id.is_(None),
                Deliverable.theme_id.in_(visible_pairs(user).with_only_columns(Pair.theme_id)),
            ),
        )
    return sa.or_(
        Deliverable.theme_id.is_(None),
        Deliverable.responsible_organisation_id == user.organisation_id,
        in_my_themes,
    )


def organisation_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Organisation for the ones the user may see: their own and the cities
    of their pairs (coordinators: every one)."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    return sa.or_(
        Organisation.id == user.organisation_id,
        Organisation.id.in_(visible_pairs(user).with_only_columns(Pair.mentor_city_id)),
        Organisation.id.in_(visible_pairs(user).with_only_columns(Pair.implementing_city_id)),
    )


def activity_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on AuditEntry for the changes the user may see: those of their pairs
    (coordinators: everything, including accounts and the catalogue)."""
    if user.role is Role.COORDINATOR:
        return sa.true()
    return AuditEntry.pair_id.in_(visible_pairs(user).with_only_columns(Pair.id))


def people_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on User for the people the user may find: those of their organisation,
    of the cities of their pairs and of the expert partners of those pairs' themes, and the
    coordinators (coordinators: every account). Erased accounts are nobody to find."""
    if user.role is Role.COORDINATOR:
        return User.erased_at.is_(None)
    pairs = visible_pairs(user).subquery()
    return sa.and_(
        User.erased_at.is_(None),
        sa.or_(
            User.organisation_id == user.organisation_id,
            User.role == Role.COORDINATOR,
            User.organisation_id.in_(sa.select(pairs.c.mentor_city_id)),
            User.organisation_id.in_(sa.select(pairs.c.implementing_city_id)),
            User.organisation_id.in_(
                sa.select(Theme.expert_organisation_id).where(
                    Theme.id.in_(sa.select(pairs.c.theme_id))
                )
            ),
        ),
    )


def peer_reading_programmes(user: User) -> sa.Select[tuple[int]]:
    """The ids of the programmes whose pairs the user reads as a peer: those with peer reading
    on in which the user's city is paired (none for anyone but a city member)."""
    if user.role is not Role.CITY:
        return sa.select(PeerReading.programme_id).where(sa.false())
    return (
        sa.select(PeerReading.programme_id)
        .join(Theme, Theme.programme_id == PeerReading.programme_id)
        .join(Pair, Pair.theme_id == Theme.id)
        .where(
            sa.or_(
                Pair.mentor_city_id == user.organisation_id,
                Pair.implementing_city_id == user.organisation_id,
            )
        )
        .distinct()
    )


def shared_pair_scope(user: User) -> sa.ColumnElement[bool]:
    """A SQL condition on Pair for the other pairs the user reads as shared within their
    programme: a city member's peers (not their own pairs); for coordinators, every pair of a
    programme with peer reading on."""
    if user.role is Role.COORDINATOR:
        shared = sa.select(PeerReading.programme_id)
    else:
        shared = peer_reading_programmes(user)
    in_shared = Pair.theme_id.in_(sa.select(Theme.id).where(Theme.programme_id.in_(shared)))
    if user.role is Role.COORDINATOR:
        return in_shared
    return sa.and_(in_shared, sa.not_(pair_scope(user)))
