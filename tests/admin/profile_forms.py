"""The weight profile admin's change form as a browser would post it, and the values
the tests start from."""

from django.urls import reverse

from selector.models import Criterion

PROFILE_PERMS = [
    "add_weightprofile",
    "change_weightprofile",
    "delete_weightprofile",
    "view_weightprofile",
    "view_batch",
]
APP_WEIGHTS = {"roi": 30, "industry_customization": 26, "price": 1}


def change_url(profile):
    return reverse("admin:selector_weightprofile_change", args=[profile.pk])


def form_data(profile, values: dict[str, object], *, name=None) -> dict:
    """The change form as the admin would post it, with ``values`` by criterion key
    (a key missing from ``values`` is deleted; a new key is added)."""
    weights = list(profile.weights.select_related("criterion").order_by("pk"))
    data = {
        "slug": profile.slug,
        "name": name or profile.name,
        "description": profile.description,
        "survey": profile.survey_id or "",
        "weights-TOTAL_FORMS": 0,
        "weights-INITIAL_FORMS": len(weights),
        "weights-MIN_NUM_FORMS": 0,
        "weights-MAX_NUM_FORMS": 1000,
    }
    if profile.builtin:
        data["builtin"] = "on"
    i = 0
    for weight in weights:
        prefix = f"weights-{i}"
        data.update(
            {
                f"{prefix}-id": weight.pk,
                f"{prefix}-profile": profile.pk,
                f"{prefix}-criterion": weight.criterion_id,
                f"{prefix}-value": values.get(weight.criterion.key, weight.value),
                f"{prefix}-benchmark": weight.benchmark_id or "",
            }
        )
        if weight.criterion.key not in values:
            data[f"{prefix}-DELETE"] = "on"
        i += 1
    existing = {w.criterion.key for w in weights}
    for key, value in values.items():
        if key in existing:
            continue
        prefix = f"weights-{i}"
        data.update(
            {
                f"{prefix}-profile": profile.pk,
                f"{prefix}-criterion": Criterion.objects.get(key=key).pk,
                f"{prefix}-value": value,
                f"{prefix}-benchmark": "",
            }
        )
        i += 1
    data["weights-TOTAL_FORMS"] = i
    return data
