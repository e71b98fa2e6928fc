"""The catalogue: criteria tools are scored on, and weight profiles over them."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from selector.formats import plain_number
from survey.localized import localized

TWIN_HELP = _("French twin shown to French readers (blank: the English text).")


class Criterion(models.Model):
    """Something tools are scored on, e.g. measurable ROI (rating 1-5) or price (USD)."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating on a scale")
        QUANTITY = "quantity", _("Quantity with a unit")

    class Direction(models.TextChoices):
        BENEFIT = "benefit", _("Higher is better")
        COST = "cost", _("Lower is better")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # French twins of the shipped texts (survey.localized picks them for French readers)
    name_fr = models.CharField(
        max_length=120,
        blank=True,
        help_text=TWIN_HELP,
    )
    description_fr = models.TextField(
        blank=True,
        help_text=TWIN_HELP,
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.RATING
    )
    scale_min = models.FloatField(
        _("scale minimum"),
        null=True,
        blank=True,
        help_text=_("Lowest allowed value (ratings: e.g. 1)."),
    )
    scale_max = models.FloatField(
        _("scale maximum"),
        null=True,
        blank=True,
        help_text=_("Highest allowed value (ratings: e.g. 5)."),
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. USD/seat/month")
    )
    unit_fr = models.CharField(
        max_length=40,
        blank=True,
        help_text=TWIN_HELP,
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.BENEFIT,
    )
    benchmark = models.ForeignKey(
        "survey.Benchmark",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("survey figure"),
        help_text=_("The survey figure this criterion comes from."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    builtin = models.BooleanField(_("built-in"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.shown_name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.RATING and (
            self.scale_min is None or self.scale_max is None
        ):
            errors["scale_max"] = gettext(
                "A rating needs both ends of its scale (e.g. 1 to 5)."
            )
        for name in ("scale_min", "scale_max"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                errors[name] = gettext("Must be a finite number.")
        if (
            not errors
            and self.scale_min is not None
            and self.scale_max is not None
            and self.scale_min >= self.scale_max
        ):
            errors["scale_max"] = gettext(
                "The scale's maximum (%(max)s) must be above its minimum (%(min)s)."
            ) % {
                "max": plain_number(self.scale_max),
                "min": plain_number(self.scale_min),
            }
        if errors:
            raise ValidationError(errors)

    @property
    def sign(self) -> int:
        """+1 for a benefit criterion, -1 for a cost criterion (the engine's convention)."""
        return 1 if self.direction == self.Direction.BENEFIT else -1

    @property
    def shown_name(self) -> str:
        """The name in the reader's language (its French twin for French readers)."""
        return localized(self, "name")

    @property
    def scale_label(self) -> str:
        unit = localized(self, "unit")
        if self.scale_min is not None and self.scale_max is not None:
            span = f"{plain_number(self.scale_min)}–{plain_number(self.scale_max)}"
        elif self.scale_min is not None:
            span = f"≥ {plain_number(self.scale_min)}"
        else:
            span = gettext("any value")
        return f"{span} {unit}".strip()

    def value_error(self, value: float) -> str | None:
        """Why ``value`` is not a valid score on this criterion, as a whole sentence
        naming the criterion ("Price: -5 must be at least 0 (≥ 0 USD)."), or None."""
        names = {"criterion": localized(self, "name"), "number": plain_number(value)}
        if not math.isfinite(value):
            return gettext("%(criterion)s: %(number)s must be a finite number.") % names
        if self.scale_min is not None and value < self.scale_min:
            return gettext(
                "%(criterion)s: %(number)s must be at least %(limit)s (%(scale)s)."
            ) % {
                **names,
                "limit": plain_number(self.scale_min),
                "scale": self.scale_label,
            }
        if self.scale_max is not None and value > self.scale_max:
            return gettext(
                "%(criterion)s: %(number)s must be at most %(limit)s (%(scale)s)."
            ) % {
                **names,
                "limit": plain_number(self.scale_max),
                "scale": self.scale_label,
            }
        return None


class WeightProfile(models.Model):
    """A named set of criterion weights, e.g. derived from a survey's shares."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    name_fr = models.CharField(
        max_length=150,
        blank=True,
        help_text=TWIN_HELP,
    )
    description_fr = models.TextField(
        blank=True,
        help_text=TWIN_HELP,
    )
    survey = models.ForeignKey(
        "survey.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("survey"),
        help_text=_("The survey the weights come from, if any."),
    )
    builtin = models.BooleanField(_("built-in"), default=False)
    # The pairwise judgements the weights were derived from with AHP, kept so they can
    # be revised: {"judgements": {"roi|price": "3", ...}, "consistency_ratio": 0.02}
    # (a|b: how many times a matters more than b, on Saaty's scale). Empty when the
    # weights were set any other way.
    ahp = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("weight profile")
        verbose_name_plural = _("weight profiles")

    def __str__(self) -> str:
        return self.shown_name

    def get_absolute_url(self) -> str:
        return reverse("selector:profile-detail", kwargs={"slug": self.slug})

    @property
    def shown_name(self) -> str:
        """The name in the reader's language (its French twin for French readers)."""
        return localized(self, "name")

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
        WeightProfile,
        on_delete=models.CASCADE,
        related_name="weights",
        verbose_name=_("weight profile"),
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="weights",
        verbose_name=_("criterion"),
    )
    value = models.FloatField(
        _("value"), help_text=_("Relative weight; normalized to 100% when used.")
    )
    benchmark = models.ForeignKey(
        "survey.Benchmark",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="weights",
        verbose_name=_("survey figure"),
        help_text=_("The survey figure this weight comes from."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "-value", "criterion__name"]
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
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
                {
                    "value": gettext(
                        "A weight must be a finite number ≥ 0, not %(value)r."
                    )
                    % {"value": self.value}
                }
            )
