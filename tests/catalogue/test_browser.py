"""Every signed-in user can browse programmes, themes and factors."""

import pytest

from tests.helpers import QueryCounter, page_text
from tracker.auth.models import Role


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_benchmark_browser(client, login_as, make, role):
    login_as(make.user(role))
    assert "CITIES GROW" in page_text(client.get("/catalogue/"))
    programme = page_text(client.get("/catalogue/cities-grow"))
    assert "Matching buyers and suppliers" in programme and "Context factors" in programme
    theme = page_text(client.get("/catalogue/cities-grow/themes/A"))
    assert "Mapping and needs assessment" in theme
    assert "Guide questions" in theme and "Good-practice examples" in theme


def test_a_theme_without_a_benchmark_says_so(client, login_as, make):
    login_as(make.city_member())
    assert "no benchmark factors yet" in page_text(client.get("/catalogue/cities-grow/themes/D"))


def test_unknown_programme_or_theme_is_not_found(client, login_as, make):
    login_as(make.city_member())
    assert client.get("/catalogue/no-such-programme").status_code == 404
    assert client.get("/catalogue/cities-grow/themes/Z").status_code == 404


def test_the_theme_page_loads_in_a_fixed_number_of_queries(client, login_as, make):
    login_as(make.city_member())
    with QueryCounter() as small:
        client.get("/catalogue/cities-grow/themes/A")  # 7 factors
    with QueryCounter() as large:
        client.get("/catalogue/cities-grow/themes/B")  # 10 factors
    assert small.count == large.count, (small.statements, large.statements)
