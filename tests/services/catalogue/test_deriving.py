"""New profiles from a survey category's shares (each weight linked to its figure), and
copies of a profile."""

import pytest
from django.core.exceptions import ValidationError

from selector.models import WeightProfile
from selector.services.catalogue.deriving import (
    derive_profile_from_survey,
    duplicate_profile,
)
from survey.models import Benchmark, Survey
from tests.factories import weights_of

pytestmark = pytest.mark.django_db


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
    assert unmapped == []  # each of the four figures maps to a criterion


def test_a_figure_that_maps_to_no_criterion_is_left_out_and_returned(editor):
    survey = Survey.objects.get(slug="menlo-2024")
    shares = survey.benchmarks.filter(category="pilot_failure_reasons")
    lock_in = Benchmark.objects.create(
        survey=survey,
        category="pilot_failure_reasons",
        key="vendor_lock_in",
        label="Vendor lock-in",
        value=12,
        unit=shares.first().unit,
        position=99,
    )
    saved, unmapped = derive_profile_from_survey(
        user=editor,
        survey=survey,
        category="pilot_failure_reasons",
        slug="pilot-risks-copy",
        name="Pilot risks",
    )
    assert unmapped == [lock_in]
    assert weights_of(saved.profile) == {
        "implementation_costs": 26,
        "data_privacy_risk": 21,
        "roi": 18,
        "hallucination_risk": 15,
    }


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
