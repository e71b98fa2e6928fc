"""Evaluations: the decision being made, and the methods it can be made with."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from selector.models.catalogue import WeightProfile
from selector.models.tools import Tool
from selector.models.workspaces import Workspace


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
