"""The evaluation builder: the survey profiles with their sources, save and run, missing
scores, the weight preview, the methods' own options, and no other workspace's
evaluations or tools."""

import pytest
from django.utils.html import escape

from selector.engine import PREFERENCES
from selector.models import Evaluation, Run, WeightProfile
from selector.services.runs import start_run
from selector.views.evaluation_forms import PREFERENCE_CHOICES
from tests.factories import EvaluationFactory, ToolFactory, scored_tool

pytestmark = pytest.mark.django_db


def builder_data(tools, **extra):
    profile = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    data = {
        "name": "Assistant for everyone",
        "tools": [tool.pk for tool in tools],
        "profile": profile.pk,
        "method": "wsm",
        "normalization": "",
        "missing_scores": "block",
    }
    for weight in profile.weights.all():
        data[f"weight_{profile.pk}_{weight.criterion.key}"] = weight.value
    data.update(extra)
    return data


def ranking(response) -> list[str]:
    return [row["result"].tool_name for row in response.context["ranking"]]


def test_the_builder_offers_the_survey_profiles_with_their_sources(
    member_client, three_tools
):
    page = member_client.get("/evaluations/new/").content.decode()
    assert "Menlo 2024: how buyers select AI applications" in page
    assert 'data-survey-value="30.0"' in page
    assert "Measurable ROI / return on investment" in page
    assert "Reset to the survey's values" in page
    survey = WeightProfile.objects.get(slug="menlo-2024-app-selection").survey
    press = escape(survey.evidence_levels["press"])
    assert f'evidence-press" title="press: {press}">press</span>' in page


def test_save_and_run_shows_the_ranking_computed_by_hand(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/evaluations/new/", builder_data(three_tools, run="1")
        )
    run = Run.objects.get()
    assert response.url == f"/runs/{run.pk}/"
    assert run.status == Run.Status.DONE
    page = member_client.get(response.url)
    # Min-max WSM with weights 30/26/1 (sum 57): C = 30/57, B = 27/57, A = 24.4167/57.
    assert ranking(page) == ["C", "B", "A"]
    scores = [row["result"].score for row in page.context["ranking"]]
    assert scores == pytest.approx([30 / 57, 27 / 57, (15 + 26 / 3 + 0.75) / 57])
    html = page.content.decode()
    assert "stays first while Measurable ROI&#x27;s weight is" in html
    assert 'id="contribution-chart"' in html and 'id="acceptability-chart"' in html
    assert "2024: The State of Generative AI in the Enterprise" in html
    weights = html[html.index('<section class="card" id="weights">') :]
    weights = weights[: weights.index("</section>")]
    assert weights.count('evidence-press" title="press: a press summary') == 3


def test_missing_scores_block_the_run_and_name_tool_and_criterion(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    three_tools.append(scored_tool(member[1], "D", roi=3))
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/evaluations/new/", builder_data(three_tools, run="1"), follow=True
        )
    assert not Run.objects.exists()
    page = response.content.decode()
    assert page.count('id="missing-scores"') == 1
    assert "<li>D: Industry customization, Price</li>" in page
    # Said once: the box lists them, the message only says the run did not start.
    assert "Missing scores: D" not in page
    assert "Not run: some scores are missing" in page


def test_missing_scores_can_count_as_the_worst_value(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    three_tools.append(scored_tool(member[1], "D", roi=5, industry_customization=5))
    data = builder_data(three_tools, run="1", missing_scores="worst")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/evaluations/new/", data)
    run = Run.objects.get()
    assert run.status == Run.Status.DONE
    assert run.inputs["filled_as_worst"] == [
        {"tool": "D", "criterion": "price", "value": 60.0}
    ]
    page = member_client.get(response.url).content.decode()
    assert "Treated as worst value: D / Price = 60" in page  # its name, not its key


def test_moving_a_weight_previews_a_new_order_without_saving(
    member_client, three_tools
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    response = member_client.post(
        f"/evaluations/{evaluation.pk}/preview/",
        {"w-roi": "0", "w-industry_customization": "50", "w-price": "50"},
    )
    assert [row["tool_name"] for row in response.context["rows"]] == ["B", "A", "C"]
    evaluation.refresh_from_db()
    assert evaluation.weight_overrides == {}
    assert not Run.objects.exists()


def test_a_preview_with_bad_weights_says_why(member_client, three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    response = member_client.post(
        f"/evaluations/{evaluation.pk}/preview/",
        {"w-roi": "0", "w-industry_customization": "0", "w-price": "0"},
    )
    assert "At least one weight must be above zero" in response.content.decode()


def test_saving_moved_weights_reruns_with_them(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/evaluations/{evaluation.pk}/run/",
            {
                "save_weights": "1",
                "w-roi": "0",
                "w-industry_customization": "50",
                "w-price": "30",
            },
        )
    evaluation.refresh_from_db()
    assert evaluation.weight_overrides == {
        "roi": 0,
        "industry_customization": 50,
        "price": 30,
    }
    page = member_client.get(response.url)
    assert ranking(page) == ["B", "A", "C"]
    assert "adjusted from 30" in page.content.decode()


def test_an_evaluation_needs_two_tools(member_client, three_tools):
    response = member_client.post("/evaluations/new/", builder_data(three_tools[:1]))
    assert "at least two tools" in response.context["form"].errors["tools"][0]
    assert not Evaluation.objects.exists()


def test_the_builder_refuses_another_workspaces_tool(member_client, three_tools):
    foreign = ToolFactory(name="Foreign")
    response = member_client.post(
        "/evaluations/new/", builder_data([*three_tools, foreign])
    )
    assert "tools" in response.context["form"].errors
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("bad", ["99999999999999999999999", "abc", "0"])
def test_a_tool_id_no_row_could_have_is_a_form_error(member_client, three_tools, bad):
    data = builder_data(three_tools)
    data["tools"] = [*data["tools"], bad]
    response = member_client.post("/evaluations/new/", data)
    assert response.status_code == 200
    assert "is not a valid value" in response.context["form"].errors["tools"][0]
    assert not Evaluation.objects.exists()


def test_another_workspaces_evaluation_and_runs_are_404(
    member_client, foreign_evaluation, django_capture_on_commit_callbacks
):
    other_user, evaluation = foreign_evaluation
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(user=other_user, evaluation=evaluation)
    for path in (
        f"/evaluations/{evaluation.pk}/",
        f"/evaluations/{evaluation.pk}/edit/",
        f"/runs/{run.pk}/",
        f"/runs/{run.pk}/export.csv",
        f"/runs/{run.pk}/status/",
    ):
        assert member_client.get(path).status_code == 404, path
    for path in (
        f"/evaluations/{evaluation.pk}/run/",
        f"/evaluations/{evaluation.pk}/preview/",
    ):
        assert member_client.post(path, {"w-roi": "1"}).status_code == 404, path
    assert Run.objects.count() == 1


# The methods' own options in the builder.


def thresholds(profile, **by_key):
    """Builder fields q_<profile>_<key> / p_<profile>_<key> from {key: (q, p)}."""
    data = {}
    for key, (q, p) in by_key.items():
        data[f"q_{profile.pk}_{key}"], data[f"p_{profile.pk}_{key}"] = q, p
    return data


def test_the_builder_saves_promethees_preference_function_and_thresholds(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    profile = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    data = builder_data(
        three_tools,
        method="promethee2",
        preference="linear",
        vikor_v="0.9",  # another method's option: not kept
        run="1",
        **thresholds(
            profile, roi=(0.5, 2), industry_customization=(0.5, 2), price=(2, 15)
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/evaluations/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    evaluation = Evaluation.objects.get()
    assert evaluation.method_options == {
        "preference": "linear",
        "q": {"roi": 0.5, "industry_customization": 0.5, "price": 2.0},
        "p": {"roi": 2.0, "industry_customization": 2.0, "price": 15.0},
    }
    run = evaluation.runs.get()
    assert run.status == Run.Status.DONE
    assert run.inputs["method_options"]["preference"] == "linear"
    page = member_client.get(f"/evaluations/{evaluation.pk}/edit/").content.decode()
    assert f'name="p_{profile.pk}_price" value="15.0"' in page
    assert '<option value="linear" selected>' in page


def test_a_threshold_missing_for_one_criterion_is_shown_next_to_it(
    member_client, three_tools
):
    profile = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    data = builder_data(
        three_tools,
        method="promethee2",
        preference="vshape",
        **thresholds(profile, roi=("", 2), industry_customization=("", 2)),
    )
    response = member_client.post("/evaluations/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"p_{profile.pk}_price"] == [
        "Give every criterion a threshold (or one number for all)."
    ]
    assert not Evaluation.objects.exists()


def test_the_builder_saves_vikors_compromise(member_client, three_tools):
    response = member_client.post(
        "/evaluations/new/", builder_data(three_tools, method="vikor", vikor_v="0.25")
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().method_options == {"v": 0.25}


def test_the_builder_offers_every_preference_function_the_engine_knows():
    assert [value for value, _ in PREFERENCE_CHOICES] == list(PREFERENCES)
