"""The demo workspace (seed_demo): real products ranked by a done run, created once, and
only with DEBUG."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from selector.models import Run
from selector.selectors import DEMO_USERNAME
from selector.services.demo import TOOLS

pytestmark = pytest.mark.django_db


def test_the_demo_workspace_has_real_products_and_a_ranking(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    run = Run.objects.get(
        evaluation__workspace__memberships__user__username=DEMO_USERNAME
    )
    assert run.status == Run.Status.DONE
    assert run.results.count() == len(TOOLS) >= 8
    assert all("Illustrative" in tool.notes for tool in run.evaluation.tools.all())
    call_command("seed_demo", stdout=io.StringIO())
    assert Run.objects.count() == 1


def test_no_demo_login_is_created_in_production(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "only created with DEBUG=1" in out.getvalue()
    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()
