"""Evaluations: the decision being made, and the methods it can be made with."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from selector.models.catalogue import WeightProfile
from selector.models.tools import Tool
from selector.models.workspaces import Workspace


class Method(models.TextChoices):
    WSM = "wsm", _("Weighted sum")
    WPM = "wpm", _("Weighted product")
    TOPSIS = "topsis", "TOPSIS"
    VIKOR = "vikor", "VIKOR"
    PROMETHEE2 = "promethee2", "PROMETHEE II"


class Normalization(models.TextChoices):
    DEFAULT = "", _("Method's default")
    MINMAX = "minmax", _("Min-max")
    VECTOR = "vector", _("Vector")
    SUM = "sum", _("Sum")
    MAX = "max", _("Max")


class Evaluation(models.Model):
    """The decision being made: which tools, judged on which weights, by which method."""

    class MissingScores(models.TextChoices):
        BLOCK = "block", _("Block the run until every score is entered")
        WORST = (
            "worst",
            _("Treat a missing score as the worst value among the tools"),
        )

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("workspace"),
    )
    name = models.CharField(_("name"), max_length=150)
    tools = models.ManyToManyField(
        Tool, related_name="evaluations", blank=True, verbose_name=_("tools")
    )
    profile = models.ForeignKey(
        WeightProfile,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("profile"),
    )
    weight_overrides = models.JSONField(
        _("weight overrides"),
        default=dict,
        blank=True,
        help_text=_("Weights by criterion key that replace the profile's."),
    )
    method = models.CharField(
        _("method"), max_length=12, choices=Method.choices, default=Method.WSM
    )
    method_options = models.JSONField(
        _("method options"),
        default=dict,
        blank=True,
        help_text=_(
            "The method's own options: VIKOR v; PROMETHEE II preference with "
            "thresholds q and p (one number, or by criterion key)."
        ),
    )
    normalization = models.CharField(
        _("normalization"),
        max_length=10,
        choices=Normalization.choices,
        default="",
        blank=True,
    )
    missing_scores = models.CharField(
        _("missing scores"),
        max_length=10,
        choices=MissingScores.choices,
        default=MissingScores.BLOCK,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selector:evaluation-detail", kwargs={"pk": self.pk})
