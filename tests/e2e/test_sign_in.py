"""Each demo user signs in in a real browser and lands on their own dashboard."""

import pytest

from tests.e2e.conftest import screenshot, sign_in


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("coordinator", "Pairs at a glance"),
        ("riga", "Riga"),
        ("expert", "MigrationWork"),
    ],
)
def test_a_demo_user_signs_in_and_sees_their_dashboard(page, who, heading):
    sign_in(page, who)
    assert heading in page.locator("main").inner_text()
    screenshot(page, f"home-{who}")
