"""Every page a signed-in user reaches from the home page, read in French: no English
left beyond the names of products and methods. The pages are found by following the
site's own links (ids collapsed, so each kind of page is read once)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Permission

from selector.models import Batch
from selector.services.batches import start_batch
from selector.services.catalogue.builtin_catalogue import load_builtins
from selector.services.runs import start_run
from tests.english import english_left
from tests.factories import (
    EvaluationFactory,
    MembershipFactory,
    WorkspaceFactory,
    member,
    scored_tool,
)

pytestmark = pytest.mark.django_db

# Names French keeps: the product, the methods and their authors, the survey's
# publisher, file formats.
ALLOWED = """
    Shortlist TOPSIS VIKOR PROMETHEE AHP SMAA Monte Carlo Saaty Dirichlet Menlo
    Ventures API CSV PDF Markdown JSON OpenAPI Swagger
""".split()
# Loanwords the French survey texts (shipped as published) use.
PHRASES = ["open source"]
SKIPPED = ("/admin/", "/api/", "/static/", "/i18n/", "/accounts/logout/")
DOWNLOADS = re.compile(r"\.(csv|pdf|md|json)$|/export/?$")
HREF = re.compile(r'href="([^"#]*)')
MAX_PAGES = 60


def kind(path: str) -> str:
    parts = urlsplit(path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"/\d+(?=/|$)", "/<id>", parts.path) + "?" + "&".join(names)


def followable(path: str) -> bool:
    parts = urlsplit(path)
    return (
        not parts.netloc
        and parts.path.startswith("/")
        and not parts.path.startswith(SKIPPED)
        and not DOWNLOADS.search(parts.path)
    )


@pytest.fixture
def french_reader(client, django_capture_on_commit_callbacks):
    """A staff owner in two workspaces, reading in French, whose evaluation has a done
    run, a batch of every profile and a Monte Carlo study. The data is named without
    English words: the test reads the product's text, not what people typed."""
    load_builtins()  # the French twins of the built-in criteria and profiles
    workspace = WorkspaceFactory(name="Espace achats")
    user = member(workspace, username="camille", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_weightprofile"))
    MembershipFactory(user=user, workspace__name="Un second espace")
    tools = [
        scored_tool(workspace, name, roi=roi, industry_customization=fit, price=price)
        for name, roi, fit, price in [
            ("Outil A", 4, 3, 30),
            ("Outil B", 5, 2, 45),
            ("Outil C", 2, 5, 12),
        ]
    ]
    evaluation = EvaluationFactory(
        workspace=workspace, tools=tools, name="Choix de l'assistant"
    )
    with django_capture_on_commit_callbacks(execute=True):
        start_run(user=user, evaluation=evaluation)
    for batch_kind in (Batch.Kind.PROFILES, Batch.Kind.SMAA):
        with django_capture_on_commit_callbacks(execute=True):
            start_batch(user=user, evaluation=evaluation, kind=batch_kind)
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    return client


def test_no_page_a_signed_in_user_reaches_is_left_in_english(french_reader):
    queue, seen, read, left = ["/"], {kind("/")}, [], []
    while queue and len(read) < MAX_PAGES:
        path = queue.pop(0)
        response = french_reader.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="fr">' in html, path
        read.append(path)
        left += [
            f"{path}: {found}"
            for found in english_left(html, allow=ALLOWED, phrases=PHRASES)
        ]
        for link in HREF.findall(html):
            link = urljoin(path, link.replace("&amp;", "&"))
            if followable(link) and kind(link) not in seen:
                seen.add(kind(link))
                queue.append(link)
    assert len(read) >= 20, read
    assert left == [], "\n".join(left[:80])
