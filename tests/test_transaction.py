"""How a save that loses a race with another is answered: a refusal the user can act on."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.exceptions import RuleViolation
from tracker.transaction import commit_or_refuse


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing_with(sqlstate: str):
    def save() -> None:
        raise sa.exc.OperationalError("UPDATE action_plan SET …", {}, DriverError(sqlstate))

    return save


def test_a_save_that_deadlocked_with_another_is_refused_with_the_look_again_message(session):
    with pytest.raises(RuleViolation) as refused:
        commit_or_refuse(failing_with("40P01"))
    assert "saved a change here at the same moment" in str(refused.value.message)


def test_other_database_errors_are_not_dressed_up_as_refusals(session):
    with pytest.raises(sa.exc.OperationalError):
        commit_or_refuse(failing_with("53300"))  # too many connections: a real fault
