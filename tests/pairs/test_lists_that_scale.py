"""The pairs, users and organisations lists filter, page, and keep their filters in the address
(issue 18, item 6)."""

import re

from tests.helpers import page_text
from tracker.auth.models import Role
from tracker.pairs.models import PairStatus


def rows(response) -> list[str]:
    """The text of each body row of the page's table."""
    html = response.get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [
        re.sub(r"<[^>]+>|\s+", " ", row).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_pairs_filter_by_theme_status_and_city_and_page(client, login_as, make, scheme):
    gdansk, riga = make.city("Gdańsk"), scheme["pair"].implementing_city
    theme_a = make.theme(code="A")
    make.pair(theme_a, mentor=gdansk, implementing=riga, status=PairStatus.COMPLETED)
    for _number in range(55):
        make.pair(theme_a)
    login_as(scheme["coordinator"])
    first = client.get("/pairs/")
    assert "57 pairs" in page_text(first) and len(rows(first)) == 50
    second = client.get("/pairs/?page=2")
    assert len(rows(second)) == 7
    by_city = client.get(f"/pairs/?city={gdansk.id}")
    (only,) = rows(by_city)
    assert "Gdańsk" in only
    riga_pairs = rows(client.get(f"/pairs/?city={riga.id}"))
    assert len(riga_pairs) == 2
    completed = rows(client.get(f"/pairs/?city={riga.id}&status=completed"))
    assert len(completed) == 1 and "Completed" in completed[0]
    assert len(rows(client.get(f"/pairs/?theme={scheme['theme'].id}"))) == 1
    programme = scheme["theme"].programme_id
    assert "57 pairs" in page_text(client.get(f"/pairs/?programme={programme}"))
    assert "No pairs match these filters" in page_text(client.get("/pairs/?status=withdrawn"))


def test_the_next_page_keeps_the_filter(client, login_as, make, scheme):
    theme_a = make.theme(code="A")
    for _number in range(51):
        make.pair(theme_a)
    login_as(scheme["coordinator"])
    html = client.get(f"/pairs/?theme={theme_a.id}").get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"theme={theme_a.id}" in next_link and "page=2" in next_link
    assert len(rows(client.get(next_link))) == 1


def test_a_city_officer_filters_only_among_their_cities(client, login_as, make, scheme):
    make.pair(make.theme(code="A"), mentor=make.city("Łódź"), implementing=make.city("Kraków"))
    login_as(scheme["implementer"])
    response = client.get("/pairs/")
    assert "Łódź" not in response.text and "Kraków" not in response.text
    assert "1 pair" in page_text(response) and len(rows(response)) == 1


def test_users_filter_by_name_organisation_role_and_active(client, login_as, make, scheme):
    riga = scheme["pair"].implementing_city
    make.city_member(riga, name="Jānis Bērziņš", email="janis@riga.example", active=False)
    login_as(scheme["coordinator"])
    found = rows(client.get("/users/?q=berzins"))
    assert len(found) == 1 and "Jānis Bērziņš" in found[0]
    assert len(rows(client.get("/users/?q=RIGA.example"))) == 1
    in_riga = rows(client.get(f"/users/?organisation={riga.id}"))
    assert {row.split(" ")[0] for row in in_riga} == {"Anna", "Jānis"}
    assert len(rows(client.get(f"/users/?organisation={riga.id}&active=1"))) == 1
    inactive = rows(client.get("/users/?active=0"))
    assert len(inactive) == 1 and "inactive" in inactive[0]
    experts = rows(client.get(f"/users/?role={Role.EXPERT.value}"))
    assert {row.split(" ")[0] for row in experts} == {"Jonathan", "Someone"}
    assert "No account matches these filters" in page_text(client.get("/users/?q=nobody%25"))


def test_users_are_paged(client, login_as, make, scheme):
    for number in range(60):
        make.city_member(scheme["pair"].implementing_city, name=f"Zz Person {number:02d}")
    login_as(scheme["coordinator"])
    first = client.get("/users/?q=zz")
    assert "60 accounts" in page_text(first) and len(rows(first)) == 50
    assert len(rows(client.get("/users/?q=zz&page=2"))) == 10


def test_organisations_filter_by_kind_and_country(client, login_as, make, scheme):
    make.city("Gdańsk", country="Poland")
    make.city("Łódź", country="Poland")
    login_as(scheme["coordinator"])
    polish = rows(client.get("/organisations/?country=Poland"))
    assert [row.split(" ")[0] for row in polish] == ["Gdańsk", "Łódź"]
    experts = rows(client.get("/organisations/?kind=expert"))
    assert experts and all("Expert partner" in row for row in experts)
    assert "No organisation matches these filters" in page_text(
        client.get("/organisations/?kind=network&country=Poland")
    )
