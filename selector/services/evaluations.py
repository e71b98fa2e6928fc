"""Evaluations: which tools, judged on which weights, by which method and options.

The methods' own options are read here the same way for stored evaluations and for
the stateless rank API: VIKOR ``v``; PROMETHEE II ``preference`` with the thresholds
``q`` and ``p``, each one number for every criterion or one per criterion key (in the
criterion's units).
"""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from selector import engine
from selector.limits import MAX_ERRORS
from selector.messages import engine_message
from selector.models import Evaluation, Tool, WeightProfile, Workspace
from selector.numbers import parse_weight
from selector.services.workspaces import require_role

THRESHOLDS = ("q", "p")


def engine_options(
    method: str, options: Mapping | None, keys: Sequence[str], *, field: str
) -> dict:
    """The options as the engine takes them, per-criterion thresholds as lists in the
    order of ``keys``, after checking them all with the engine.

    Raises ValidationError keyed by field path (``options.v``, ``options.q.price``):
    an option the method does not take, a threshold missing for a criterion or given
    for an unknown one, or a combination the method refuses (e.g. the linear
    preference function without ``p``).
    """
    # An option left blank (None, "") is not given: the method's default applies.
    options = {
        name: value
        for name, value in (options or {}).items()
        if value is not None and value != ""
    }
    takes = engine.METHOD_OPTIONS[method]
    errors = {}
    for name in options:
        if name not in takes:
            errors[f"{field}.{name}"] = (
                gettext("The method %(method)s takes only %(options)s.")
                % {"method": method, "options": ", ".join(takes)}
                if takes
                else gettext("The method %(method)s takes no options.")
                % {"method": method}
            )
    for name in THRESHOLDS:
        by_key = options.get(name)
        if not isinstance(by_key, Mapping):
            continue
        for key in sorted(by_key.keys() - set(keys)):
            errors[f"{field}.{name}.{key}"] = gettext("Unknown criterion %(key)s.") % {
                "key": repr(key)
            }
        for key in keys:
            if key not in by_key:
                errors[f"{field}.{name}.{key}"] = gettext(
                    "Give every criterion a threshold (or one number for all)."
                )
        options[name] = [by_key.get(key, 0.0) for key in keys]
    if errors:
        raise ValidationError(errors)
    try:
        engine.check_method_options(method, options, list(keys))
    except engine.EngineError as error:
        raise ValidationError({field: f"{engine_message(error)}."}) from None
    return options


def profile_weights(profile: WeightProfile) -> dict[str, float]:
    """The profile's own weights by criterion key (one query)."""
    return {
        w.criterion.key: w.value for w in profile.weights.select_related("criterion")
    }


def clean_weight_overrides(
    profile: WeightProfile,
    overrides: Mapping[str, object],
    *,
    profile_values: Mapping[str, float] | None = None,
) -> dict:
    """The overrides as numbers by criterion key; ValidationError naming each bad one
    (at most ``MAX_ERRORS``: the loop stops there).

    ``profile_values``: the profile's weights, when the caller has read them already.
    """
    if profile_values is None:
        profile_values = profile_weights(profile)
    cleaned, errors = {}, {}
    for key, raw in (overrides or {}).items():
        if len(errors) >= MAX_ERRORS:
            break
        if key not in profile_values:
            errors[f"weights.{key}"] = gettext(
                "%(key)s is not a criterion of the profile %(profile)s "
                "(its criteria: %(criteria)s)."
            ) % {
                "key": repr(key),
                "profile": repr(profile.slug),
                "criteria": ", ".join(sorted(profile_values)),
            }
            continue
        try:
            value = parse_weight(raw, key)
        except ValidationError as error:
            errors[f"weights.{key}"] = error.messages[0]
            continue
        if value is not None:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    if not any(value > 0 for value in {**profile_values, **cleaned}.values()):
        raise ValidationError(
            {"weights": gettext("At least one weight must be above zero.")}
        )
    return cleaned


@transaction.atomic
def save_evaluation(
    *,
    user,
    workspace: Workspace,
    name: str,
    profile: WeightProfile,
    tools: Iterable[Tool],
    method: str = "wsm",
    normalization: str = "",
    weight_overrides: Mapping[str, object] | None = None,
    missing_scores: str = Evaluation.MissingScores.BLOCK,
    evaluation: Evaluation | None = None,
    method_options: Mapping[str, object] | None = None,
) -> Evaluation:
    """Create or update an evaluation; ValidationError naming the field otherwise.

    ``method_options`` are the method's own (see ``engine_options``); None keeps an
    existing evaluation's options while its method stays the same.
    """
    require_role(user=user, workspace=workspace)
    if evaluation is not None and evaluation.workspace_id != workspace.pk:
        raise PermissionDenied(gettext("The evaluation belongs to another workspace."))
    tools = list(tools)
    foreign = [tool.name for tool in tools if tool.workspace_id != workspace.pk]
    if foreign:
        raise ValidationError(
            {
                "tools": gettext("%(tool)s is not in this workspace.")
                % {"tool": repr(foreign[0])}
            }
        )
    if len(tools) < 2:
        raise ValidationError(
            {"tools": gettext("Choose at least two tools to compare.")}
        )
    if method_options is None:
        same_method = evaluation is not None and evaluation.method == method
        method_options = evaluation.method_options if same_method else {}
    profile_values = profile_weights(profile)
    engine_options(method, method_options, list(profile_values), field="options")
    evaluation = evaluation or Evaluation(workspace=workspace, created_by=user)
    evaluation.name = name.strip() if isinstance(name, str) else name
    evaluation.profile = profile
    evaluation.method = method
    evaluation.method_options = dict(method_options)
    evaluation.normalization = normalization or ""
    evaluation.missing_scores = missing_scores
    evaluation.weight_overrides = clean_weight_overrides(
        profile, weight_overrides or {}, profile_values=profile_values
    )
    evaluation.full_clean()
    evaluation.save()
    evaluation.tools.set(tools)
    return evaluation


@transaction.atomic
def set_evaluation_weights(
    *, user, evaluation: Evaluation, weights: Mapping
) -> Evaluation:
    """Replace the evaluation's weight overrides (values equal to the profile's drop out)."""
    require_role(user=user, workspace=evaluation.workspace)
    profile_values = profile_weights(evaluation.profile)
    cleaned = clean_weight_overrides(
        evaluation.profile, weights, profile_values=profile_values
    )
    evaluation.weight_overrides = {
        key: value for key, value in cleaned.items() if value != profile_values.get(key)
    }
    evaluation.save(update_fields=["weight_overrides", "updated_at"])
    return evaluation


@transaction.atomic
def delete_evaluation(*, user, evaluation: Evaluation) -> None:
    require_role(user=user, workspace=evaluation.workspace)
    evaluation.delete()
