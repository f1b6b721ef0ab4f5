"""The ranking of candidate mentors on a known data set: exact order and explanations."""

import pytest

from tracker.insights.suggestions import Candidate, rank, weakest_factors

NUMBERS = {101: 1, 102: 2, 103: 3, 104: 4, 105: 5, 106: 6}  # live factors; 107 is retired
LEVELS = {101: 3, 102: 0, 103: 4, 104: 1, 105: 1, 106: 2, 107: 0}


@pytest.fixture
def explained(app):
    with app.test_request_context():
        yield


def test_the_weakest_factors_are_the_lowest_live_ones_lower_number_first():
    assert weakest_factors(LEVELS, NUMBERS) == [102, 104, 105, 106]
    assert weakest_factors({101: 2}, NUMBERS) == [101]
    assert weakest_factors({107: 0}, NUMBERS) == []


def test_candidates_rank_by_strength_then_lead_then_fewer_mentored(explained):
    candidates = [
        Candidate(1, "Gdańsk", {102: 3, 104: 4, 105: 2, 106: 3}, mentoring=2),
        Candidate(2, "Łódź", {102: 4, 104: 3, 105: 3, 106: 1}, mentoring=0),
        Candidate(3, "München", {102: 4, 104: 4, 105: 4, 106: 4}, mentoring=5),
        Candidate(4, "Rīga", {}, mentoring=0),
        Candidate(5, "Porto", {102: 2, 104: 2, 107: 4}, mentoring=0),
    ]
    ranked = rank(LEVELS, NUMBERS, candidates)
    assert [(each.candidate.city_name, each.explanation) for each in ranked] == [
        ("München", "Strong on 4 of your 4 weakest factors: 2, 4, 5, 6"),
        ("Łódź", "Strong on 3 of your 4 weakest factors: 2, 4, 5"),
        ("Gdańsk", "Strong on 3 of your 4 weakest factors: 2, 4, 6"),
        ("Porto", "Strong on none of your 4 weakest factors."),
        ("Rīga", "Strong on none of your 4 weakest factors."),
    ]
    assert [each.lead for each in ranked] == [12, 8, 8, 3, 0]


def test_a_city_that_rated_nothing_gets_no_ranking_and_no_error(explained):
    assert rank({}, NUMBERS, [Candidate(1, "Gdańsk", {102: 4}, 0)]) == []
    assert rank({101: 2}, {}, [Candidate(1, "Gdańsk", {101: 4}, 0)]) == []


def test_a_city_with_one_weakest_factor(explained):
    ranked = rank({101: 1}, NUMBERS, [Candidate(1, "Gdańsk", {101: 3}, 0)])
    assert ranked[0].explanation == "Strong on 1 of your 1 weakest factor: 1"
