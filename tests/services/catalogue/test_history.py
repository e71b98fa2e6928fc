"""Profile history: every edit is recorded with who, when and the old and new values,
and a revert restores a version (and is recorded too)."""

import pytest

from selector.models import Weight, WeightProfile
from selector.services.catalogue.history import profile_change_log, revert_profile
from selector.services.catalogue.profiles import save_profile
from tests.factories import weights_of

pytestmark = pytest.mark.django_db


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
    assert ("Weight of Industry customization", "5", "(removed)") in {
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
