"""Batches: many runs started together, fanned out as one Celery group.

Kinds:
- ``profiles``: the evaluation under every weight profile, one run per profile;
- ``smaa``: a Monte Carlo study, its samples split in chunks, one run per chunk with its
  own random stream (all chunks share one snapshot); the chunks are merged into
  ``Batch.result`` when all are done;
- ``rerank``: the evaluations that follow a profile, re-run after the profile changed,
  or that weigh a criterion, re-run after its direction changed.

Bounded work (settings): a study has at most SMAA_MAX_SAMPLES samples and
SMAA_MAX_TOOL_SAMPLES tools x samples, and a chunk at least as many samples as there
are tools (each stores a tools x ranks table); without a broker the runs' work is
bounded by ``queue.check_inline_work``.

Progress is counted from the runs in the database (``selectors.batch_progress``).
``settle_batch`` finishes a batch once none of its runs is pending: called by the task
after each run (and on a repeated delivery of a finished one), by the sweeper, and by
the batch page and API, so a batch whose settling was lost (a killed worker or request)
is settled by the next of them.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from selector.messages import Message
from selector.models import (
    Batch,
    Criterion,
    Evaluation,
    Run,
    WeightProfile,
)
from selector.queue import check_inline_work, enqueue_after_commit
from selector.selectors import batch_progress, evaluations_using
from selector.services import snapshots
from selector.services.batch_options import smaa_chunks, string_list
from selector.services.batch_results import batch_result
from selector.services.evaluations import profile_weights
from selector.services.runs import queue_run
from selector.services.workspaces import author, require_role

logger = logging.getLogger(__name__)


def start_batch(*, user, evaluation: Evaluation, kind: str, **options) -> Batch:
    """Start a batch of runs of ``evaluation``; returns it with its runs queued.

    Options by kind: ``profiles`` takes ``profiles`` (slugs; default every profile);
    ``smaa`` takes ``samples`` (default 20,000), ``chunk_size`` (default 2,000, or the
    number of tools if more) and ``seed``; ``rerank`` re-runs the evaluations of the
    same workspace that follow the evaluation's profile. Raises ValidationError for bad
    options (beyond the limits too) or when no run can be started, WorkTooLarge when
    the runs are more than a request may compute (no broker), PermissionDenied for
    viewers, and BrokerUnavailable after the commit when the workers cannot be reached
    (the batch and its runs are saved, queued).
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
                "kind": gettext("Unknown batch kind %(kind)s; choose one of %(kinds)s.")
                % {"kind": repr(kind), "kinds": ", ".join(starters)}
            }
        )
    with transaction.atomic():
        batch, queued = starters[kind](user=user, evaluation=evaluation, **options)
        enqueue_after_commit(queued, batch_id=batch.pk)
    return batch


def rerank_profile(*, profile: WeightProfile, user=None) -> Batch | None:
    """Re-run every evaluation that follows ``profile`` (after the profile was edited).

    Called by the service that saves profiles, inside or after its transaction, so the
    snapshots see the new weights. Earlier re-rank batches of the profile that are still
    running are cancelled (their results would be stale). Returns None when no
    evaluation follows the profile. Never raises BrokerUnavailable: the edit is saved
    and the runs stay queued until the sweeper sends them. Raises WorkTooLarge (and
    saves nothing) when the re-runs are more than a request may compute (no broker).
    """
    return _rerank(
        Evaluation.objects.filter(profile=profile).select_related(
            "workspace", "profile"
        ),
        user=user,
        profile=profile,
        options={"profile": profile.slug},
        superseded=Batch.objects.filter(profile=profile),
        reason=Message(
            gettext_noop("Superseded by a newer edit of the weight profile.")
        ),
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
        reason=Message(gettext_noop("Superseded by a newer edit of the criterion.")),
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
        queued = _queue_each(
            batch,
            user,
            [
                (evaluation, {"evaluation": evaluation.pk}, {})
                for evaluation in evaluations
            ],
            allow_empty=True,
        )
        enqueue_after_commit(queued, batch_id=batch.pk, quiet=True)
    return batch


def cancel_batch(*, user, batch: Batch) -> Batch:
    """Stop a running batch: its queued runs fail as cancelled, running ones finish.

    Cancelling a batch that has already finished changes nothing.
    """
    if user is not None:
        if batch.workspace is not None:
            require_role(user=user, workspace=batch.workspace)
        elif not user.is_staff:
            raise PermissionDenied(
                gettext("Only staff can cancel a batch spanning workspaces.")
            )
    with transaction.atomic():
        _cancel(
            batch,
            reason=Message(
                gettext_noop("Cancelled with batch #%(batch)s."), {"batch": batch.pk}
            ),
        )
    batch.refresh_from_db()
    return batch


def settle_batch(*, batch_id: int) -> bool:
    """Mark the batch done (with its merged result) once none of its runs is pending;
    whether this call finished it.

    Idempotent, and safe to call from several processes at once: the result is
    written with the status in one conditional UPDATE (running -> done), so one call
    wins and a call killed while merging writes nothing; the next call merges again
    (the merge streams the runs from the database, chunk by chunk).
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
    logger.info("Batch %s: its %s runs finished; settling it", batch_id, batch.total)
    result = batch_result(batch)
    return bool(
        Batch.objects.filter(pk=batch_id, status=Batch.Status.RUNNING).update(
            status=Batch.Status.DONE, result=result, finished_at=timezone.now()
        )
    )


def settle_batch_of_run(*, run_id: int) -> bool:
    """Settle the batch of a finished run delivered again: the first delivery may have
    been killed while settling. Whether this call finished the batch."""
    batch_id = Run.objects.filter(pk=run_id).values_list("batch_id", flat=True).first()
    return batch_id is not None and settle_batch(batch_id=batch_id)


# Kinds ---------------------------------------------------------------------------------


def _start_profiles(*, user, evaluation: Evaluation, profiles=None) -> tuple:
    chosen = WeightProfile.objects.order_by("name", "pk")
    if profiles is not None:
        slugs = string_list(profiles, "profiles")
        chosen = chosen.filter(slug__in=slugs)
        unknown = sorted(set(slugs) - set(chosen.values_list("slug", flat=True)))
        if unknown:
            raise ValidationError(
                {
                    "profiles": gettext("Unknown weight profile %(profile)s.")
                    % {"profile": repr(unknown[0])}
                }
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
        plans.append(
            (evaluation, {"profile": profile.slug}, {"profile": profile, "weights": {}})
        )
        # The evaluation's adjusted weights belong to its own profile only: that
        # profile is ranked twice, under its own weights and under the adjusted ones.
        if profile.pk == evaluation.profile_id and _adjusts(evaluation, profile):
            plans.append(
                (
                    evaluation,
                    {"profile": profile.slug, "weights": "adjusted"},
                    {"profile": profile, "weights": None},
                )
            )
    return batch, _queue_each(batch, user, plans)


def _adjusts(evaluation: Evaluation, profile: WeightProfile) -> bool:
    """Whether the evaluation's overrides change any of the profile's weights."""
    own = profile_weights(profile)
    return any(
        key in own and value != own[key]
        for key, value in evaluation.weight_overrides.items()
    )


def _start_smaa(*, user, evaluation: Evaluation, **options) -> tuple:
    snapshot = snapshots.snapshot_inputs(evaluation)  # once, shared by every chunk
    options, plans = smaa_chunks(tools=len(snapshot["tools"]), **options)
    # Refused before anything is saved when the chunks are too much for the request.
    check_inline_work({**snapshot, **extra} for extra in plans)
    batch = _new_batch(
        user=user,
        kind=Batch.Kind.SMAA,
        evaluation=evaluation,
        workspace_id=evaluation.workspace_id,
        options=options,
    )
    queued = [
        queue_run(
            user=user, evaluation=evaluation, batch=batch, inputs=snapshot, extra=extra
        )
        for extra in plans
    ]
    batch.total = len(queued)
    batch.save(update_fields=["total"])
    return batch, queued


def _start_workspace_rerank(*, user, evaluation: Evaluation) -> tuple:
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
    return batch, _queue_each(
        batch,
        user,
        [(follower, {"evaluation": follower.pk}, {}) for follower in followers],
    )


# Helpers -------------------------------------------------------------------------------


def _new_batch(*, user, kind, options, **fields) -> Batch:
    return Batch.objects.create(
        kind=kind,
        options=options,
        created_by=author(user),
        **fields,
    )


def _queue_each(batch: Batch, user, plans, *, allow_empty: bool = False) -> list[Run]:
    """Queue one run per plan (evaluation, label, queue_run arguments); the runs.

    A plan whose inputs cannot be ranked (e.g. a profile with criteria the tools have
    no scores for) is skipped and recorded in ``batch.options["skipped"]``.
    """
    skipped, queued = [], []
    for evaluation, label, arguments in plans:
        try:
            queued.append(
                queue_run(user=user, evaluation=evaluation, batch=batch, **arguments)
            )
        except ValidationError as error:
            skipped.append({**label, "reason": " ".join(error.messages)})
    batch.total = len(queued)
    if skipped:
        batch.options = {**batch.options, "skipped": skipped}
    if batch.total == 0 and not allow_empty:
        reasons = "; ".join(f"{_describe(item)}: {item['reason']}" for item in skipped)
        raise ValidationError(
            (
                gettext("No run of this batch can start. %(reasons)s")
                % {"reasons": reasons}
            ).strip()
        )
    if batch.total == 0:
        batch.status = Batch.Status.DONE
        batch.finished_at = timezone.now()
    batch.save(update_fields=["total", "options", "status", "finished_at"])
    return queued


def _describe(label: dict) -> str:
    return ", ".join(
        f"{key} {value}" for key, value in label.items() if key != "reason"
    )


def _cancel(batch: Batch, *, reason: Message) -> None:
    now = timezone.now()
    if Batch.objects.filter(pk=batch.pk, status=Batch.Status.RUNNING).update(
        status=Batch.Status.CANCELLED, finished_at=now
    ):
        batch.runs.filter(status=Run.Status.QUEUED).update(
            status=Run.Status.FAILED,
            error=str(reason),
            error_message=reason.stored(),
            finished_at=now,
            deadline_at=None,
        )
