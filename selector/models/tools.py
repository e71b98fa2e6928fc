"""Candidate tools of a workspace and their scores on the criteria."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from selector.models.catalogue import Criterion
from selector.models.workspaces import Workspace


def validate_not_negative(value) -> None:
    """A price is never below zero; the form, the API and a CSV import all reach this
    through the model's validation."""
    if value is not None and value < 0:
        raise ValidationError(
            "A price cannot be negative (%(value)s).",
            code="negative",
            params={"value": value},
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
        validators=[validate_not_negative],
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
        Score.check_values(self.criterion, self.value, self.low, self.high)

    @staticmethod
    def check_values(
        criterion: Criterion, value: float, low: float | None, high: float | None
    ) -> None:
        """The rules of a score on ``criterion`` (on its scale, bounds around the value),
        without an instance: a CSV import checks 45,000 of them. Raises ValidationError
        by field."""
        errors = {}
        for name, number in (("value", value), ("low", low), ("high", high)):
            if number is None:
                continue
            problem = criterion.value_error(number)
            if problem:
                errors[name] = f"{criterion.name}: {number:g} {problem}."
        if not errors and low is not None and low > value:
            errors["low"] = f"The low bound ({low:g}) is above the value."
        if not errors and high is not None and high < value:
            errors["high"] = f"The high bound ({high:g}) is below the value."
        if errors:
            raise ValidationError(errors)
