"""Runs (one computation of an evaluation on a snapshot), their results, batches."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from selector.messages import shown
from selector.models.catalogue import WeightProfile
from selector.models.evaluations import Evaluation
from selector.models.tools import Tool
from selector.models.workspaces import Workspace


class Batch(models.Model):
    """Many runs started together, with progress counted from the runs themselves."""

    class Kind(models.TextChoices):
        PROFILES = "profiles", _("The evaluation under every weight profile")
        SMAA = "smaa", _("Monte Carlo (SMAA) study")
        RERANK = (
            "rerank",
            _("Re-rank evaluations after a profile or criterion edit"),
        )

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="batches",
        null=True,
        blank=True,
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="batches",
        null=True,
        blank=True,
    )
    profile = models.ForeignKey(
        WeightProfile,
        on_delete=models.SET_NULL,
        related_name="batches",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    # The batch's runs (``options["skipped"]`` lists those that could not start).
    total = models.PositiveIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Run(models.Model):
    """One computation of an evaluation, on an immutable snapshot of its inputs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="runs"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="runs", null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    inputs = models.JSONField(
        _("inputs"), help_text=_("Snapshot: tools, criteria, weights, matrix, method.")
    )
    robustness = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_message = models.JSONField(
        null=True,
        blank=True,
        help_text="The error as a sentence template and its parameters, translated "
        "when read.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("A running claim expires at this time."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        indexes = [models.Index(fields=["evaluation", "status", "-finished_at"])]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.evaluation} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("selector:run-detail", kwargs={"pk": self.pk})

    @property
    def shown_error(self) -> str:
        """Why the run failed, in the reader's language (``error`` is English)."""
        return shown(self.error_message, self.error) if self.error else ""

    @property
    def engine_version(self) -> str:
        """The engine version the run's snapshot was taken for."""
        return self.inputs.get("engine_version", "")

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class RunResult(models.Model):
    """One tool's place in a run: score, rank and per-criterion contributions."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    tool = models.ForeignKey(
        Tool, on_delete=models.SET_NULL, null=True, blank=True, related_name="results"
    )
    tool_name = models.CharField(max_length=120)
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    contributions = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "rank", "tool_name"]
        verbose_name = _("run result")
        verbose_name_plural = _("run results")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "tool_name"], name="result_unique_per_tool"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.tool_name} ({self.score:.4g})"
