"""Every page a signed-in user reaches from the home page fits a phone (390 px) and a
laptop (1280 px) without sideways page scroll: wide tables scroll inside their card, the
top bar wraps, the what-if sliders keep a usable width.

The pages are found by following same-site links from the home page (GET only), so a
page added later is checked as soon as something links to it.
"""

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Permission

from selector.models import Batch
from selector.selectors import DEMO_USERNAME
from selector.services.batches import start_batch
from selector.services.demo import DEMO_PASSWORD, seed_demo
from survey.models import Survey
from survey.queries import group_by_category, survey_benchmarks
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.browser,
    # A real server thread needs committed data (see ``published_data``).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("published_data"),
]

PHONE, LAPTOP = 390, 1280
MAX_PAGES = 60
# Not pages of this app's own design, or not pages at all.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout")
DOWNLOADS = re.compile(r"\.(csv|pdf|md|json|zip|xlsx|png|svg)$")
# `make screenshots` refreshes the README's pictures; other runs keep them in a temp dir.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SAVE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "shortlist-screenshots"
)
# With SAVE_SCREENSHOTS=1, every crawled page at phone width too (not for the README).
PAGE_SHOTS = Path(tempfile.gettempdir()) / "shortlist-screenshots" / "phone"

# Where the page's links lead, and where its GET forms (filters, "compare with") go when
# sent as they stand.
LINKS = """() => [...document.querySelectorAll("a[href]")]
  .filter((a) => !a.hasAttribute("download"))
  .map((a) => a.href)
  .concat([...document.forms].filter((form) => form.method === "get").map((form) => {
    const url = new URL(form.action);
    url.search = new URLSearchParams(new FormData(form)).toString();
    return url.href;
  }))"""

# The outermost elements that reach past the right edge of the window, to say what
# makes a page too wide (not those inside a box that scrolls or clips them).
OVERFLOWING = """(root) => {
  const limit = window.innerWidth + 0.5;
  const scope = root ? document.querySelector(root) : document.body;
  if (!scope) return [];  // a page without a top bar (the print-ready report)
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const beyond = (el) => el.getBoundingClientRect().right > limit;
  const contained = (el) => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...scope.querySelectorAll("*")]
    .filter((el) => beyond(el) && !contained(el))
    .filter((el) => !(el.parentElement && beyond(el.parentElement)))
    .slice(0, 5)
    .map((el) => `${describe(el)} ends at ${Math.round(el.getBoundingClientRect().right)}px`);
}"""

WIDTHS = """() => ({
  scroll: document.documentElement.scrollWidth, window: window.innerWidth
})"""


def page_kind(url: str) -> str:
    """A page's path with its ids collapsed, plus the names of its query parameters:
    ``/runs/12/?a=x`` and ``/runs/13/?a=y`` are the same kind of page."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(names) if names else "")


def followable(url: str, base: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return False
    return not parts.path.startswith(SKIPPED_PREFIXES) and not DOWNLOADS.search(
        parts.path
    )


def measure(page, url: str, width: int, status: int = 200) -> list[str]:
    """Load ``url`` at ``width`` px; the problems found (empty when the page fits)."""
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    page.wait_for_load_state("load")
    widths = page.evaluate(WIDTHS)
    parts = urlsplit(url)
    where = parts.path + (f"?{parts.query}" if parts.query else "")
    problems = []
    if widths["scroll"] > widths["window"]:
        culprits = "; ".join(page.evaluate(OVERFLOWING, None))
        problems.append(
            f"{where} at {width} px is {widths['scroll']} px wide ({culprits})"
        )
    beyond = page.evaluate(OVERFLOWING, ".topbar")
    if beyond:
        problems.append(f"{where} at {width} px: top bar: {beyond}")
    return problems


def is_page(page, url: str) -> bool:
    """Whether ``url`` answers with an HTML page, not a download (a CSV, a PDF or a
    Markdown file behind a link without a telling suffix)."""
    response = page.request.get(url)
    return response.headers.get("content-type", "").startswith("text/html")


def crawl(page, base: str) -> tuple[list[str], list[str]]:
    """Visit every kind of page linked from the home page at both widths: (the pages
    visited, the problems found)."""
    queue, seen, visited, problems = [base + "/"], {page_kind(base + "/")}, [], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        if not is_page(page, url):
            continue
        for width in (LAPTOP, PHONE):
            problems += measure(page, url, width)
        visited.append(url)
        if os.environ.get("SAVE_SCREENSHOTS") == "1":
            name = re.sub(r"\W+", "_", page_kind(url)).strip("_") or "home"
            shoot(page, name, PAGE_SHOTS)
        for link in page.evaluate(LINKS):
            link = urljoin(url, link).split("#")[0]
            if followable(link, base) and page_kind(link) not in seen:
                seen.add(page_kind(link))
                queue.append(link)
    return visited, problems


def shoot(page, name: str, folder: Path = SCREENSHOTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def demo_workspace():
    """The demo workspace with its done run, a batch of every profile and a Monte Carlo
    study; its owner is staff and in a second workspace, so the top bar is at its
    fullest (Admin link, workspace switch), and may edit profiles (the AHP page)."""
    user, workspace, _ = seed_demo()
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="change_weightprofile"))
    MembershipFactory(user=user, workspace__name="A second workspace")
    evaluation = workspace.evaluations.get()
    for kind in (Batch.Kind.PROFILES, Batch.Kind.SMAA):
        start_batch(user=user, evaluation=evaluation, kind=kind)
    return evaluation


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", DEMO_USERNAME)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_every_linked_page_fits_a_phone_and_a_laptop(live_server, page, demo_workspace):
    base = live_server.url
    problems = measure(page, f"{base}/accounts/login/", PHONE)
    sign_in(page, base)
    visited, found = crawl(page, base)
    problems += measure(page, f"{base}/no-such-page/", PHONE, status=404)
    kinds = {page_kind(url) for url in visited}
    # The crawl reached the pages that matter (and so checked them).
    for kind in [
        "/runs/<id>/",
        "/runs/<id>/report/",
        "/batches/<id>/",
        "/tools/scores/",
        "/surveys/",
        "/profiles/compare/?a&b",
        "/profiles/ahp/?profile",
    ]:
        assert kind in kinds, (kind, sorted(kinds))
    problems += found
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_result_page_sliders_stay_wide_on_a_phone(
    live_server, page, demo_workspace
):
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(live_server.url + demo_workspace.get_absolute_url())
    sliders = page.locator("#what-if input[type=range]")
    assert sliders.count() == demo_workspace.profile.weights.count() > 0
    widths = [box["width"] for box in (s.bounding_box() for s in sliders.all())]
    assert min(widths) >= 150, f"slider widths at {PHONE} px: {widths}"
    # The README's phone picture: the top of the result page, as a phone shows it.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "phone-result.png"))


def test_the_top_bar_wraps_on_a_phone(live_server, page, demo_workspace):
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(live_server.url + "/")
    bar = page.locator(".topbar").bounding_box()
    assert bar["width"] <= PHONE
    assert page.evaluate(OVERFLOWING, ".topbar") == []
    # Every link stays reachable: the bar is taller, not cut off.
    for link in page.locator(".topbar a, .topbar button").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box


def test_a_survey_category_without_a_chart_leaves_no_empty_box(live_server, page):
    """A category whose figures have different units gets no chart; its blank 300 px
    canvas would be wider than a small phone's column."""
    mixed = [
        survey
        for survey in Survey.objects.order_by("slug")
        if any(
            len({row.unit for row in rows}) > 1
            for _, rows in group_by_category(survey_benchmarks(survey))
        )
    ]
    assert mixed, "the published surveys have a category with mixed units"
    page.goto(live_server.url + mixed[0].get_absolute_url())
    page.wait_for_load_state("load")
    boxes = page.locator(".category .chart")
    visible = [box for box in boxes.all() if box.is_visible()]
    assert 0 < len(visible) < boxes.count()
    for box in visible:
        assert box.evaluate("(box) => !!Chart.getChart(box.querySelector('canvas'))")
