"""A table's row links, built once per table (tracker.links.row_link), are the links url_for
builds for each row, under a path prefix too."""

from __future__ import annotations

import pytest
from flask import url_for

from tracker.links import row_link


def test_a_row_link_is_the_link_url_for_builds(app):
    with app.test_request_context():
        pair_link = row_link("pairs.show", "pair_id")
        action_link = row_link("plans.show_action", "action_id")
        for ident in (1, 7, 918273, 2**40):
            assert pair_link(ident) == url_for("pairs.show", pair_id=ident)
            assert action_link(ident) == url_for("plans.show_action", action_id=ident)


def test_a_row_link_keeps_the_installations_path_prefix_and_other_values(app):
    with app.test_request_context("/", base_url="https://example.org/tracker"):
        checkin_link = row_link("checkins.answer", "pair_id", months=6)
        assert checkin_link(12) == url_for("checkins.answer", pair_id=12, months=6)
        assert checkin_link(12).startswith("/tracker/")


def test_a_row_link_takes_only_a_whole_number(app):
    with app.test_request_context():
        link = row_link("pairs.show", "pair_id")
        assert link("42") == "/pairs/42"
        with pytest.raises(ValueError):
            link("42/../admin")
