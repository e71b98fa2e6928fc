"""Evaluations can be deleted from the pages: a confirmation page, then a POST; editors
and owners only, another workspace's evaluation a 404."""

import pytest
from django.urls import reverse

from selector.models import Evaluation, Membership, Run
from tests.factories import EvaluationFactory, MembershipFactory, member

pytestmark = pytest.mark.django_db


def delete_url(evaluation):
    return reverse("selector:evaluation-delete", kwargs={"pk": evaluation.pk})


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.EDITOR])
def test_owners_and_editors_delete_after_confirming(client, workspace, role):
    evaluation = EvaluationFactory(workspace=workspace, name="Old pick")
    Run.objects.create(evaluation=evaluation, inputs={})
    client.force_login(member(workspace, role=role))
    page = client.get(delete_url(evaluation))
    assert page.status_code == 200
    assert "Delete Old pick?" in page.content.decode()
    assert "its 1 run and their results" in page.content.decode()
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    response = client.post(delete_url(evaluation))
    assert response.status_code == 302
    assert response.url == reverse("selector:evaluation-list")
    assert not Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert not Run.objects.filter(evaluation_id=evaluation.pk).exists()


def test_viewers_get_a_403_and_nothing_is_deleted(client, workspace):
    evaluation = EvaluationFactory(workspace=workspace)
    client.force_login(member(workspace, role=Membership.Role.VIEWER))
    assert client.get(delete_url(evaluation)).status_code == 403
    assert client.post(delete_url(evaluation)).status_code == 403
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_another_workspaces_evaluation_is_a_404(client):
    other = EvaluationFactory(name="Not yours")
    client.force_login(MembershipFactory().user)
    assert client.get(delete_url(other)).status_code == 404
    assert client.post(delete_url(other)).status_code == 404
    assert Evaluation.objects.filter(pk=other.pk).exists()


def test_the_edit_page_links_to_delete(client, workspace):
    evaluation = EvaluationFactory(workspace=workspace)
    client.force_login(member(workspace))
    page = client.get(
        reverse("selector:evaluation-edit", kwargs={"pk": evaluation.pk})
    ).content.decode()
    assert f'href="{delete_url(evaluation)}"' in page


def test_the_list_offers_delete_to_editors_not_to_viewers(client, workspace):
    evaluation = EvaluationFactory(workspace=workspace)
    client.force_login(member(workspace, role=Membership.Role.EDITOR))
    assert (
        f'href="{delete_url(evaluation)}"'
        in client.get(reverse("selector:evaluation-list")).content.decode()
    )
    client.force_login(member(workspace, role=Membership.Role.VIEWER))
    assert (
        f'href="{delete_url(evaluation)}"'
        not in client.get(reverse("selector:evaluation-list")).content.decode()
    )
