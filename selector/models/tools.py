"""Candidate tools of a workspace and their scores on the criteria."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from selector.formats import plain_number
from selector.models.catalogue import Criterion
from selector.models.workspaces import Workspace


def validate_not_negative(value) -> None:
    """A price is never below zero: the rule of the former ``list_price`` field, which
    migration 0007 names (so it stays). A price is now the price score, whose
    criterion's scale starts at 0."""
    if value is not None and value < 0:
        raise ValidationError(
            _("A price cannot be negative (%(value)s)."),
            code="negative",
            params={"value": value},
        )


class Tool(models.Model):
    """A candidate AI tool in a workspace."""

    class Category(models.TextChoices):
        CODE_COPILOT = "code_copilot", _("Code copilot")
        CHAT_ASSISTANT = "chat_assistant", _("Chat assistant")
        ENTERPRISE_SEARCH = "enterprise_search", _("Enterprise search")
        MEETING_ASSISTANT = "meeting_assistant", _("Meeting assistant")
        MODEL_API = "model_api", _("Model API")
        OTHER = "other", _("Other")

    class Openness(models.TextChoices):
        CLOSED = "closed", _("Closed")
        OPEN = "open", _("Open weights / open source")

    class Deployment(models.TextChoices):
        SAAS = "saas", _("SaaS")
        SELF_HOSTED = "self_hosted", _("Self-hosted")
        HYBRID = "hybrid", _("Hybrid")

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="tools",
        verbose_name=_("workspace"),
    )
    name = models.CharField(_("name"), max_length=120)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    model_provider = models.CharField(_("model provider"), max_length=120, blank=True)
    openness = models.CharField(
        _("openness"), max_length=10, choices=Openness.choices, default=Openness.CLOSED
    )
    deployment = models.CharField(
        _("deployment"),
        max_length=15,
        choices=Deployment.choices,
        default=Deployment.SAAS,
    )
    url = models.URLField(_("URL"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
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

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="scores", verbose_name=_("tool")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    value = models.FloatField(_("value"))
    low = models.FloatField(_("low"), null=True, blank=True)
    high = models.FloatField(_("high"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["tool", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
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
                errors[name] = problem
        if not errors and low is not None and low > value:
            errors["low"] = gettext("The low bound (%(low)s) is above the value.") % {
                "low": plain_number(low)
            }
        if not errors and high is not None and high < value:
            errors["high"] = gettext(
                "The high bound (%(high)s) is below the value."
            ) % {"high": plain_number(high)}
        if errors:
            raise ValidationError(errors)
