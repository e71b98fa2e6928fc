"""The catalogue: criteria tools are scored on, and weight profiles over them."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


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
    # French twins of the shipped texts (survey.localized picks them for French readers)
    name_fr = models.CharField(
        max_length=120,
        blank=True,
        help_text="French twin shown to French readers (blank: the English text).",
    )
    description_fr = models.TextField(
        blank=True,
        help_text="French twin shown to French readers (blank: the English text).",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING)
    scale_min = models.FloatField(
        null=True, blank=True, help_text="Lowest allowed value (ratings: e.g. 1)."
    )
    scale_max = models.FloatField(
        null=True, blank=True, help_text="Highest allowed value (ratings: e.g. 5)."
    )
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. USD/seat/month")
    unit_fr = models.CharField(
        max_length=40,
        blank=True,
        help_text="French twin shown to French readers (blank: the English text).",
    )
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
    name_fr = models.CharField(
        max_length=150,
        blank=True,
        help_text="French twin shown to French readers (blank: the English text).",
    )
    description_fr = models.TextField(
        blank=True,
        help_text="French twin shown to French readers (blank: the English text).",
    )
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
        help_text="Relative weight; normalized to 100% when used."
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
