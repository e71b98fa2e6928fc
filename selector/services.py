"""Every write of the decision domain: workspaces, tools and scores, evaluations, runs.

Functions are keyword-only, atomic, check the caller's role, and validate with
``full_clean`` so the same rules hold for pages, the API, tasks and imports.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from selector.method_options import engine_options
from selector.models import (
    TOOL_FIELDS,
    Criterion,
    Evaluation,
    Membership,
    Score,
    Tool,
    WeightProfile,
    Workspace,
)
from selector.numbers import parse_number, parse_weight
from selector.queries import membership_for

# Workspaces and roles ------------------------------------------------------------------


def require_role(*, user, workspace: Workspace, edit: bool = True) -> Membership:
    """The user's membership of ``workspace``; PermissionDenied if they may not act."""
    membership = membership_for(user, workspace)
    if membership is None:
        raise PermissionDenied("You are not a member of this workspace.")
    if edit and not membership.can_edit:
        raise PermissionDenied("Viewers cannot change this workspace.")
    return membership


@transaction.atomic
def create_workspace(*, user, name: str) -> Workspace:
    workspace = Workspace(name=name.strip())
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(
        workspace=workspace, user=user, role=Membership.Role.OWNER
    )
    return workspace


def ensure_workspace(*, user) -> Workspace:
    """The user's first workspace, created for them if they have none."""
    membership = (
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("id")
        .first()
    )
    if membership is not None:
        return membership.workspace
    return create_workspace(user=user, name=f"{user.get_username()}'s workspace")


@transaction.atomic
def add_member(*, user, workspace: Workspace, member, role: str) -> Membership:
    if require_role(user=user, workspace=workspace).role != Membership.Role.OWNER:
        raise PermissionDenied("Only owners can add members.")
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=member, defaults={"role": role}
    )
    return membership


# Tools and scores ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    value: float
    low: float | None = None
    high: float | None = None
    evidence: str = ""


def _score_input(raw) -> ScoreInput | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, ScoreInput):
        return raw
    if isinstance(raw, Mapping):
        return ScoreInput(
            value=raw.get("value"),
            low=raw.get("low"),
            high=raw.get("high"),
            evidence=raw.get("evidence") or "",
        )
    return ScoreInput(value=raw)


def _criteria_by_key(keys: Iterable[str]) -> dict[str, Criterion]:
    keys = set(keys)
    found = {c.key: c for c in Criterion.objects.filter(key__in=keys)}
    unknown = sorted(keys - found.keys())
    if unknown:
        raise ValidationError({"scores": f"Unknown criterion {unknown[0]!r}."})
    return found


def _apply_scores(tool: Tool, scores: Mapping[str, object]) -> None:
    """Create, update or (for an empty value) delete the tool's scores by criterion key."""
    criteria = _criteria_by_key(scores)
    existing = {s.criterion.key: s for s in tool.scores.select_related("criterion")}
    errors = {}
    for key, raw in scores.items():
        criterion = criteria[key]
        try:
            score_input = _score_input(raw)
            if score_input is None:
                if key in existing:
                    existing[key].delete()
                continue
            score = existing.get(key) or Score(tool=tool, criterion=criterion)
            score.value = parse_number(score_input.value, criterion.name)
            if score.value is None:
                raise ValidationError(f"{criterion.name}: a value is required.")
            score.low = parse_number(score_input.low, f"{criterion.name} (low)")
            score.high = parse_number(score_input.high, f"{criterion.name} (high)")
            score.evidence = score_input.evidence
            score.full_clean(exclude=["tool", "criterion"])
            score.save()
        except ValidationError as error:
            messages = (
                [m for ms in error.message_dict.values() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            errors[key] = messages
    if errors:
        raise ValidationError({f"scores.{key}": value for key, value in errors.items()})


@transaction.atomic
def save_tool(
    *,
    user,
    workspace: Workspace,
    data: Mapping[str, object],
    scores: Mapping[str, object] | None = None,
    tool: Tool | None = None,
) -> Tool:
    """Create a tool (``tool`` None) or update it, with its scores by criterion key."""
    if tool is not None and tool.workspace_id != workspace.pk:
        raise PermissionDenied("The tool belongs to another workspace.")
    require_role(user=user, workspace=workspace)
    tool = tool or Tool(workspace=workspace)
    for name in TOOL_FIELDS:
        if name in data:
            setattr(tool, name, data[name] if data[name] is not None else "")
    if tool.list_price == "":
        tool.list_price = None
    tool.full_clean(validate_constraints=False)
    clash = Tool.objects.filter(workspace=workspace, name__iexact=tool.name).exclude(
        pk=tool.pk
    )
    if clash.exists():
        raise ValidationError(
            {"name": f"A tool named {tool.name!r} already exists here."}
        )
    tool.save()
    if scores:
        _apply_scores(tool, scores)
    return tool


@transaction.atomic
def set_scores(*, user, tool: Tool, scores: Mapping[str, object]) -> Tool:
    require_role(user=user, workspace=tool.workspace)
    _apply_scores(tool, scores)
    Tool.objects.filter(pk=tool.pk).update(updated_at=timezone.now())
    return tool


@transaction.atomic
def delete_tool(*, user, tool: Tool) -> None:
    require_role(user=user, workspace=tool.workspace)
    tool.delete()


# Evaluations ---------------------------------------------------------------------------


def clean_weight_overrides(
    profile: WeightProfile, overrides: Mapping[str, object]
) -> dict:
    allowed = {
        weight.criterion.key for weight in profile.weights.select_related("criterion")
    }
    cleaned, errors = {}, {}
    for key, raw in (overrides or {}).items():
        if key not in allowed:
            errors[f"weights.{key}"] = (
                f"{key!r} is not a criterion of the profile {profile.slug!r} "
                f"(its criteria: {', '.join(sorted(allowed))})."
            )
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
    weights = {
        w.criterion.key: w.value for w in profile.weights.select_related("criterion")
    }
    weights.update(cleaned)
    if not any(value > 0 for value in weights.values()):
        raise ValidationError({"weights": "At least one weight must be above zero."})
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

    ``method_options`` are the method's own (see ``selector.method_options``); None
    keeps an existing evaluation's options while its method stays the same.
    """
    require_role(user=user, workspace=workspace)
    if evaluation is not None and evaluation.workspace_id != workspace.pk:
        raise PermissionDenied("The evaluation belongs to another workspace.")
    tools = list(tools)
    foreign = [tool.name for tool in tools if tool.workspace_id != workspace.pk]
    if foreign:
        raise ValidationError({"tools": f"{foreign[0]!r} is not in this workspace."})
    if len(tools) < 2:
        raise ValidationError({"tools": "Choose at least two tools to compare."})
    if method_options is None:
        same_method = evaluation is not None and evaluation.method == method
        method_options = evaluation.method_options if same_method else {}
    keys = [
        weight.criterion.key for weight in profile.weights.select_related("criterion")
    ]
    engine_options(method, method_options, keys, field="options")
    evaluation = evaluation or Evaluation(workspace=workspace, created_by=user)
    evaluation.name = name.strip() if isinstance(name, str) else name
    evaluation.profile = profile
    evaluation.method = method
    evaluation.method_options = dict(method_options)
    evaluation.normalization = normalization or ""
    evaluation.missing_scores = missing_scores
    evaluation.weight_overrides = clean_weight_overrides(
        profile, weight_overrides or {}
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
    cleaned = clean_weight_overrides(evaluation.profile, weights)
    profile_values = {
        w.criterion.key: w.value
        for w in evaluation.profile.weights.select_related("criterion")
    }
    evaluation.weight_overrides = {
        key: value for key, value in cleaned.items() if value != profile_values.get(key)
    }
    evaluation.save(update_fields=["weight_overrides", "updated_at"])
    return evaluation


@transaction.atomic
def delete_evaluation(*, user, evaluation: Evaluation) -> None:
    require_role(user=user, workspace=evaluation.workspace)
    evaluation.delete()


# CSV import ----------------------------------------------------------------------------


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if key == "__all__" else f"{key.removeprefix('scores.')}: {message}"
        for key, messages in error.message_dict.items()
        for message in messages
    ]


def import_tools_csv(*, user, workspace: Workspace, raw: bytes, commit: bool) -> list:
    """Check (``commit=False``) or import a tools CSV; every row or none is saved.

    Each row goes through ``save_tool`` in a savepoint, so the preview reports exactly
    the errors a real import would hit. Returns the rows with their errors and action
    ("create" or "update"); raises ``tool_csv.CsvFormatError`` for a broken file.
    """
    from selector.tool_csv import read_rows

    require_role(user=user, workspace=workspace)
    rows = read_rows(raw, list(Criterion.objects.order_by("key")))
    existing = {tool.name.lower(): tool for tool in workspace.tools.all()}
    first_line = {}
    with transaction.atomic():
        for row in rows:
            name = row.name.lower()
            if name and name in first_line:
                row.errors.append(
                    f"the tool {row.name!r} is already on line {first_line[name]}"
                )
            first_line.setdefault(name, row.line)
            tool = existing.get(name)
            row.action = "update" if tool else "create"
            if row.errors:
                continue
            try:
                with transaction.atomic():
                    save_tool(
                        user=user,
                        workspace=workspace,
                        data=row.data,
                        scores={
                            k: v for k, v in row.scores.items() if v is not None or tool
                        },
                        tool=tool,
                    )
            except ValidationError as error:
                row.errors.extend(_messages(error))
        if not commit or any(row.errors for row in rows):
            transaction.set_rollback(True)
    return rows


@transaction.atomic
def save_score_grid(*, user, changes: Mapping[Tool, Mapping[str, object]]) -> None:
    """Save a grid of scores (tool -> criterion key -> value); all cells or none.

    Errors are keyed ``"<tool id>:<criterion key>"`` so a page can mark each cell.
    """
    errors = {}
    for tool, scores in changes.items():
        require_role(user=user, workspace=tool.workspace)
        for key, raw in scores.items():
            try:
                with transaction.atomic():
                    _apply_scores(tool, {key: raw})
            except ValidationError as error:
                errors[f"{tool.pk}:{key}"] = [
                    m.split(": ", 1)[-1] for m in _messages(error)
                ]
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
