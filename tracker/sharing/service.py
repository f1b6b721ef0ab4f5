"""Turning a programme's peer reading on or off (coordinators)."""

from __future__ import annotations

from tracker.audit.service import record
from tracker.auth.models import User
from tracker.catalogue.models import Programme
from tracker.extensions import db
from tracker.messages import N_
from tracker.sharing.models import PeerReading


def set_peer_reading(actor: User, programme: Programme, on: bool) -> None:
    """Turn peer reading on or off (choosing what it already is records nothing)."""
    current = db.session.get(PeerReading, programme.id)
    if (current is not None) == on:
        return
    if on:
        db.session.add(PeerReading(programme_id=programme.id, turned_on_by_id=actor.id))
    else:
        db.session.delete(current)
    db.session.flush()
    record(
        actor,
        "programme.peer_reading_on" if on else "programme.peer_reading_off",
        programme,
        N_("Peer reading in %(programme)s: on", programme=programme.name)
        if on
        else N_("Peer reading in %(programme)s: off", programme=programme.name),
    )
