"""Profile and criterion services: validation where data is saved, history, revert,
derive from a survey, duplicate, compare, and the re-ranking a save starts."""

import math

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from selector.models import Batch, Criterion, Evaluation, Run, Weight, WeightProfile
from selector.services import batches
from selector.services.catalogue.criteria import delete_criterion, save_criterion
from selector.services.catalogue.deriving import (
    derive_profile_from_survey,
    duplicate_profile,
)
from selector.services.catalogue.history import profile_change_log, revert_profile
from selector.services.catalogue.profiles import delete_profile, save_profile
from selector.services.ranking import compare_profiles
from survey.models import Benchmark, Survey
from tests.factories import EvaluationFactory, cheap_and_strong_tools, scored_tool

pytestmark = pytest.mark.django_db

EDITOR_PERMS = [
    "add_weightprofile",
    "change_weightprofile",
    "delete_weightprofile",
    "view_weightprofile",
    "add_criterion",
    "change_criterion",
    "delete_criterion",
    "view_criterion",
]


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=EDITOR_PERMS))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def profile(editor):
    return save_profile(
        user=editor,
        profile=WeightProfile(),
        data={"slug": "team-view", "name": "Team view"},
        weights={"roi": 50, "price": 50},
    ).profile


def weights_of(profile) -> dict[str, float]:
    return {
        w.criterion.key: w.value for w in profile.weights.select_related("criterion")
    }


# Validation: each rule refuses a bad value with a clear message and saves nothing.


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"roi": -1, "price": 5}, "roi: a weight cannot be negative (-1)."),
        ({"roi": math.inf, "price": 5}, "roi: inf is not a finite number."),
        ({"roi": math.nan, "price": 5}, "roi: nan is not a finite number."),
        ({"roi": "lots", "price": 5}, "roi: 'lots' is not a number."),
        ({"roi": 0, "price": 0}, "At least one weight must be above zero; all are 0."),
        (
            {"no-such-criterion": 3},
            "There is no criterion with the key 'no-such-criterion'.",
        ),
        ({}, "A profile needs at least one weight."),
    ],
)
def test_it_rejects_bad_weights_and_saves_nothing(editor, profile, weights, message):
    history_rows = Weight.history.count()
    with pytest.raises(ValidationError) as error:
        save_profile(user=editor, profile=profile, weights=weights)
    assert message in str(error.value)
    assert weights_of(profile) == {"roi": 50, "price": 50}
    assert Weight.history.count() == history_rows


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Team-View", "is not a lower-case slug"),
        ("team view", "is not a lower-case slug"),
        ("TEAM-VIEW-2", "is not a lower-case slug"),
        ("compare", "is reserved for a page"),
        ("", "Enter a key."),
    ],
)
def test_it_rejects_profile_slugs_that_are_not_lower_case_unique_slugs(
    editor, slug, message
):
    with pytest.raises(ValidationError) as error:
        save_profile(
            user=editor,
            profile=WeightProfile(),
            data={"slug": slug, "name": "X"},
            weights={"roi": 1},
        )
    assert message in str(error.value)
    assert not WeightProfile.objects.filter(name="X").exists()


def test_it_rejects_a_slug_that_clashes_in_any_case(editor, profile):
    with pytest.raises(ValidationError) as error:
        save_profile(
            user=editor,
            profile=WeightProfile(),
            data={"slug": "team-view", "name": "Y"},
            weights={"roi": 1},
        )
    assert "'team-view' is already used by Team view." in str(error.value)


def test_it_rejects_a_criterion_whose_scale_is_upside_down(editor):
    criterion = Criterion(
        key="speed", name="Speed", kind="rating", scale_min=5, scale_max=1
    )
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=criterion)
    assert "The scale's maximum (1) must be above its minimum (5)." in str(error.value)
    assert not Criterion.objects.filter(key="speed").exists()


def test_it_rejects_a_criterion_with_an_equal_min_and_max(editor):
    criterion = Criterion(
        key="speed", name="Speed", kind="rating", scale_min=3, scale_max=3
    )
    with pytest.raises(ValidationError, match="must be above its minimum"):
        save_criterion(user=editor, criterion=criterion)


@pytest.mark.parametrize("key", ["Speed", "speed!", "sp eed", "ROI"])
def test_it_rejects_criterion_keys_that_are_not_unique_lower_case_slugs(editor, key):
    criterion = Criterion(
        key=key, name="Speed", kind="rating", scale_min=1, scale_max=5
    )
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=criterion)
    assert "key" in error.value.message_dict
    assert not Criterion.objects.filter(name="Speed").exists()


def test_it_refuses_a_scale_that_existing_scores_fall_outside(editor, member):
    _, workspace = member
    scored_tool(workspace, "Tool A", roi=5)
    roi = Criterion.objects.get(key="roi")
    roi.scale_max = 4
    with pytest.raises(ValidationError) as error:
        save_criterion(user=editor, criterion=roi)
    assert "1 existing score(s) fall outside this scale: Tool A (5)" in str(error.value)
    assert Criterion.objects.get(key="roi").scale_max == 5


def test_users_without_the_model_permission_cannot_save(profile):
    plain = User.objects.create_user("plain", password="pw-plain-123")
    with pytest.raises(PermissionDenied):
        save_profile(user=plain, profile=profile, weights={"roi": 1})
    assert weights_of(profile) == {"roi": 50, "price": 50}


# Deleting a criterion in use names what uses it.


def test_deleting_a_criterion_in_use_names_the_evaluations_that_use_it(editor, member):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")
    roi = Criterion.objects.get(key="roi")
    with pytest.raises(ValidationError) as error:
        delete_criterion(user=editor, criterion=roi)
    message = str(error.value)
    assert "is in use and was not deleted" in message
    assert f"Evaluation “Pick a copilot” (workspace “{workspace.name}”" in message
    assert "Weight profile “Menlo 2024: how buyers select AI applications”" in message
    assert Criterion.objects.filter(key="roi").exists()


def test_an_unused_criterion_is_deleted_and_the_deletion_recorded(editor):
    criterion = save_criterion(
        user=editor,
        criterion=Criterion(key="speed", name="Speed", scale_min=1, scale_max=5),
    ).criterion
    delete_criterion(user=editor, criterion=criterion)
    assert not Criterion.objects.filter(key="speed").exists()
    deleted = Criterion.history.filter(key="speed", history_type="-").get()
    assert deleted.history_user == editor


def test_an_unfollowed_profile_is_deleted_and_the_deletion_recorded(editor, profile):
    delete_profile(user=editor, profile=profile)
    assert not WeightProfile.objects.filter(slug="team-view").exists()
    deleted = WeightProfile.history.get(slug="team-view", history_type="-")
    assert deleted.history_user == editor


def test_a_followed_profile_is_not_deleted_and_the_refusal_names_its_evaluations(
    editor, member, profile
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, profile=profile, name="Pick a copilot")
    with pytest.raises(ValidationError) as error:
        delete_profile(user=editor, profile=profile)
    assert error.value.messages == [
        "The weight profile “Team view” (team-view) was not deleted: evaluation "
        f"“Pick a copilot” (workspace “{workspace.name}”) follows it."
    ]
    assert WeightProfile.objects.filter(pk=profile.pk).exists()


def test_a_builtin_profile_is_not_deleted(editor):
    builtin = WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    with pytest.raises(ValidationError, match="it is built in"):
        delete_profile(user=editor, profile=builtin)
    assert WeightProfile.objects.filter(pk=builtin.pk).exists()


def test_deleting_a_profile_needs_the_permission(profile):
    viewer = User.objects.create_user("viewer", is_staff=True)
    with pytest.raises(PermissionDenied):
        delete_profile(user=viewer, profile=profile)
    assert WeightProfile.objects.filter(pk=profile.pk).exists()


# History and revert.


def test_an_edit_is_recorded_with_who_when_and_old_and_new_values(editor, profile):
    save_profile(user=editor, profile=profile, weights={"roi": 70, "price": 30})
    log = profile_change_log(profile)
    newest = log[0]
    assert newest.user == editor
    assert newest.kind == "changed"
    assert {(c.label, c.old, c.new) for c in newest.changes} == {
        ("Weight of Measurable ROI", "50", "70"),
        ("Weight of Price", "50", "30"),
    }
    assert log[-1].kind == "created"
    rows = Weight.history.filter(profile_id=profile.pk, criterion__key="roi")
    assert [r.value for r in rows.order_by("history_date")] == [50, 70]
    assert {r.history_user for r in rows} == {editor}


def test_a_revert_restores_fields_and_weights_and_is_recorded(editor, profile):
    first = profile.history.order_by("history_date").last()  # the version as created
    save_profile(
        user=editor,
        profile=profile,
        data={"name": "Renamed"},
        weights={"roi": 10, "industry_customization": 5},
    )
    profile_rows = profile.history.count()
    saved = revert_profile(user=editor, profile=profile, history_id=first.history_id)
    profile.refresh_from_db()
    assert profile.name == "Team view"
    assert weights_of(profile) == {"roi": 50, "price": 50}
    assert profile.history.count() == profile_rows + 1
    newest = profile_change_log(profile)[0]
    assert newest.reason.startswith(f"Reverted to version #{first.history_id}")
    assert newest.user == editor
    assert ("Weight of Industry customisation", "5", "(removed)") in {
        (c.label, c.old, c.new) for c in newest.changes
    }
    assert saved.changes


def test_a_builtin_profile_edited_for_the_first_time_keeps_its_loaded_values(editor):
    builtin = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    assert not builtin.history.exists()  # loaded by a data migration, untracked
    save_profile(
        user=editor,
        profile=builtin,
        weights={"roi": 40, "industry_customization": 26, "price": 1},
    )
    log = profile_change_log(builtin)
    assert [(c.old, c.new) for c in log[0].changes] == [("30", "40")]
    baseline = log[-1]
    revert_profile(user=editor, profile=builtin, history_id=baseline.history_id)
    assert weights_of(builtin) == {"roi": 30, "industry_customization": 26, "price": 1}
    # The survey links survive the round trip.
    assert builtin.weights.get(criterion__key="roi").benchmark.key == "roi"


# Re-ranking after a save.


@pytest.fixture
def tools(member):
    """Two tools of the member's workspace scored on ROI and price."""
    _, workspace = member
    return [
        scored_tool(workspace, "A", roi=4, price=30),
        scored_tool(workspace, "B", roi=3, price=10),
    ]


def test_saving_a_profile_starts_a_rerank_batch_for_the_evaluations_that_follow_it(
    editor, member, profile, tools, django_capture_on_commit_callbacks
):
    _, workspace = member
    evaluation = EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    EvaluationFactory(workspace=workspace)  # follows another profile
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_profile(
            user=editor, profile=profile, weights={"roi": 90, "price": 10}
        )
    assert saved.rerank.evaluations == 1
    assert saved.rerank.started
    batch = saved.rerank.batches[0]
    assert batch.kind == Batch.Kind.RERANK
    assert batch.profile == profile
    run = batch.runs.get()
    assert run.evaluation == evaluation
    assert run.inputs["weights"] == [90, 10]
    run.refresh_from_db()
    assert run.status == Run.Status.DONE


def test_flipping_a_criterions_direction_reranks_every_evaluation_that_weighs_it(
    editor, member, profile, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(workspace, "Cheap", roi=3, price=10),
        scored_tool(workspace, "Costly", roi=3.5, price=90),
    ]
    weighs = EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    roi_only = save_profile(
        user=editor,
        profile=WeightProfile(),
        data={"slug": "roi-only", "name": "ROI only"},
        weights={"roi": 1},
    ).profile
    overrides = EvaluationFactory(  # weighs price through its own override
        workspace=workspace,
        profile=roi_only,
        tools=tools,
        weight_overrides={"price": 5},
    )
    EvaluationFactory(workspace=workspace, profile=profile)  # no tools: skipped
    price = Criterion.objects.get(key="price")
    assert price.direction == Criterion.Direction.COST
    price.direction = Criterion.Direction.BENEFIT
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_criterion(user=editor, criterion=price)
    assert saved.rerank.started and saved.rerank.evaluations == 3
    batch = saved.rerank.batches[0]
    assert (batch.kind, batch.options["criterion"]) == (Batch.Kind.RERANK, "price")
    assert batch.profile is None and batch.workspace == workspace
    assert {run.evaluation_id for run in batch.runs.all()} == {weighs.pk, overrides.pk}
    assert batch.options["skipped"][0]["evaluation"] not in (weighs.pk, overrides.pk)
    run = batch.runs.get(evaluation=weighs)
    run.refresh_from_db()
    assert run.status == Run.Status.DONE
    by_key = {criterion["key"]: criterion for criterion in run.inputs["criteria"]}
    assert by_key["price"]["direction"] == "benefit"
    # A higher price now counts for a tool: the costly one leads.
    assert run.results.get(rank=1).tool_name == "Costly"


def test_editing_a_criterion_without_flipping_it_starts_no_rerank(editor, profile):
    EvaluationFactory(profile=profile)
    roi = Criterion.objects.get(key="roi")
    roi.name = "Return on investment"
    saved = save_criterion(user=editor, criterion=roi)
    assert saved.rerank.evaluations == 0
    assert not Batch.objects.exists()


def test_a_second_flip_cancels_the_rerank_the_first_one_left_queued(
    editor, member, profile, tools, django_capture_on_commit_callbacks
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    price = Criterion.objects.get(key="price")
    started = []
    for direction in ("benefit", "cost"):
        price.direction = direction
        with django_capture_on_commit_callbacks(execute=False):  # runs stay queued
            saved = save_criterion(user=editor, criterion=price)
        started.append(saved.rerank.batches[0].pk)
    first, second = (Batch.objects.get(pk=pk) for pk in started)
    assert first.status == Batch.Status.CANCELLED
    assert first.runs.get().error == "Superseded by a newer edit of the criterion."
    assert second.status == Batch.Status.RUNNING
    assert second.runs.get().status == Run.Status.QUEUED


def test_a_save_with_no_follower_starts_no_batch(editor, profile):
    saved = save_profile(user=editor, profile=profile, weights={"roi": 1})
    assert saved.rerank.evaluations == 0
    assert not Batch.objects.filter(profile=profile).exists()


def test_when_the_rerank_cannot_start_the_edit_stays_and_the_owed_rerun_is_recorded(
    editor, member, profile, monkeypatch
):
    _, workspace = member
    evaluation = EvaluationFactory(workspace=workspace, profile=profile)

    def broken(**kwargs):
        raise RuntimeError("the database went read-only")

    monkeypatch.setattr(batches, "rerank_profile", broken)
    saved = save_profile(user=editor, profile=profile, weights={"roi": 2})
    assert weights_of(WeightProfile.objects.get(pk=profile.pk)) == {"roi": 2}
    assert not saved.rerank.started
    assert saved.rerank.error == "the database went read-only"
    batch = saved.rerank.batches[0]
    assert batch.options["needs_rerun"] is True
    assert batch.options["evaluations"] == [evaluation.pk]
    assert batch.options["error"] == "the database went read-only"
    # A record with no runs: finished at once, not left running for the sweeper.
    assert batch.total == 0 and batch.status == Batch.Status.DONE
    assert not batch.runs.exists()


# Derive from a survey, duplicate, compare.


def test_deriving_from_a_survey_category_uses_its_shares_and_links_each_figure(editor):
    survey = Survey.objects.get(slug="menlo-2024")
    saved, unmapped = derive_profile_from_survey(
        user=editor,
        survey=survey,
        category="pilot_failure_reasons",
        slug="pilot-risks-copy",
        name="Pilot risks",
    )
    profile = saved.profile
    assert weights_of(profile) == {
        "implementation_costs": 26,
        "data_privacy_risk": 21,
        "roi": 18,
        "hallucination_risk": 15,
    }
    link = profile.weights.get(criterion__key="roi").benchmark
    assert (link.category, link.key) == ("pilot_failure_reasons", "disappointing_roi")
    assert profile.survey == survey
    assert unmapped == [] or all(isinstance(b, Benchmark) for b in unmapped)


def test_deriving_from_a_category_that_is_not_shares_is_refused(editor):
    survey = Survey.objects.get(slug="menlo-2024")
    with pytest.raises(ValidationError, match="is not a set of shares"):
        derive_profile_from_survey(
            user=editor, survey=survey, category="spend", slug="spend", name="Spend"
        )
    assert not WeightProfile.objects.filter(slug="spend").exists()


def test_deriving_from_a_category_with_no_mapped_figure_is_refused(editor):
    survey = Survey.objects.get(slug="menlo-2024")
    with pytest.raises(ValidationError, match="maps to a criterion"):
        derive_profile_from_survey(
            user=editor,
            survey=survey,
            category="use_case_adoption",
            slug="uses",
            name="Uses",
        )


def test_duplicating_copies_weights_and_sources_under_a_new_slug(editor):
    original = WeightProfile.objects.get(slug="menlo-2024-llm-switching")
    copy = duplicate_profile(user=editor, profile=original).profile
    assert copy.slug == "menlo-2024-llm-switching-copy"
    assert not copy.builtin
    assert weights_of(copy) == weights_of(original)
    assert copy.weights.get(criterion__key="price").benchmark.category == (
        "llm_switching_motivations"
    )
    again = duplicate_profile(user=editor, profile=original).profile
    assert again.slug == "menlo-2024-llm-switching-copy-2"


def test_comparing_shows_weights_side_by_side_and_both_rankings(member):
    _, workspace = member
    tools = cheap_and_strong_tools(workspace)
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    a = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    b = WeightProfile.objects.get(slug="menlo-2024-llm-switching")
    runs = Run.objects.count()
    comparison = compare_profiles(a=a, b=b, evaluation=evaluation)
    by_key = {row["criterion"].key: row for row in comparison.weights}
    assert by_key["roi"]["share_a"] == pytest.approx(30 / 57)
    assert by_key["roi"]["share_b"] == 0
    assert by_key["price"]["share_b"] == pytest.approx(44 / 173)
    ranks = {t["tool_name"]: (t["rank_a"], t["rank_b"]) for t in comparison.tools}
    assert ranks["Strong"][0] == 1
    assert set(ranks) == {"Cheap", "Strong"}
    assert Run.objects.count() == runs  # nothing stored


def test_comparing_reports_when_a_profile_cannot_rank_the_evaluation(member):
    _, workspace = member
    tools = [
        scored_tool(workspace, "A", roi=3, industry_customization=4, price=9),
        scored_tool(workspace, "B", roi=4, industry_customization=3, price=19),
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    a = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    b = WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    comparison = compare_profiles(a=a, b=b, evaluation=evaluation)
    assert comparison.rankings[0].error == ""
    assert "Missing scores" in comparison.rankings[1].error
    assert Evaluation.objects.get(pk=evaluation.pk).profile == a
