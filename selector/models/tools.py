"""Candidate tools of a workspace and their scores on the criteria."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from selector.models.catalogue import Criterion
from selector.models.workspaces import Workspace


def validate_not_negative(value) -> None:
    """A price is never below zero: the rule of the former ``list_price`` field, which
    migration 0007 names (so it stays). A price is now the price score, whose
    criterion's scale starts at 0."""
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


# The facts about a tool that people edit (forms, CSV columns, API fields). Its price
# is not one of them: it is the score on the ``PRICE`` criterion (USD/seat/month, with
# low and high), the one the ranking uses.
TOOL_FIELDS = (
    "name",
    "vendor",
    "category",
    "model_provider",
    "openness",
    "deployment",
    "url",
    "notes",
)
PRICE = "price"  # the criterion key of a tool's price
# The tool's former price field: the API shows the price score under this name and
# the API and CSV import read it as the price score (services.tools.list_price_alias).
LIST_PRICE = "list_price"


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
