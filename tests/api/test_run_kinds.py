"""The API's runs say what kind of run they are and which tools they ranked first:
every tool tied for first, not one of them."""

import pytest

from selector.services.batches import start_batch
from selector.services.runs import start_run
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(workspace):
    """Two identical tools and a third that both dominate: the twins tie for first
    under any weights and method."""
    values = {"roi": 4, "industry_customization": 3, "price": 10}
    tools = [
        scored_tool(workspace, "Twin B", **values),
        scored_tool(workspace, "Twin A", **values),
        scored_tool(workspace, "Weak", roi=1, industry_customization=1, price=50),
    ]
    return EvaluationFactory(workspace=workspace, tools=tools)


@pytest.fixture
def leader(workspace):
    """ "Best" is best on every criterion (highest ROI and fit, lowest price)."""
    tools = [
        scored_tool(workspace, "Best", roi=5, industry_customization=5, price=5),
        scored_tool(workspace, "Middle", roi=3, industry_customization=3, price=20),
        scored_tool(workspace, "Worst", roi=1, industry_customization=2, price=40),
    ]
    return EvaluationFactory(workspace=workspace, tools=tools)


def run_now(owner, evaluation, capture):
    with capture(execute=True):
        run = start_run(user=owner, evaluation=evaluation)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def test_a_manual_run_is_listed_with_its_kind_and_winner(
    api, owner, leader, django_capture_on_commit_callbacks
):
    run = run_now(owner, leader, django_capture_on_commit_callbacks)
    [row] = api.get("/api/v1/runs/").json()["results"]
    assert (row["id"], row["kind"], row["winner"]) == (run.pk, "manual", ["Best"])
    assert row["adjusted"] is False
    [row] = api.get(f"/api/v1/evaluations/{leader.pk}/runs/").json()["results"]
    assert (row["kind"], row["winner"]) == ("manual", ["Best"])


def test_a_queued_run_has_no_winner_yet(api, leader):
    body = api.post(f"/api/v1/evaluations/{leader.pk}/runs/").json()
    assert (body["kind"], body["winner"]) == ("manual", [])
    [row] = api.get("/api/v1/runs/").json()["results"]
    assert (row["status"], row["winner"]) == ("queued", [])


def test_a_tie_for_first_names_every_tied_tool(
    api, owner, twins, django_capture_on_commit_callbacks
):
    run = run_now(owner, twins, django_capture_on_commit_callbacks)
    assert [r["name"] for r in api.get(f"/api/v1/runs/{run.pk}/").json()["results"]][
        :2
    ] == ["Twin A", "Twin B"]
    expected = ["Twin A", "Twin B"]
    assert api.get("/api/v1/runs/").json()["results"][0]["winner"] == expected
    assert api.get(f"/api/v1/runs/{run.pk}/").json()["winner"] == expected
    ranking = api.get(f"/api/v1/evaluations/{twins.pk}/ranking/").json()
    assert ranking["winner"] == expected


def test_batch_runs_carry_their_batchs_kind_and_which_weights(
    api, owner, leader, django_capture_on_commit_callbacks
):
    leader.weight_overrides = {"price": 90}
    leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(
            user=owner,
            evaluation=leader,
            kind="profiles",
            profiles=[leader.profile.slug],
        )
        start_batch(user=owner, evaluation=leader, kind="smaa", samples=200)
    rows = api.get(f"/api/v1/evaluations/{leader.pk}/runs/").json()["results"]
    profiles = [row for row in rows if row["batch"] == batch.pk]
    assert sorted((row["kind"], row["adjusted"]) for row in profiles) == [
        ("profiles", False),
        ("profiles", True),
    ]
    assert {row["kind"] for row in rows} == {"profiles", "smaa"}
    # "Best" dominates: first under any weights.
    assert all(row["winner"] == ["Best"] for row in rows)


def test_the_schema_documents_kind_and_winner(api):
    schema = api.get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"]["Run"]["properties"]
    assert properties["winner"]["type"] == "array"
    assert properties["adjusted"]["type"] == "boolean"
    [ref] = properties["kind"]["allOf"]
    enum = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["enum"]
    assert enum == ["manual", "profiles", "smaa", "rerank"]
