"""The loops of PRODUCT.md in one scenario, in a real browser, through the pages people use.

The coordinator pairs Helsinki (mentor) and Riga (implementing) on ImpleMentoring's theme A: the
demo pairs them on CITIES GROW's theme B only, and MigrationWork, the demo expert's organisation,
facilitates both themes, so every demo user has a part. The coordinator plans a visit; the
expert reports on it; Riga takes its baseline self-assessment, turns the recommendations into
actions and submits its plan; Helsinki comments; the coordinator records both endorsements; Riga
posts progress; the coordinator generates the infographic and attaches it to its deliverable;
the reminder job, run from the coordinators' jobs page, reminds Riga of an action due soon, and
Riga opens the reminder; the coordinator sees the scheme on track on the dashboard.

Each user works in a browser context of their own. Screenshots of the main pages go to
test-artifacts/screenshots/; with SAVE_README_SCREENSHOTS=1 the README's six are refreshed in
docs/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from config import BASE_DIR
from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in

expect = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright: make install"
).expect

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

THEME = "A. Engagement of migrant communities in local policy making and political participation"
PROGRAMME = "ImpleMentoring"
PAIR = "Helsinki → Riga"
PAIR_NAME = f"A · {PAIR}"  # as messages name it, away from the pair's own pages
PAIR_HEADING = "Helsinki mentors Riga"  # the arrow is hidden from assistive technology
# The coordinator, the expert and the reminder jobs count days in Brussels (the demo's time zone
# for them, and SCHEDULER_TIMEZONE): the dates typed into forms are relative to that day.
TIMEZONE = ZoneInfo("Europe/Brussels")
# The README's screenshots are 1280 pixels wide, whatever size the other browser tests use.
VIEWPORT = {"width": 1280, "height": 900}
README_SCREENSHOTS = BASE_DIR / "docs" / "screenshots"
PROGRESS = 40  # posted on the first action; the second stays at 0, so the plan is at 20%


@dataclass(frozen=True)
class Recommendation:
    """A recommendation the expert logs, and the action Riga makes of it."""

    factor: str  # as the benchmark lists it, "<position>. <title>"
    priority: str
    text: str
    action_title: str
    ends_in_days: int
    indicator: str
    target: str


RECOMMENDATIONS = [
    # Ends within the 7 days of the "action due" reminder: the reminder Riga opens at the end.
    Recommendation(
        "1. City strategy for participation",
        "High",
        "Set up a migrant advisory council that meets the heads of department every quarter.",
        "Migrant advisory council",
        5,
        "Council meetings held",
        "4 a year",
    ),
    Recommendation(
        "3. Equal access",
        "Medium",
        "Publish the city's services for newcomers in the five languages most spoken at home.",
        "City services in five languages",
        180,
        "Service pages translated",
        "All of them",
    ),
]
BASELINE_LEVELS = [1, 2, 0, 1, 3, 2, 1, 0]  # Riga's level for each of the theme's eight factors
ENDORSEMENTS = [
    ("administrative", "Board of department heads, decision 14/2026", "Administratively endorsed"),
    ("political", "Riga City Council decision 2026/311", "Politically endorsed"),
]
COMMENT = "A strong start. Could the council include young people from migrant communities?"
INFOGRAPHIC_TITLE = "Infographic: Helsinki and Riga (ImpleMentoring)"


class Screens:
    """Numbered screenshots of the loop; some are also kept, as the reader first sees them, for
    the README."""

    def __init__(self) -> None:
        self.count = 0
        self.for_readme: dict[str, Path] = {}

    def take(self, page: Page, what: str, readme: str | None = None) -> None:
        page.wait_for_load_state()  # images and the infographic drawn, not half-loaded
        self.count += 1
        screenshot(page, f"loop-{self.count:02d}-{what}")
        if readme:
            path = ARTIFACTS / f"readme-{readme}.png"
            page.screenshot(path=str(path))  # the viewport: small files, the page's top
            self.for_readme[readme] = path

    def publish_for_readme(self) -> None:
        """Copy the README's screenshots into docs/; only once the whole loop has passed."""
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, path in self.for_readme.items():
            shutil.copyfile(path, README_SCREENSHOTS / f"{name}.png")


@pytest.fixture
def people(chromium, live_server) -> Iterator[Callable[[str], Page]]:
    """Each demo user's page, in a browser context of their own, signed in on first use."""
    pages: dict[str, Page] = {}

    def page_of(who: str) -> Page:
        if who not in pages:
            context = chromium.new_context(base_url=live_server, viewport=VIEWPORT)
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())  # "Change the status?" and such
            sign_in(page, who)
            pages[who] = page
        return pages[who]

    expect.set_options(timeout=15_000)  # a shared machine: rendering a PDF can take a while
    yield page_of
    expect.set_options(timeout=5_000)
    for page in pages.values():
        page.context.close()


def test_the_whole_loop_from_pairing_to_a_reminder_opened(people):
    today = datetime.now(TIMEZONE).date()
    screens = Screens()
    coordinator = people("coordinator")
    pair_the_cities(coordinator, screens, today)
    plan_a_visit(coordinator, screens, today)
    report_on_the_visit(people("expert"), screens, today)
    riga = people("riga")
    take_the_baseline(riga, screens)
    write_and_submit_the_plan(riga, screens, today)
    comment_on_the_plan(people("helsinki"), screens)
    record_the_endorsements(coordinator, screens, today)
    post_progress(riga, screens)
    attach_the_infographic(coordinator, screens, today)
    remind_and_open_the_notification(coordinator, riga, screens)
    watch_the_pairs(coordinator, screens)
    record_a_past_visit(people("expert"), screens, today)
    delete_and_restore_an_action(riga, coordinator, screens)
    if os.environ.get("SAVE_README_SCREENSHOTS") == "1":
        screens.publish_for_readme()


# --- the steps ---------------------------------------------------------------------------------


def pair_the_cities(page: Page, screens: Screens, today: date) -> None:
    """The coordinator pairs the two cities on the theme and starts the scheme."""
    expect_heading(page, "Pairs at a glance")
    screens.take(page, "coordinator-dashboard")
    main_menu(page).get_by_role("link", name="Pairs", exact=True).click()
    expect_heading(page, "Pairs")
    expect(page.get_by_role("link", name=THEME)).to_have_count(0)  # nobody paired on it yet
    screens.take(page, "pairs-list")
    page.get_by_role("link", name="Pair two cities").click()
    expect_heading(page, "Pair two cities")
    labelled(page, "Theme").select_option(label=f"{THEME} — MigrationWork")
    labelled(page, "Mentor city").select_option(label="Helsinki")
    labelled(page, "Implementing city").select_option(label="Riga")
    labelled(page, "Starts on").fill(today.isoformat())
    labelled(page, "Ends on").fill((today + timedelta(days=540)).isoformat())
    page.get_by_role("button", name="Save the pair").click()
    expect_flash(page, f"Saved the pair {PAIR_NAME}.")
    expect_heading(page, PAIR_HEADING)
    labelled(page, "New status").select_option(label="Active")
    page.get_by_role("button", name="Change status").click()
    expect_flash(page, "The pair is now Active.")
    expect(page.get_by_role("link", name=THEME)).to_be_visible()


def plan_a_visit(page: Page, screens: Screens, today: date) -> None:
    """The coordinator plans a mentoring visit for today, with a person from each organisation."""
    page.get_by_role("link", name="Plan a visit").click()
    expect_heading(page, "Plan a visit")
    labelled(page, "Mentoring visit").check()
    labelled(page, "First day").fill(today.isoformat())
    labelled(page, "Agenda").fill(
        "Morning: the city's participation strategy with the Deputy Mayor.\n"
        "Afternoon: meeting with migrant associations at the community centre."
    )
    people = ["Anna Ozola — Riga", "Mikko Virtanen — Helsinki", "Jonathan Reed — MigrationWork"]
    for person in people:
        labelled(page, person).check()
    page.get_by_role("button", name="Save the visit").click()
    expect_flash(page, "The visit is planned.")
    expect_heading(page, "Mentoring visit: A · Helsinki and Riga")
    expect(page.get_by_text("Planned", exact=True)).to_be_visible()
    participants = page.get_by_role("region", name="Participants")
    for person in people:
        expect(participants).to_contain_text(person)
    screens.take(page, "visit-planned")


def report_on_the_visit(page: Page, screens: Screens, today: date) -> None:
    """The expert marks the visit held and logs its outcome, with two recommendations."""
    expect_heading(page, "Good to see you, Jonathan Reed")
    screens.take(page, "expert-dashboard")
    link = page.get_by_role("link", name="A · Helsinki → Riga", exact=True)
    # A scheme that started today has not had the time to hold a visit: it is not at risk.
    expect(page.get_by_role("row").filter(has=link)).to_contain_text("On track")
    link.click()
    expect_heading(page, PAIR_HEADING)
    page.get_by_role("link", name="Mentoring visit", exact=True).click()
    expect_heading(page, "Mentoring visit: A · Helsinki and Riga")
    for status in ("Confirmed", "Held"):
        labelled(page, "New status").select_option(label=status)
        page.get_by_role("button", name="Change status").click()
        expect_flash(page, f"The visit is now {status.lower()}.")
    page.get_by_role("link", name="Write the report").click()
    expect_heading(page, "Report of the mentoring visit")
    labelled(page, "Summary").fill(
        "Riga's officers and migrant associations met the mentor city and the expert. The city "
        "consults migrant communities on single projects but has no standing arrangement."
    )
    observations = page.get_by_role("group", name="Observations per factor")
    # Each row's fields are named after the row: "Observation 1 — Factor".
    labelled(observations, "Observation 1 — Factor").select_option(
        label="2. Leadership, communication and coordination"
    )
    labelled(observations, "Observation 1 — Strength or gap").select_option(label="Strength")
    labelled(observations, "Observation 1 — Observation").fill(
        "The Deputy Mayor leads the work in person."
    )
    recommendations = page.get_by_role("group", name="Recommendations", exact=True)
    for number, recommendation in enumerate(RECOMMENDATIONS, 1):
        row = f"Recommendation {number} — "
        labelled(recommendations, row + "Factor").select_option(label=recommendation.factor)
        labelled(recommendations, row + "Priority").select_option(label=recommendation.priority)
        labelled(recommendations, row + "Recommendation").fill(recommendation.text)
    follow_ups = page.get_by_role("group", name="Follow-ups")
    labelled(follow_ups, "Follow-up 1 — Follow-up").fill(
        "Send Riga the terms of the Helsinki council."
    )
    labelled(follow_ups, "Follow-up 1 — Owner").select_option(label="Helsinki")
    labelled(follow_ups, "Follow-up 1 — Due on").fill((today + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Save the report").click()
    expect_flash(page, "The report is saved.")
    expect(page.get_by_text("Reported", exact=True)).to_be_visible()
    report = page.get_by_role("region", name="Report", exact=True)
    for recommendation in RECOMMENDATIONS:
        expect(report).to_contain_text(recommendation.text)
    expect(report).to_contain_text("Written by Jonathan Reed")
    report.scroll_into_view_if_needed()
    screens.take(page, "visit-report", readme="visit-report")


def take_the_baseline(page: Page, screens: Screens) -> None:
    """Riga, told of the report, rates itself on every factor and completes its baseline."""
    expect_heading(page, "Good to see you, Anna Ozola")
    news = page.get_by_role("region", name="Unread notifications")
    expect(news).to_contain_text(f"The report of the mentoring visit of {PAIR_NAME} is available")
    open_the_pair_from_the_city_dashboard(page)
    page.get_by_role("link", name="Results and rounds").click()
    expect_heading(page, "Self-assessment: Helsinki and Riga")
    expect(labelled(page, "Baseline")).to_be_checked()
    page.get_by_role("button", name="Start the round").click()
    expect_flash(page, "The round is started.")
    expect_heading(page, "Baseline round of Riga")
    for number, level in enumerate(BASELINE_LEVELS, 1):
        choices = page.get_by_role("group", name=f"Level of factor {number}", exact=True)
        choices.get_by_label(re.compile(rf"^{level} — ")).check()
    labelled(page, "Evidence for factor 1").fill("Consultations happen project by project.")
    page.get_by_role("button", name="Complete the round").click()
    expect_flash(page, "The round is completed and locked.")
    expect_heading(page, "Self-assessment: Helsinki and Riga")
    levels = page.get_by_role("table", name="Levels per factor")
    expect(
        levels.get_by_role("row", name=re.compile("City strategy for participation"))
    ).to_contain_text("Being discussed or planned")
    expect(levels.get_by_role("row", name=re.compile("Equal access"))).to_contain_text(
        "Not in place"
    )
    screens.take(page, "assessment")


def write_and_submit_the_plan(page: Page, screens: Screens, today: date) -> None:
    """Riga starts its plan, takes up both recommendations as actions and submits the plan."""
    breadcrumbs(page).get_by_role("link", name=PAIR).click()
    page.get_by_role("link", name="Action plan", exact=True).click()
    expect_heading(page, "Local action plan of Riga")
    page.get_by_role("button", name="Start the action plan").click()
    expect_flash(page, "The action plan is started.")
    page.get_by_role("link", name="Edit objective and period").click()
    labelled(page, "Objective").fill(
        "Migrant communities have a standing voice in the city's policy making by 2028."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect_flash(page, "The plan is saved.")
    for recommendation in RECOMMENDATIONS:
        take_up(page, recommendation, today)
        breadcrumbs(page).get_by_role("link", name="Action plan").click()
        expect(recommendation_item(page, recommendation)).to_contain_text(
            f"Taken up as: {recommendation.action_title}"
        )
    page.get_by_role("button", name="Submit for review").click()
    expect_flash(page, "The plan is now under review.")
    expect(page.get_by_text("Under review", exact=True)).to_be_visible()
    screens.take(page, "plan-submitted")


def take_up(page: Page, recommendation: Recommendation, today: date) -> None:
    """Turn a recommendation into an action: the form starts from it; complete its details."""
    recommendation_item(page, recommendation).get_by_role(
        "link", name=re.compile("^Turn into an action")
    ).click()
    expect_heading(page, "Add an action")
    expect(labelled(page, recommendation.factor)).to_be_checked()
    labelled(page, "Title").fill(recommendation.action_title)
    labelled(page, "Owner").select_option(label="Anna Ozola")
    labelled(page, "Starts").fill(today.isoformat())
    labelled(page, "Ends").fill((today + timedelta(days=recommendation.ends_in_days)).isoformat())
    labelled(page, "Indicator").fill(recommendation.indicator)
    labelled(page, "Target").fill(recommendation.target)
    page.get_by_role("button", name="Save the action").click()
    expect_flash(page, f"The action '{recommendation.action_title}' is saved.")
    expect_heading(page, recommendation.action_title)
    expect(page.get_by_role("main")).to_contain_text(recommendation.text)  # where it came from


def comment_on_the_plan(page: Page, screens: Screens) -> None:
    """Helsinki, the mentor city, reads the plan under review and comments on it."""
    expect_heading(page, "Good to see you, Mikko Virtanen")
    open_the_pair_from_the_city_dashboard(page)
    page.get_by_role("link", name="Open the plan").click()
    expect_heading(page, "Local action plan of Riga")
    expect(page.get_by_text("Under review", exact=True)).to_be_visible()
    # The mentor city reviews; changing and endorsing the plan are for Riga and the coordinators.
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Record the .* endorsement"))).to_have_count(0)
    labelled(page, "Your comment").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()
    expect_flash(page, "Your comment is posted.")
    comments = page.get_by_role("region", name="Comments on the plan")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Mikko Virtanen, Helsinki")
    screens.take(page, "plan-commented")


def record_the_endorsements(page: Page, screens: Screens, today: date) -> None:
    """The coordinator reads the comment and records the administrative, then the political
    endorsement."""
    open_the_pair_from_the_pairs_list(page)
    page.get_by_role("link", name="Open the plan").click()
    expect_heading(page, "Local action plan of Riga")
    expect(page.get_by_role("region", name="Comments on the plan")).to_contain_text(COMMENT)
    for level, decision, status in ENDORSEMENTS:
        page.get_by_role("link", name=f"Record the {level} endorsement").click()
        expect_heading(page, "Record an endorsement")
        expect(labelled(page, "Level")).to_have_value(level)
        labelled(page, "Decision").fill(decision)
        labelled(page, "Decided on").fill(today.isoformat())
        page.get_by_role("button", name="Record the endorsement").click()
        expect_flash(page, "The endorsement is recorded.")
        expect(page.get_by_text(status, exact=True)).to_be_visible()
    endorsements = page.get_by_role("region", name="Endorsements", exact=True)
    for _level, decision, _status in ENDORSEMENTS:
        expect(endorsements).to_contain_text(decision)
    screens.take(page, "plan-endorsed")


def post_progress(page: Page, screens: Screens) -> None:
    """Riga starts carrying out its endorsed plan and posts progress on the first action."""
    first = RECOMMENDATIONS[0]
    main_menu(page).get_by_role("link", name="Home").click()
    open_the_pair_from_the_city_dashboard(page)
    page.get_by_role("link", name="Open the plan").click()
    expect(page.get_by_text("Politically endorsed", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start implementation").click()
    expect_flash(page, "The plan is now in implementation.")
    actions = page.get_by_role("table", name="Actions of the plan")
    actions.get_by_role("link", name=first.action_title).click()
    expect_heading(page, first.action_title)
    labelled(page, "Status").select_option(label="On track")
    labelled(page, "Progress (%)").fill(str(PROGRESS))
    labelled(page, "What happened").fill("The council's members are chosen; it meets in March.")
    page.get_by_role("button", name="Post progress").click()
    expect_flash(page, "Your progress update is saved.")
    history = page.get_by_role("region", name="Progress history")
    expect(history).to_contain_text(f"{PROGRESS}%")
    expect(history).to_contain_text("The council's members are chosen")
    screens.take(page, "action-progress")
    breadcrumbs(page).get_by_role("link", name="Action plan").click()
    expect_heading(page, "Local action plan of Riga")
    progress = page.get_by_role("region", name="Progress", exact=True)
    expect(progress).to_contain_text(re.compile(rf"Overall progress\s*{PROGRESS // 2}%"))
    expect(page.get_by_role("row").filter(has_text=first.action_title)).to_contain_text(
        re.compile(rf"On track\s*{PROGRESS}%")
    )
    screens.take(page, "plan-in-implementation", readme="action-plan")


def attach_the_infographic(page: Page, screens: Screens, today: date) -> None:
    """The coordinator generates the scheme's infographic from the data, registers its
    deliverable and attaches the PDF to it."""
    breadcrumbs(page).get_by_role("link", name=PAIR).click()
    expect_heading(page, PAIR_HEADING)
    expect(page.get_by_role("region", name="Local action plan")).to_contain_text(
        "In implementation"
    )
    screens.take(page, "pair-page", readme="pair")
    page.get_by_role("link", name="The scheme's infographic").click()
    expect_heading(page, "Infographic of the scheme")
    in_words = page.get_by_role("region", name="The infographic in words")
    for sentence in (
        f"{PAIR_HEADING} on theme A",
        "Visits held: 1 of 1.",
        "Recommendations: 2, of which 2 taken up as actions.",
        f"Action plan: In implementation, {PROGRESS // 2}% overall progress.",
    ):
        expect(in_words).to_contain_text(sentence)
    page.get_by_role("link", name="Register the infographic deliverable").click()
    expect_heading(page, "Register a deliverable")
    expect(labelled(page, "Kind")).to_have_value("infographic")
    labelled(page, "Title").fill(INFOGRAPHIC_TITLE)
    labelled(page, "Responsible organisation").select_option(label="EUROCITIES")
    labelled(page, "Due on").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the deliverable").click()
    expect_flash(page, f"The deliverable '{INFOGRAPHIC_TITLE}' is saved.")
    expect(page.get_by_role("main").get_by_role("link", name=PAIR)).to_be_visible()
    page.get_by_role("link", name="Generate the infographic from the data").click()
    expect_heading(page, "Infographic of the scheme")
    drawing = page.get_by_role("img", name=f"The infographic of {PAIR_NAME}")
    expect(drawing).to_be_visible()
    screens.take(page, "infographic", readme="infographic")
    assert drawing.evaluate("image => image.complete && image.naturalWidth > 0"), "SVG not drawn"
    page.get_by_role("button", name="Attach the PDF to the deliverable").click()
    expect_flash(page, f"The infographic is attached to '{INFOGRAPHIC_TITLE}'.")
    expect_heading(page, INFOGRAPHIC_TITLE)
    files = page.get_by_role("region", name="Files and links")
    expect(
        files.get_by_role(
            "link", name="generated-infographic-implementoring-A-Helsinki-Riga-a4.pdf"
        )
    ).to_be_visible()
    screens.take(page, "deliverable")
    breadcrumbs(page).get_by_role("link", name="Deliverables").click()
    expect_heading(page, f"Deliverables of {PROGRAMME}")
    expect(page.get_by_role("row").filter(has_text=INFOGRAPHIC_TITLE)).to_contain_text("EUROCITIES")
    screens.take(page, "deliverables-register")


def remind_and_open_the_notification(coordinator: Page, riga: Page, screens: Screens) -> None:
    """The coordinator runs the reminder job now; Riga sees the count on the bell go up, opens
    the reminder of its action due in five days, lands on the action, and the reminder is read."""
    action = RECOMMENDATIONS[0].action_title
    main_menu(riga).get_by_role("link", name="Home").click()
    expect_heading(riga, "Good to see you, Anna Ozola")
    unread_before = unread_on_bell(riga)

    coordinator.get_by_role("button", name="account menu").click()
    coordinator.get_by_role("link", name="Scheduled jobs").click()
    expect_heading(coordinator, "Scheduled jobs")
    coordinator.get_by_role("button", name="Run now reminders").click()
    expect_flash(coordinator, re.compile(r"reminders ran: [1-9]\d* created"))
    screens.take(coordinator, "scheduled-jobs")

    riga.reload()  # Anna looks at her dashboard again
    expect_heading(riga, "Good to see you, Anna Ozola")
    unread = unread_on_bell(riga)
    assert unread > unread_before, "the reminder job left Riga's bell as it was"
    expect(riga.get_by_role("region", name="Actions due soon or late")).to_contain_text(action)
    screens.take(riga, "city-dashboard", readme="city-dashboard")
    bell(riga).click()
    expect_heading(riga, "Notifications")
    reminder = riga.get_by_role("listitem").filter(has_text="Action due on").filter(has_text=action)
    expect(reminder).to_contain_text("New")
    screens.take(riga, "notification-centre")
    reminder.get_by_role("button", name=re.compile(rf"^Action due on .+: {action}$")).click()
    expect(riga).to_have_url(re.compile(r"/actions/\d+$"))
    expect_heading(riga, action)
    assert unread_on_bell(riga) == unread - 1
    screens.take(riga, "notification-opened")
    bell(riga).click()
    expect_heading(riga, "Notifications")
    expect(reminder).not_to_contain_text("New")
    expect(reminder.get_by_role("button", name=re.compile("^Mark as read"))).to_have_count(0)


def watch_the_pairs(page: Page, screens: Screens) -> None:
    """Back on the dashboard, the coordinator sees CITIES GROW's pairs, then the new scheme among
    ImpleMentoring's: plan in implementation, progress, recommendations taken up, on track."""
    main_menu(page).get_by_role("link", name="Home").click()
    expect_heading(page, "Pairs at a glance")
    screens.take(page, "coordinator-dashboard-again", readme="coordinator-dashboard")
    labelled(page, "Programme").select_option(label=PROGRAMME)
    page.get_by_role("button", name="Show", exact=True).click()
    link = page.get_by_role("link", name="A · Helsinki → Riga", exact=True)
    ours = page.get_by_role("row").filter(has=link)
    for figure in ("In implementation", f"{PROGRESS // 2}%", "2 / 2", "On track"):
        expect(ours).to_contain_text(figure)
    screens.take(page, "coordinator-dashboard-implementoring")


def record_a_past_visit(page: Page, screens: Screens, today: date) -> None:
    """The expert enters last week's online meeting, which nobody planned in the tracker, as
    held, and writes its report straight away."""
    open_the_pair_from_the_pairs_list(page)
    page.get_by_role("link", name="Plan a visit").click()
    labelled(page, "Online meeting").check()
    labelled(page, "First day").fill((today - timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_role("alert")).to_contain_text("If the visit has already taken place")
    labelled(page, "It has already taken place").check()
    page.get_by_role("button", name="Save the visit").click()
    expect_flash(page, "The visit is recorded as held. Its report can be written now.")
    expect_heading(page, "Report of the online meeting")
    labelled(page, "Summary").fill("A call on the council's terms; Helsinki shared its statutes.")
    page.get_by_role("button", name="Save the report").click()
    expect_flash(page, "The report is saved.")
    expect(page.get_by_text("Reported", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("^Recorded afterwards, on "))).to_be_visible()
    screens.take(page, "visit-recorded-afterwards")


def delete_and_restore_an_action(riga: Page, coordinator: Page, screens: Screens) -> None:
    """Riga deletes an action by mistake; the coordinator restores it from the bin."""
    title = RECOMMENDATIONS[1].action_title
    open_the_pair_from_the_pairs_list(riga)
    riga.get_by_role("link", name="Open the plan").click()
    riga.get_by_role("link", name=title).first.click()
    riga.get_by_role("link", name="Delete this action").click()
    expect_heading(riga, "Delete this?")
    expect(riga.get_by_role("main")).to_contain_text("A coordinator can restore it")
    riga.get_by_role("button", name="Move it to the bin").click()
    expect_flash(riga, "Moved to the bin: ")
    expect(riga.get_by_role("link", name=title)).to_have_count(0)
    expect(recommendation_item(riga, RECOMMENDATIONS[1])).to_contain_text("Turn into an action")
    screens.take(riga, "action-deleted")
    coordinator.goto("/bin/")
    expect_heading(coordinator, "Bin")
    coordinator.get_by_role("button", name=re.compile(f"^Restore.*{re.escape(title)}")).click()
    expect_flash(coordinator, f"Restored: The action '{title}' of {PAIR_NAME}.")
    riga.reload()
    expect(riga.get_by_role("link", name=title)).to_have_count(2)  # the plan, the recommendation


# --- finding one's way ---------------------------------------------------------------------------


def open_the_pair_from_the_city_dashboard(page: Page) -> None:
    """Both demo cities are also paired on CITIES GROW: pick the ImpleMentoring row."""
    pairs = page.get_by_role("region", name="My city's pairs")
    pairs.get_by_role("row").filter(has_text=PROGRAMME).get_by_role("link", name=PAIR).click()
    expect_heading(page, PAIR_HEADING)
    expect(page.get_by_role("link", name=THEME)).to_be_visible()


def open_the_pair_from_the_pairs_list(page: Page) -> None:
    main_menu(page).get_by_role("link", name="Pairs", exact=True).click()
    page.get_by_role("link", name=THEME).click()
    expect_heading(page, PAIR_HEADING)


def recommendation_item(page: Page, recommendation: Recommendation) -> Locator:
    return page.get_by_role("listitem").filter(has_text=recommendation.text)


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def breadcrumbs(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Breadcrumb")


def bell(page: Page) -> Locator:
    return main_menu(page).get_by_role("link", name=re.compile(r"^Notifications"))


def unread_on_bell(page: Page) -> int:
    """The number on the bell (0 when it shows none)."""
    found = re.search(r"(\d+)\s*unread", bell(page).text_content() or "")
    return int(found.group(1)) if found else 0


def labelled(scope: Page | Locator, label: str) -> Locator:
    """A form control by its exact label: "Owner" is not "Owner, if not a tracker user"."""
    return scope.get_by_label(label, exact=True)


def expect_heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()


def expect_flash(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("status")).to_contain_text(message)
