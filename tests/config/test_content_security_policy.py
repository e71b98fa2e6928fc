"""The Content-Security-Policy: every HTML response carries it, enforced, and no page
has what it would block (inline script, on*= handlers, inline styles)."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from selector.models import Batch, Run, WeightProfile
from survey.models import Survey
from tests.factories import EvaluationFactory, MembershipFactory, scored_tool

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    assert "Content-Security-Policy-Report-Only" not in response
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


class InlineCode(HTMLParser):
    """What the policy would block in a page: inline scripts (a json_script block is
    data and passes), on*= handlers, <style> elements and style= attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            if attrs.get("type") != "application/json":
                self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{name}= on <{tag}>" for name in attrs if name.startswith("on")]
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>")


def inline_code(response) -> list[str]:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


@pytest.fixture
def pages(client, db, django_capture_on_commit_callbacks):
    """A signed-in staff superuser's client and every kind of page it reaches."""
    membership = MembershipFactory(user__is_staff=True, user__is_superuser=True)
    user, workspace = membership.user, membership.workspace
    MembershipFactory(user=user)  # a second workspace: the header's switch shows
    tools = [
        scored_tool(workspace, name, roi=roi, industry_customization=2 + roi, price=p)
        for name, roi, p in [("A", 3, 10), ("B", 5, 30)]
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools, created_by=user)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get(status=Run.Status.DONE)
    batch = Batch.objects.create(
        workspace=workspace, evaluation=evaluation, kind=Batch.Kind.PROFILES, total=1
    )
    Run.objects.create(evaluation=evaluation, batch=batch, inputs=run.inputs)
    profile = WeightProfile.objects.order_by("slug").first()
    other = WeightProfile.objects.order_by("slug").last()
    paths = [
        "/",
        "/tools/",
        "/tools/new/",
        f"/tools/{tools[0].pk}/",
        f"/tools/{tools[0].pk}/delete/",
        "/tools/scores/",
        "/tools/import/",
        "/evaluations/",
        "/evaluations/new/",
        f"/evaluations/{evaluation.pk}/",
        f"/evaluations/{evaluation.pk}/edit/",
        f"/evaluations/{evaluation.pk}/delete/",
        f"/evaluations/{evaluation.pk}/compare/",
        f"/runs/{run.pk}/",
        f"/runs/{run.pk}/status/",
        f"/runs/{run.pk}/report/",
        f"/batches/{batch.pk}/",
        f"/batches/{batch.pk}/progress/",
        "/surveys/",
        f"/surveys/{Survey.objects.order_by('slug').first().slug}/",
        "/profiles/",
        f"/profiles/{profile.slug}/",
        f"/profiles/compare/?a={profile.slug}&b={other.slug}",
        "/profiles/ahp/?criteria=roi&criteria=price",
        "/admin/",
        f"/admin/selector/weightprofile/{profile.pk}/change/",
        "/evaluations/999999/",  # the 404 page
    ]
    for model in admin.site._registry:
        opts = model._meta
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return client, paths


def test_every_html_page_carries_the_strict_policy_and_no_inline_code(pages):
    client, paths = pages
    for path in paths:
        response = client.get(path)
        # 403: an admin add refused; 404: the error page itself
        assert response.status_code in (200, 403, 404), path
        assert response["Content-Type"].startswith("text/html"), path
        assert policy(response) == STRICT, path
        assert inline_code(response) == [], path


@pytest.mark.parametrize("path", ["/accounts/login/", "/no/such/page/", "/surveys/"])
def test_pages_for_anyone_and_error_pages_carry_the_policy(client, db, path):
    response = client.get(path)
    assert policy(response) == STRICT
    assert inline_code(response) == []


def test_the_api_docs_page_adds_only_data_images_and_loads_its_script(client, db):
    response = client.get("/api/docs/")
    assert policy(response) == {**STRICT, "img-src": "'self' data:"}
    assert inline_code(response) == []
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def test_no_policy_keyword_would_let_inline_code_run(client, db):
    header = client.get("/").headers["Content-Security-Policy"]
    for keyword in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "*"):
        assert keyword not in header
