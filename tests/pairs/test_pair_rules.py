"""The database refuses pairs that break the pairing rules."""

import pytest
from sqlalchemy.exc import IntegrityError

from tracker.pairs.models import Pair


def add_pair(session, theme, mentor, implementing):
    session.add(Pair(theme=theme, mentor_city=mentor, implementing_city=implementing))
    session.flush()


def test_a_city_cannot_mentor_itself(session, make):
    city = make.city()
    with pytest.raises(IntegrityError, match="two_different_cities"):
        add_pair(session, make.theme(), city, city)


def test_the_same_pair_twice_in_a_theme_is_refused(session, make):
    mentor, implementing = make.city(), make.city()
    add_pair(session, make.theme(), mentor, implementing)
    with pytest.raises(IntegrityError):
        add_pair(session, make.theme(), mentor, implementing)


def test_the_same_two_cities_with_roles_swapped_are_refused_in_one_theme(session, make):
    first, second = make.city(), make.city()
    add_pair(session, make.theme(), first, second)
    with pytest.raises(IntegrityError):
        add_pair(session, make.theme(), second, first)


def test_the_same_two_cities_may_pair_again_in_another_theme(session, make):
    first, second = make.city(), make.city()
    add_pair(session, make.theme(code="A"), first, second)
    add_pair(session, make.theme(code="B"), first, second)
    add_pair(session, make.theme(code="C"), second, first)


def test_a_city_can_be_in_several_pairs_of_one_theme(session, make):
    mentor = make.city()
    add_pair(session, make.theme(), mentor, make.city())
    add_pair(session, make.theme(), mentor, make.city())
