"""Rows written once for what they show (tracker.fragments): a change to anything a row shows
writes it again, each language gets its own words, and a fragment cannot read what its key
does not hold."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import UndefinedError

from config import TestConfig
from tests.helpers import page_text
from tracker import create_app
from tracker.plans.models import ActionStatus, PlanStatus

DASHBOARD = "/?programme=cities-grow&sort=theme"


def pair_row(client) -> str:
    page = page_text(client.get(DASHBOARD))
    row = page[page.index("B · Gdańsk → Łódź") :]
    return row[: row.index("Plan progress per theme")]


@pytest.fixture
def polish_pair(make, scheme):
    """The scheme's pair between two Polish cities, with a plan of one action."""
    pair = scheme["pair"]
    pair.mentor_city.name, pair.implementing_city.name = "Gdańsk", "Łódź"
    plan = make.plan(pair, status=PlanStatus.IN_IMPLEMENTATION)
    action = make.action(plan, status=ActionStatus.ON_TRACK, progress=20, title="Fair «Łódź»")
    return {"pair": pair, "plan": plan, "action": action}


def test_a_row_is_written_again_when_what_it_shows_changes(
    client, login_as, scheme, polish_pair, session
):
    login_as(scheme["coordinator"])
    assert "20%" in pair_row(client)
    polish_pair["action"].progress = 65
    polish_pair["pair"].implementing_city.name = 'Łódź "Miasto" ‏עיר'
    session.flush()
    row = pair_row(client)
    assert "65%" in row and "20%" not in row
    assert 'Łódź "Miasto" ‏עיר' in page_text(client.get(DASHBOARD))


def test_the_same_row_is_written_in_each_readers_language(
    client, login_as, scheme, polish_pair, session
):
    login_as(scheme["coordinator"])
    english = client.get(DASHBOARD, headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get(DASHBOARD, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    with force_locale("fr"):
        last_visit = _("Last visit")
    assert last_visit != "Last visit"
    assert f'data-label="{last_visit}"' in french
    assert 'data-label="Last visit"' in english and 'data-label="Last visit"' not in french


def test_a_fragment_cannot_read_the_user_or_the_request(app):
    environment = app.extensions["fragments"].environment
    with app.test_request_context("/"):
        for name in ("current_user", "request", "may", "session", "g", "config"):
            with pytest.raises(UndefinedError):
                environment.from_string(f"{{{{ {name}.anything }}}}").render()


def test_rows_are_not_kept_while_templates_reload_as_they_are_edited(tmp_path):
    url = f"sqlite:///{tmp_path / 'debug.sqlite'}"
    editing = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DEBUG": True})
    serving = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    assert not hasattr(editing.extensions["fragments"].kept, "cache_info")
    assert serving.extensions["fragments"].kept.cache_info().maxsize == 4096
