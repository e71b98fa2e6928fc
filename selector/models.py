"""The decision domain: workspaces, criteria, weight profiles, tools, evaluations, runs.

Models hold data and the invariants of a single row (``clean``); every write that
touches several rows goes through ``selector.services``.
"""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Workspace(models.Model):
    """A team's private space: its tools, evaluations and runs are seen only by members."""

    name = models.CharField(max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        EDITOR = "editor", "Editor"
        OWNER = "owner", "Owner"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], name="membership_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.workspace}"

    @property
    def can_edit(self) -> bool:
        return self.role in (self.Role.EDITOR, self.Role.OWNER)


class Criterion(models.Model):
    """Something tools are scored on, e.g. measurable ROI (rating 1-5) or price (USD)."""

    class Kind(models.TextChoices):
        RATING = "rating", "Rating on a scale"
        QUANTITY = "quantity", "Quantity with a unit"

    class Direction(models.TextChoices):
        BENEFIT = "benefit", "Higher is better"
        COST = "cost", "Lower is better"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING)
    scale_min = models.FloatField(
        null=True, blank=True, help_text="Lowest allowed value (ratings: e.g. 1)."
    )
    scale_max = models.FloatField(
        null=True, blank=True, help_text="Highest allowed value (ratings: e.g. 5)."
    )
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. USD/seat/month")
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.BENEFIT
    )
    benchmark = models.ForeignKey(
        "survey.Benchmark",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criteria",
        help_text="The survey figure this criterion comes from.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    builtin = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.RATING and (
            self.scale_min is None or self.scale_max is None
        ):
            errors["scale_max"] = "A rating needs both ends of its scale (e.g. 1 to 5)."
        for name in ("scale_min", "scale_max"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                errors[name] = "Must be a finite number."
        if (
            not errors
            and self.scale_min is not None
            and self.scale_max is not None
            and self.scale_min >= self.scale_max
        ):
            errors["scale_max"] = (
                f"The scale's maximum ({self.scale_max:g}) must be above its "
                f"minimum ({self.scale_min:g})."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def sign(self) -> int:
        """+1 for a benefit criterion, -1 for a cost criterion (the engine's convention)."""
        return 1 if self.direction == self.Direction.BENEFIT else -1

    @property
    def scale_label(self) -> str:
        if self.scale_min is not None and self.scale_max is not None:
            span = f"{self.scale_min:g}–{self.scale_max:g}"
        elif self.scale_min is not None:
            span = f"≥ {self.scale_min:g}"
        else:
            span = "any value"
        return f"{span} {self.unit}".strip()

    def value_error(self, value: float) -> str | None:
        """Why ``value`` is not a valid score on this criterion, or None when it is."""
        if not math.isfinite(value):
            return "must be a finite number"
        if self.scale_min is not None and value < self.scale_min:
            return f"must be at least {self.scale_min:g} ({self.scale_label})"
        if self.scale_max is not None and value > self.scale_max:
            return f"must be at most {self.scale_max:g} ({self.scale_label})"
        return None


class WeightProfile(models.Model):
    """A named set of criterion weights, e.g. derived from a survey's shares."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    survey = models.ForeignKey(
        "survey.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="The survey the weights come from, if any.",
    )
    builtin = models.BooleanField(default=False)
    # The pairwise judgements the weights were derived from with AHP, kept so they can
    # be revised: {"judgements": {"roi|price": "3", ...}, "consistency_ratio": 0.02}
    # (a|b: how many times a matters more than b, on Saaty's scale). Empty when the
    # weights were set any other way.
    ahp = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selector:profile-detail", kwargs={"slug": self.slug})

    def ahp_judgement(self, a: str, b: str) -> str | None:
        """The stored judgement of criterion ``a`` against ``b`` ("3", "1/3"), if any."""
        judgements = (self.ahp or {}).get("judgements", {})
        if f"{a}|{b}" in judgements:
            return judgements[f"{a}|{b}"]
        other_way = judgements.get(f"{b}|{a}")
        if other_way is None or other_way == "1":
            return other_way
        return other_way[2:] if other_way.startswith("1/") else f"1/{other_way}"


class Weight(models.Model):
    profile = models.ForeignKey(
        WeightProfile, on_delete=models.CASCADE, related_name="weights"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="weights"
    )
    value = models.FloatField(
        help_text="Relative weight; normalised to 100% when used."
    )
    benchmark = models.ForeignKey(
        "survey.Benchmark",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="weights",
        help_text="The survey figure this weight comes from.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "-value", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion"], name="weight_unique_per_profile"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key} = {self.value:g}"

    def clean(self) -> None:
        if self.value is None or not math.isfinite(self.value) or self.value < 0:
            raise ValidationError(
                {"value": f"A weight must be a finite number ≥ 0, not {self.value!r}."}
            )


class Tool(models.Model):
    """A candidate AI tool in a workspace."""

    class Category(models.TextChoices):
        CODE_COPILOT = "code_copilot", "Code copilot"
        CHAT_ASSISTANT = "chat_assistant", "Chat assistant"
        ENTERPRISE_SEARCH = "enterprise_search", "Enterprise search"
        MEETING_ASSISTANT = "meeting_assistant", "Meeting assistant"
        MODEL_API = "model_api", "Model API"
        OTHER = "other", "Other"

    class Openness(models.TextChoices):
        CLOSED = "closed", "Closed"
        OPEN = "open", "Open weights / open source"

    class Deployment(models.TextChoices):
        SAAS = "saas", "SaaS"
        SELF_HOSTED = "self_hosted", "Self-hosted"
        HYBRID = "hybrid", "Hybrid"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="tools"
    )
    name = models.CharField(max_length=120)
    vendor = models.CharField(max_length=120, blank=True)
    category = models.CharField(
        max_length=30, choices=Category.choices, default=Category.OTHER
    )
    model_provider = models.CharField(max_length=120, blank=True)
    openness = models.CharField(
        max_length=10, choices=Openness.choices, default=Openness.CLOSED
    )
    deployment = models.CharField(
        max_length=15, choices=Deployment.choices, default=Deployment.SAAS
    )
    list_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="List price in USD per seat per month.",
    )
    url = models.URLField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="tool_name_unique_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selector:tool-edit", kwargs={"pk": self.pk})


# The facts about a tool that people edit (forms, CSV columns, API fields).
TOOL_FIELDS = (
    "name",
    "vendor",
    "category",
    "model_provider",
    "openness",
    "deployment",
    "list_price",
    "url",
    "notes",
)


class Score(models.Model):
    """A tool's value on a criterion, with optional uncertainty bounds and evidence."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores"
    )
    value = models.FloatField()
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["tool", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "criterion"], name="score_unique_per_tool_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tool} / {self.criterion.key} = {self.value:g}"

    def clean(self) -> None:
        errors = {}
        for name in ("value", "low", "high"):
            value = getattr(self, name)
            if value is None:
                continue
            problem = self.criterion.value_error(value)
            if problem:
                errors[name] = f"{self.criterion.name}: {value:g} {problem}."
        if not errors and self.low is not None and self.low > self.value:
            errors["low"] = f"The low bound ({self.low:g}) is above the value."
        if not errors and self.high is not None and self.high < self.value:
            errors["high"] = f"The high bound ({self.high:g}) is below the value."
        if errors:
            raise ValidationError(errors)


class Method(models.TextChoices):
    WSM = "wsm", "Weighted sum"
    WPM = "wpm", "Weighted product"
    TOPSIS = "topsis", "TOPSIS"
    VIKOR = "vikor", "VIKOR"
    PROMETHEE2 = "promethee2", "PROMETHEE II"


class Normalization(models.TextChoices):
    DEFAULT = "", "Method's default"
    MINMAX = "minmax", "Min-max"
    VECTOR = "vector", "Vector"
    SUM = "sum", "Sum"
    MAX = "max", "Max"


class Evaluation(models.Model):
    """The decision being made: which tools, judged on which weights, by which method."""

    class MissingScores(models.TextChoices):
        BLOCK = "block", "Block the run until every score is entered"
        WORST = "worst", "Treat a missing score as the worst value among the tools"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="evaluations"
    )
    name = models.CharField(max_length=150)
    tools = models.ManyToManyField(Tool, related_name="evaluations", blank=True)
    profile = models.ForeignKey(
        WeightProfile, on_delete=models.PROTECT, related_name="evaluations"
    )
    weight_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text="Weights by criterion key that replace the profile's.",
    )
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.WSM)
    method_options = models.JSONField(
        default=dict,
        blank=True,
        help_text="The method's own options: VIKOR v; PROMETHEE II preference with "
        "thresholds q and p (one number, or by criterion key).",
    )
    normalization = models.CharField(
        max_length=10, choices=Normalization.choices, default="", blank=True
    )
    missing_scores = models.CharField(
        max_length=10, choices=MissingScores.choices, default=MissingScores.BLOCK
    )
    smaa_samples = models.PositiveIntegerField(default=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selector:evaluation-detail", kwargs={"pk": self.pk})


class Batch(models.Model):
    """Many runs started together, with progress counted from the runs themselves."""

    class Kind(models.TextChoices):
        PROFILES = "profiles", "The evaluation under every weight profile"
        SMAA = "smaa", "Monte Carlo (SMAA) study"
        RERANK = "rerank", "Re-rank evaluations after a profile or criterion edit"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

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
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING
    )
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
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Run(models.Model):
    """One computation of an evaluation, on an immutable snapshot of its inputs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="runs"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="runs", null=True, blank=True
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    inputs = models.JSONField(
        help_text="Snapshot: tools, criteria, weights, matrix, method."
    )
    robustness = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(
        null=True, blank=True, help_text="A running claim expires at this time."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["evaluation", "status", "-finished_at"])]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.evaluation} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("selector:run-detail", kwargs={"pk": self.pk})

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
        constraints = [
            models.UniqueConstraint(
                fields=["run", "tool_name"], name="result_unique_per_tool"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.tool_name} ({self.score:.4g})"
