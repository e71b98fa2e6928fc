"""Batches: many runs started together, fanned out as one Celery group.

Kinds:
- ``profiles``: the evaluation under every weight profile, one run per profile;
- ``smaa``: a Monte Carlo study, its samples split in chunks, one run per chunk with its
  own random stream; the chunks are merged into ``Batch.result`` when all are done;
- ``rerank``: the evaluations that follow a profile, re-run after the profile changed,
  or that weigh a criterion, re-run after its direction changed.

Progress is counted from the runs in the database (``selectors.batch_progress``);
after each run the task settles the batch (``settle_batch``), and the sweeper settles
any whose settling was lost.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from selector.models import (
    Batch,
    Criterion,
    Evaluation,
    Run,
    WeightProfile,
)
from selector.queue import enqueue_after_commit
from selector.selectors import batch_progress, evaluations_using
from selector.services.batch_results import batch_result
from selector.services.runs import queue_run
from selector.services.workspaces import author, require_role

logger = logging.getLogger(__name__)

SMAA_DEFAULT_SAMPLES = 20_000
SMAA_DEFAULT_CHUNK = 2_000
SMAA_MAX_SAMPLES = 2_000_000
SMAA_MIN_CHUNK = 100
SMAA_MAX_CHUNKS = 1_000


def start_batch(*, user, evaluation: Evaluation, kind: str, **options) -> Batch:
    """Start a batch of runs of ``evaluation``; returns it with its runs queued.

    Options by kind: ``profiles`` takes ``profiles`` (slugs; default every profile);
    ``smaa`` takes ``samples`` (default 20,000), ``chunk_size`` (default 2,000) and
    ``seed``; ``rerank`` re-runs the evaluations of the same workspace that follow the
    evaluation's profile. Raises ValidationError for bad options or when no run can be
    started, PermissionDenied for viewers, and BrokerUnavailable after the commit when
    the workers cannot be reached (the batch and its runs are saved, queued).
    """
    if user is not None:
        require_role(user=user, workspace=evaluation.workspace)
    starters = {
        Batch.Kind.PROFILES: _start_profiles,
        Batch.Kind.SMAA: _start_smaa,
        Batch.Kind.RERANK: _start_workspace_rerank,
    }
    if kind not in starters:
        raise ValidationError(
            {
                "kind": f"Unknown batch kind {kind!r}; choose one of {', '.join(starters)}."
            }
        )
    with transaction.atomic():
        batch = starters[kind](user=user, evaluation=evaluation, **options)
        enqueue_after_commit(_run_ids(batch), batch_id=batch.pk)
    return batch


def rerank_profile(*, profile: WeightProfile, user=None) -> Batch | None:
    """Re-run every evaluation that follows ``profile`` (after the profile was edited).

    Called by the service that saves profiles, inside or after its transaction, so the
    snapshots see the new weights. Earlier re-rank batches of the profile that are still
    running are cancelled (their results would be stale). Returns None when no
    evaluation follows the profile. Never raises BrokerUnavailable: the edit is saved
    and the runs stay queued until the sweeper sends them.
    """
    return _rerank(
        Evaluation.objects.filter(profile=profile).select_related(
            "workspace", "profile"
        ),
        user=user,
        profile=profile,
        options={"profile": profile.slug},
        superseded=Batch.objects.filter(profile=profile),
        reason="Superseded by a newer edit of the weight profile.",
    )


def rerank_criterion(*, criterion: Criterion, user=None) -> Batch | None:
    """Re-run every evaluation that weighs ``criterion`` (after its direction changed).

    Like ``rerank_profile``: earlier re-rank batches of the criterion still running are
    cancelled; None when no evaluation weighs it; never raises BrokerUnavailable.
    """
    return _rerank(
        evaluations_using(criterion),
        user=user,
        profile=None,
        options={"criterion": criterion.key},
        superseded=Batch.objects.filter(options__criterion=criterion.key),
        reason="Superseded by a newer edit of the criterion.",
    )


def _rerank(evaluations, *, user, profile, options, superseded, reason) -> Batch | None:
    evaluations = list(evaluations)
    if not evaluations:
        return None
    with transaction.atomic():
        for older in superseded.filter(
            kind=Batch.Kind.RERANK, status=Batch.Status.RUNNING
        ):
            _cancel(older, reason=reason)
        workspaces = {evaluation.workspace_id for evaluation in evaluations}
        batch = _new_batch(
            user=user,
            kind=Batch.Kind.RERANK,
            workspace_id=workspaces.pop() if len(workspaces) == 1 else None,
            profile=profile,
            options=options,
        )
        _queue_each(
            batch,
            user,
            [
                (evaluation, {"evaluation": evaluation.pk}, {})
                for evaluation in evaluations
            ],
            allow_empty=True,
        )
        enqueue_after_commit(_run_ids(batch), batch_id=batch.pk, quiet=True)
    return batch


def cancel_batch(*, user, batch: Batch) -> Batch:
    """Stop a running batch: its queued runs fail as cancelled, running ones finish.

    Cancelling a batch that has already finished changes nothing.
    """
    if user is not None:
        if batch.workspace is not None:
            require_role(user=user, workspace=batch.workspace)
        elif not user.is_staff:
            raise PermissionDenied("Only staff can cancel a batch spanning workspaces.")
    with transaction.atomic():
        _cancel(batch, reason=f"Cancelled with batch #{batch.pk}.")
    batch.refresh_from_db()
    return batch


def settle_batch(*, batch_id: int) -> bool:
    """Mark the batch done (with its merged result) once none of its runs is pending;
    whether this call finished it.

    Idempotent, and safe to call after every finishing run at once: a conditional
    UPDATE lets one win.
    """
    pending = Run.objects.filter(
        batch_id=batch_id, status__in=[Run.Status.QUEUED, Run.Status.RUNNING]
    )
    # Called after every run: all but the last stop at this one indexed EXISTS, rather
    # than counting the batch's runs each time.
    if pending.exists():
        return False
    batch = Batch.objects.filter(pk=batch_id, status=Batch.Status.RUNNING).first()
    if batch is None:
        return False
    progress = batch_progress(batch)
    if progress["queued"] or progress["running"] or progress["finished"] < batch.total:
        return False
    result = batch_result(batch)
    return bool(
        Batch.objects.filter(pk=batch_id, status=Batch.Status.RUNNING).update(
            status=Batch.Status.DONE, result=result, finished_at=timezone.now()
        )
    )


# Kinds ---------------------------------------------------------------------------------


def _start_profiles(*, user, evaluation: Evaluation, profiles=None) -> Batch:
    chosen = WeightProfile.objects.order_by("name", "pk")
    if profiles is not None:
        slugs = _string_list(profiles, "profiles")
        chosen = chosen.filter(slug__in=slugs)
        unknown = sorted(set(slugs) - set(chosen.values_list("slug", flat=True)))
        if unknown:
            raise ValidationError(
                {"profiles": f"Unknown weight profile {unknown[0]!r}."}
            )
    batch = _new_batch(
        user=user,
        kind=Batch.Kind.PROFILES,
        evaluation=evaluation,
        workspace_id=evaluation.workspace_id,
        options={} if profiles is None else {"profiles": list(profiles)},
    )
    plans = []
    for profile in chosen:
        # The evaluation's own overrides belong to its own profile only.
        own = profile.pk == evaluation.profile_id
        plans.append(
            (
                evaluation,
                {"profile": profile.slug},
                {"profile": profile, "weights": None if own else {}},
            )
        )
    _queue_each(batch, user, plans)
    return batch


def _start_smaa(
    *,
    user,
    evaluation: Evaluation,
    samples=SMAA_DEFAULT_SAMPLES,
    chunk_size=SMAA_DEFAULT_CHUNK,
    seed=0,
) -> Batch:
    samples = _whole_number(samples, "samples", minimum=1, maximum=SMAA_MAX_SAMPLES)
    chunk_size = _whole_number(
        chunk_size, "chunk_size", minimum=SMAA_MIN_CHUNK, maximum=SMAA_MAX_SAMPLES
    )
    seed = _whole_number(seed, "seed", minimum=0, maximum=2**63 - 1)
    sizes = [chunk_size] * (samples // chunk_size)
    if samples % chunk_size:
        sizes.append(samples % chunk_size)
    if len(sizes) > SMAA_MAX_CHUNKS:
        raise ValidationError(
            {
                "chunk_size": f"{samples} samples in chunks of {chunk_size} make "
                f"{len(sizes)} chunks; use at most {SMAA_MAX_CHUNKS} (a larger chunk_size)."
            }
        )
    batch = _new_batch(
        user=user,
        kind=Batch.Kind.SMAA,
        evaluation=evaluation,
        workspace_id=evaluation.workspace_id,
        options={"samples": samples, "chunk_size": chunk_size, "seed": seed},
    )
    plans = [
        (
            evaluation,
            {"chunk": index},
            # [seed, index] seeds an independent numpy stream per chunk.
            {"extra": {"smaa_samples": size, "smaa_seed": [seed, index]}},
        )
        for index, size in enumerate(sizes)
    ]
    _queue_each(batch, user, plans)
    return batch


def _start_workspace_rerank(*, user, evaluation: Evaluation) -> Batch:
    followers = Evaluation.objects.filter(
        workspace_id=evaluation.workspace_id, profile_id=evaluation.profile_id
    ).order_by("pk")
    batch = _new_batch(
        user=user,
        kind=Batch.Kind.RERANK,
        evaluation=evaluation,
        workspace_id=evaluation.workspace_id,
        profile=evaluation.profile,
        options={"profile": evaluation.profile.slug},
    )
    _queue_each(
        batch,
        user,
        [(follower, {"evaluation": follower.pk}, {}) for follower in followers],
    )
    return batch


# Helpers -------------------------------------------------------------------------------


def _new_batch(*, user, kind, options, **fields) -> Batch:
    return Batch.objects.create(
        kind=kind,
        options=options,
        created_by=author(user),
        **fields,
    )


def _queue_each(batch: Batch, user, plans, *, allow_empty: bool = False) -> None:
    """Queue one run per plan (evaluation, label, queue_run arguments).

    A plan whose inputs cannot be ranked (e.g. a profile with criteria the tools have
    no scores for) is skipped and recorded in ``batch.options["skipped"]``.
    """
    skipped = []
    for evaluation, label, arguments in plans:
        try:
            queue_run(user=user, evaluation=evaluation, batch=batch, **arguments)
        except ValidationError as error:
            skipped.append({**label, "reason": " ".join(error.messages)})
    batch.total = batch.runs.count()
    if skipped:
        batch.options = {**batch.options, "skipped": skipped}
    if batch.total == 0 and not allow_empty:
        reasons = "; ".join(f"{_describe(item)}: {item['reason']}" for item in skipped)
        raise ValidationError(f"No run of this batch can start. {reasons}".strip())
    if batch.total == 0:
        batch.status = Batch.Status.DONE
        batch.finished_at = timezone.now()
    batch.save(update_fields=["total", "options", "status", "finished_at"])


def _describe(label: dict) -> str:
    return ", ".join(
        f"{key} {value}" for key, value in label.items() if key != "reason"
    )


def _run_ids(batch: Batch) -> list[int]:
    return list(batch.runs.order_by("pk").values_list("pk", flat=True))


def _cancel(batch: Batch, *, reason: str) -> None:
    now = timezone.now()
    if Batch.objects.filter(pk=batch.pk, status=Batch.Status.RUNNING).update(
        status=Batch.Status.CANCELLED, finished_at=now
    ):
        batch.runs.filter(status=Run.Status.QUEUED).update(
            status=Run.Status.FAILED, error=reason, finished_at=now, deadline_at=None
        )


def _whole_number(value, name: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({name: f"{value!r} is not a whole number."})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: f"{value!r} is not a whole number."}) from None
    if not minimum <= number <= maximum:
        raise ValidationError({name: f"Must be between {minimum} and {maximum}."})
    return number


def _string_list(value, name: str) -> list[str]:
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise ValidationError({name: "Send a list of slugs."})
    return list(value)
