"""Every kind of page a signed-in user reaches, in a real browser under the enforced
Content-Security-Policy: no console error and no policy violation anywhere, and the
scripts still work (weight sliders, charts drawn, htmx requests, Swagger UI)."""

import re

import pytest

from selector.models import Batch, Evaluation, Run, WeightProfile
from survey.models import Survey
from tests.factories import PASSWORD, MembershipFactory, scored_tool

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("published_data"),
]

# Runs in every document before its own scripts: keeps each violation the browser
# reports (blocked inline code, styles, eval, sources), even one a script caught.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""

CHART_DRAWN = """(selector) => {
  const canvas = document.querySelector(selector);
  return !!canvas && canvas.width > 0 && canvas.height > 0
    && typeof Chart !== "undefined" && Chart.getChart(canvas) !== undefined;
}"""


class Watcher:
    """Collects console errors, page errors, policy violations and htmx requests."""

    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url
        self.problems: list[str] = []
        self.htmx: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on("request", self._request)

    def _console(self, message):
        if message.type == "error":
            source = message.location.get("url", "")
            self.problems.append(f"{self.page.url}: console: {message.text} {source}")

    def _request(self, request):
        if request.headers.get("hx-request") == "true":
            self.htmx.append(request.url)

    def visit(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, (path, response.status)
        return response

    def collect(self) -> None:
        """Keep this document's violations (call before leaving the page)."""
        self.page.wait_for_load_state("load")
        for violation in self.page.evaluate("window.cspViolations || []"):
            self.problems.append(f"{self.page.url}: CSP: {violation}")

    def chart_drawn(self, selector: str) -> None:
        self.page.wait_for_function(CHART_DRAWN, arg=selector)

    def htmx_request_to(self, pattern: str) -> None:
        assert any(re.search(pattern, url) for url in self.htmx), (pattern, self.htmx)


@pytest.fixture
def watch(live_server, page):
    return Watcher(page, live_server.url)


@pytest.fixture
def staff_member():
    """A staff superuser with a workspace of three scored tools: (user, workspace)."""
    membership = MembershipFactory(
        user__username="cleo", user__is_staff=True, user__is_superuser=True
    )
    for name, roi, custom, price in [("A", 4, 3, 30), ("B", 3, 5, 20), ("C", 5, 2, 60)]:
        scored_tool(
            membership.workspace,
            f"{name}-Tool",
            roi=roi,
            industry_customization=custom,
            price=price,
        )
    # A second workspace, so the page header offers the workspace switch.
    MembershipFactory(user=membership.user, workspace__name="Sandbox")
    return membership.user, membership.workspace


def sign_in(watch) -> None:
    watch.visit("/accounts/login/")
    watch.collect()
    watch.page.fill("#id_username", "cleo")
    watch.page.fill("#id_password", PASSWORD)
    watch.page.click("main button[type=submit]")
    watch.page.wait_for_url(f"{watch.base_url}/")


def check_tool_pages(watch, workspace) -> None:
    for path in ["/", "/evaluations/", "/tools/new/", "/tools/import/", "/tools/"]:
        watch.visit(path)
        watch.collect()
    # The workspace switch submits itself when changed (a script, not onchange=).
    switch = watch.page.locator("select[name=workspace]")
    switch.select_option(label="Sandbox")
    watch.page.wait_for_function(
        "() => document.querySelector('select[name=workspace] option:checked')"
        ".textContent === 'Sandbox'"
    )
    assert "A-Tool" not in watch.page.inner_text("#tools")
    watch.collect()
    watch.page.locator("select[name=workspace]").select_option(label=workspace.name)
    watch.page.wait_for_selector("text=A-Tool")
    watch.collect()
    watch.visit(f"/tools/{workspace.tools.get(name='A-Tool').pk}/")
    watch.collect()
    # The score grid: the profile select submits itself (a script, not onchange=) ...
    watch.visit("/tools/scores/")
    other = WeightProfile.objects.exclude(slug="menlo-2024-app-selection").first()
    watch.collect()
    watch.page.select_option("#profile", other.slug)
    watch.page.wait_for_url(re.compile(rf".*profile={other.slug}$"))
    watch.collect()
    # ... and saving one changed cell says so.
    watch.visit("/tools/scores/?profile=menlo-2024-app-selection")
    tool = workspace.tools.get(name="A-Tool")
    watch.page.fill(f"[name='cell-{tool.pk}-roi']", "2")
    watch.page.click("button:has-text('Save changed scores')")
    watch.page.wait_for_selector("text=Saved 1 changed score.")
    watch.collect()


def check_evaluation_pages(watch) -> Evaluation:
    watch.visit("/evaluations/new/")
    watch.page.wait_for_function(
        "() => document.querySelector('output.share').textContent.endsWith('%')"
    )
    watch.page.fill("#id_name", "Under the policy")
    watch.collect()
    watch.page.click("button:has-text('Save and run')")
    watch.page.wait_for_url(re.compile(r".*/runs/\d+/$"))
    watch.chart_drawn("#contribution-chart")
    watch.chart_drawn("#acceptability-chart")
    # Moving a weight asks the server for a preview through htmx.
    watch.page.locator("#w-industry_customization").fill("0")
    watch.page.wait_for_selector("#preview-table")
    watch.htmx_request_to(r"/evaluations/\d+/preview/$")
    watch.collect()
    evaluation = Evaluation.objects.get(name="Under the policy")
    # The run's print-ready report (its chart is server-drawn SVG, no script).
    watch.visit(f"/runs/{evaluation.runs.get().pk}/report/")
    watch.page.wait_for_selector("#acceptability svg")
    watch.collect()
    watch.visit(f"/evaluations/{evaluation.pk}/")
    watch.collect()
    watch.page.click("button:has-text('Rank under every weight profile')")
    watch.page.wait_for_url(re.compile(r".*/batches/\d+/$"))
    watch.collect()
    return evaluation


def check_batch_polling(watch, evaluation, user) -> None:
    batch = Batch.objects.create(
        workspace=evaluation.workspace,
        evaluation=evaluation,
        kind=Batch.Kind.PROFILES,
        total=1,
        created_by=user,
    )
    inputs = evaluation.runs.exclude(inputs=None).first().inputs
    run = Run.objects.create(
        evaluation=evaluation, batch=batch, inputs=inputs, created_by=user
    )
    watch.visit(f"/batches/{batch.pk}/")
    watch.page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some((entry) => entry.name.endsWith('/progress/'))"
    )
    watch.htmx_request_to(rf"/batches/{batch.pk}/progress/$")
    watch.collect()
    # When it finishes, the poll reloads the page (HX-Refresh).
    run.status = Run.Status.FAILED
    run.save()
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.DONE)
    watch.page.wait_for_selector("#batch-progress:not([hx-get])")
    watch.collect()


def check_catalogue_pages(watch) -> None:
    survey = Survey.objects.order_by("slug").first()
    watch.visit("/surveys/")
    watch.collect()
    watch.visit(f"/surveys/{survey.slug}/")
    watch.chart_drawn(".category canvas")
    watch.collect()
    slugs = list(WeightProfile.objects.order_by("slug").values_list("slug", flat=True))
    watch.visit(f"/profiles/{slugs[0]}/")
    watch.collect()
    watch.visit(f"/profiles/compare/?a={slugs[0]}&b={slugs[1]}")
    watch.collect()
    keys = ["roi", "price", "industry_customization"]
    watch.visit("/profiles/ahp/?" + "&".join(f"criteria={key}" for key in keys))
    watch.page.wait_for_selector("#ahp-weights")
    watch.htmx_request_to(r"/profiles/ahp/preview/$")
    watch.collect()


def check_admin_and_api_docs(watch) -> None:
    profile = WeightProfile.objects.order_by("slug").first()
    for path in [
        "/admin/",
        "/admin/selector/weightprofile/",
        f"/admin/selector/weightprofile/{profile.pk}/change/",
        "/admin/selector/weightprofile/add/",
        "/admin/selector/criterion/",
        "/admin/selector/batch/",
        "/admin/survey/benchmark/",
    ]:
        watch.visit(path)
        watch.collect()
    watch.visit("/api/docs/")
    watch.page.wait_for_selector(".swagger-ui .info .title:has-text('Shortlist API')")
    watch.page.wait_for_selector(".swagger-ui .opblock")
    watch.collect()


def test_every_page_works_under_the_policy_without_a_violation(watch, staff_member):
    user, workspace = staff_member
    sign_in(watch)
    check_tool_pages(watch, workspace)
    evaluation = check_evaluation_pages(watch)
    check_batch_polling(watch, evaluation, user)
    check_catalogue_pages(watch)
    check_admin_and_api_docs(watch)
    assert not watch.problems, "\n".join(watch.problems)


def test_the_watch_sees_an_inline_script_being_blocked(watch, staff_member):
    """The check above could pass by seeing nothing: an inline script must show up."""
    sign_in(watch)
    watch.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    watch.page.wait_for_timeout(100)
    assert watch.page.evaluate("window.ran") is None
    watch.collect()
    assert any("script-src" in problem for problem in watch.problems)
    assert any("style-src" in problem for problem in watch.problems)
